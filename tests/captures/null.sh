#!/bin/bash
# null.pcap: LINKTYPE_NULL (BSD loopback: 4-byte host-order address family,
# then IP). Linux cannot capture this link type, so a real Ethernet capture
# is made first (veth between two namespaces; client 192.0.2.1 /
# 2001:db8::1, server 192.0.2.2 / 2001:db8::2 port 5001; 200-byte request,
# 1500-byte reply, close; IPv4 then IPv6) and relink.py rewrites each frame
# as AF header + IP packet: AF_INET 2 for IPv4; for IPv6 the BSD values 24,
# 28 and 30 in turn (all accepted by tcpdump). Timestamps are kept.
. "$(dirname "$0")/lib.sh"
need_root; sk_init
OUT="$CAPDIR/null.pcap"
ETH="$SK_TMP/eth.pcap"
two_hosts 192.0.2.1/24 192.0.2.2/24
addr a a0 2001:db8::1/64; addr b b0 2001:db8::2/64
neigh a a0 2001:db8::2 "$MAC_B"; neigh b b0 2001:db8::1 "$MAC_A"
app_bg b serve 192.0.2.2 5001 --request 200 --reply 1500
S1=$SK_LAST_PID
app_bg b serve 2001:db8::2 5001 --request 200 --reply 1500
S2=$SK_LAST_PID
wait_listen b 5001
cap_start a a0 "$ETH" -- tcp
app a client 192.0.2.2 5001 --send 200
app a client 2001:db8::2 5001 --send 200
wait_pid "$S1" 5; wait_pid "$S2" 5
cap_stop
rm -f "$OUT"
python3 "$CAPDIR/relink.py" null "$OUT" "$ETH"
finish "$OUT"
