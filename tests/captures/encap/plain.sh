#!/bin/bash
# plain.pcap: the inner connections of the tunnel captures without a tunnel,
# fully real: a veth between namespaces a (192.0.2.1, 2001:db8:1::1) and b
# (192.0.2.2, 2001:db8:1::2), static neighbours (no ARP/ND); TLS to
# 192.0.2.2:4433, SYN to the closed port 4434, SYN to 4435 dropped by
# nftables on b0, then TLS to [2001:db8:1::2]:4433 (see common.sh). Captured
# on a0. It is the baseline of the tunnel captures and the source of the
# built link-type captures (relink_types.py).
. "$(dirname "$0")/common.sh"
need_root; sk_init; need_tools openssl nft
OUT="$ENCDIR/plain.pcap"
two_hosts 192.0.2.1/24 192.0.2.2/24
addr a a0 2001:db8:1::1/64; addr b b0 2001:db8:1::2/64
neigh a a0 2001:db8:1::2 "$MAC_B"; neigh b b0 2001:db8:1::1 "$MAC_A"
settle
cap_start a a0 "$OUT"
inner_traffic a b b0 192.0.2.2 2001:db8:1::2
cap_stop
finish "$OUT"
