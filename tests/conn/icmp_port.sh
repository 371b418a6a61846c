#!/bin/bash
# icmp_port: the router answers the SYN with ICMP type 3 code 3 (port unreachable); connect fails with ECONNREFUSED.
CONN_NAME=icmp_port CONN_V6=0 ICMP_TYPE=port-unreachable ICMP_OUTCOME=refused exec "$(dirname "$0")/icmp_common.sh"
