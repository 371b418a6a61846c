#!/bin/bash
# sll2.pcap: Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, tcpdump -i any
# -y LINUX_SLL2) of TCP over lo (IPv4 and IPv6) in a fresh namespace. The
# SLL2 header holds the ifindex (1 = lo); tcpdump prints the name found by
# if_indextoname() on the reading machine, so the goldens say "lo".
. "$(dirname "$0")/lib.sh"
. "$CAPDIR/sll_common.sh"
need_root; sk_init
sll_capture LINUX_SLL2 "$CAPDIR/sll2.pcap"
