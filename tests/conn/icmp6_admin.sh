#!/bin/bash
# icmp6_admin: the router answers the SYN with ICMPv6 type 1 code 1 (administratively prohibited).
# Linux (observed here) retransmits the SYN once, ~1 s later, gets the same
# error again, and only then fails the connect: 2 SYNs, 2 ICMPv6 errors.
ICMP_SYNS=2 CONN_NAME=icmp6_admin CONN_V6=1 ICMP_TYPE=admin-prohibited ICMP_OUTCOME=unreachable exec "$(dirname "$0")/icmp_common.sh"
