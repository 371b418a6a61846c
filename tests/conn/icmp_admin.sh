#!/bin/bash
# icmp_admin: the router answers the SYN with ICMP type 3 code 13 (communication administratively prohibited); connect fails with EHOSTUNREACH.
CONN_NAME=icmp_admin CONN_V6=0 ICMP_TYPE=admin-prohibited ICMP_OUTCOME=unreachable exec "$(dirname "$0")/icmp_common.sh"
