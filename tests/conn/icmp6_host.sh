#!/bin/bash
# icmp6_host: the router answers the SYN with ICMPv6 type 1 code 3 (address unreachable).
# Linux (observed here) retransmits the SYN once, ~1 s later, gets the same
# error again, and only then fails the connect: 2 SYNs, 2 ICMPv6 errors.
ICMP_SYNS=2 CONN_NAME=icmp6_host CONN_V6=1 ICMP_TYPE=addr-unreachable ICMP_OUTCOME=unreachable exec "$(dirname "$0")/icmp_common.sh"
