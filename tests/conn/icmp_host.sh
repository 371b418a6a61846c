#!/bin/bash
# icmp_host: the router answers the SYN with ICMP type 3 code 1 (host unreachable); connect fails with EHOSTUNREACH.
CONN_NAME=icmp_host CONN_V6=0 ICMP_TYPE=host-unreachable ICMP_OUTCOME=unreachable exec "$(dirname "$0")/icmp_common.sh"
