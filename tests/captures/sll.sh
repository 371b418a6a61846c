#!/bin/bash
# sll.pcap: Linux cooked capture v1 (LINKTYPE_LINUX_SLL, tcpdump -i any
# -y LINUX_SLL) of TCP over lo (IPv4 and IPv6) in a fresh namespace.
. "$(dirname "$0")/lib.sh"
. "$CAPDIR/sll_common.sh"
need_root; sk_init
sll_capture LINUX_SLL "$CAPDIR/sll.pcap"
