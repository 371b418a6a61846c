#!/bin/bash
# icmp6_port: the router answers the SYN with ICMPv6 type 1 code 4 (port unreachable).
# Linux (observed here) retransmits the SYN once, ~1 s later, gets the same
# error again, and only then fails the connect: 2 SYNs, 2 ICMPv6 errors.
ICMP_SYNS=2 CONN_NAME=icmp6_port CONN_V6=1 ICMP_TYPE=port-unreachable ICMP_OUTCOME=refused exec "$(dirname "$0")/icmp_common.sh"
