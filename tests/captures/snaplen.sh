#!/bin/bash
# snaplen60.pcap and snaplen80.pcap: the same small TCP exchanges (IPv4
# 192.0.2.1 -> 192.0.2.2:5001 and IPv6 2001:db8::1 -> 2001:db8::2:5001,
# 100-byte request, 3000-byte reply, close) captured with a small snapshot
# length, so headers are cut:
#   -s 60: Ethernet+IPv4+TCP base header = 54, so only 6 bytes of TCP
#          options remain (tcpdump prints "options [mss 1460, [|tcp]");
#          for IPv6 (14+40) only 6 bytes of the TCP header itself remain
#          (tcpdump prints just the ports and " [|tcp]").
#   -s 80: IPv4 SYNs (74) and data headers fit, but the IPv6 SYN (94) and
#          timestamp options of IPv6 segments (86) are cut.
. "$(dirname "$0")/lib.sh"
need_root; sk_init
two_hosts 192.0.2.1/24 192.0.2.2/24
addr a a0 2001:db8::1/64; addr b b0 2001:db8::2/64
neigh a a0 2001:db8::2 "$MAC_B"; neigh b b0 2001:db8::1 "$MAC_A"
for snap in 60 80; do
    OUT="$CAPDIR/snaplen$snap.pcap"
    app_bg b serve 192.0.2.2 5001 --request 100 --reply 3000
    S1=$SK_LAST_PID
    app_bg b serve 2001:db8::2 5001 --request 100 --reply 3000
    S2=$SK_LAST_PID
    wait_listen b 5001
    cap_start a a0 "$OUT" -s "$snap" -- tcp
    app a client 192.0.2.2 5001 --send 100
    app a client 2001:db8::2 5001 --send 100
    wait_pid "$S1" 5; wait_pid "$S2" 5
    cap_stop
    finish "$OUT"
done
