#!/bin/bash
# raw.pcap: a real LINKTYPE_RAW (101) capture: tcpdump on a tun device
# (IFF_TUN|IFF_NO_PI, no link-layer header). Two namespaces each hold a tun
# device; tunrelay.py joins them through UNIX datagram sockets (a
# point-to-point wire). Client a (192.0.2.1, 2001:db8::1) talks TCP to
# server b (192.0.2.2:5001, [2001:db8::2]:5001): 200-byte request,
# 2500-byte reply, close - IPv4 first, then IPv6 (mixed in one file).
. "$(dirname "$0")/lib.sh"
need_root; sk_init
[ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun"; exit 77; }
OUT="$CAPDIR/raw.pcap"
ns_new a; ns_new b
bg a timeout 60 python3 "$CAPDIR/tunrelay.py" tun0 "$SK_TMP/a.sock" "$SK_TMP/b.sock" 50
bg b timeout 60 python3 "$CAPDIR/tunrelay.py" tun0 "$SK_TMP/b.sock" "$SK_TMP/a.sock" 50
for h in a b; do
    for i in $(seq 1 50); do in_ns "$h" ip link show tun0 >/dev/null 2>&1 && break; sleep 0.1; done
    in_ns "$h" sysctl -qw net.ipv6.conf.tun0.router_solicitations=0 net.ipv6.conf.tun0.accept_dad=0
    ip -n "$(ns "$h")" link set tun0 up
done
ip -n "$(ns a)" addr add 192.0.2.1/24 dev tun0; ip -n "$(ns b)" addr add 192.0.2.2/24 dev tun0
addr a tun0 2001:db8::1/64; addr b tun0 2001:db8::2/64
app_bg b serve 192.0.2.2 5001 --request 200 --reply 2500
S1=$SK_LAST_PID
app_bg b serve 2001:db8::2 5001 --request 200 --reply 2500
S2=$SK_LAST_PID
wait_listen b 5001
cap_start a tun0 "$OUT" -- tcp
app a client 192.0.2.2 5001 --send 200
app a client 2001:db8::2 5001 --send 200
wait_pid "$S1" 5; wait_pid "$S2" 5
cap_stop
finish "$OUT"
