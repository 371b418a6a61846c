#!/bin/bash
# wscale.pcap: IPv4 between two namespaces (client 192.0.2.1, server
# 192.0.2.2 port 5001). SYN and SYN-ACK carry the window scale option; the
# client asks for 204800 bytes with a 100-byte request and the server sends
# them, so the client's advertised (scaled) window grows as receive-buffer
# autotuning opens it (the client namespace starts with
# tcp_rmem "4096 8192 4194304": a small initial window, scale factor 7). Server closes first.
. "$(dirname "$0")/lib.sh"
need_root; sk_init
OUT="$CAPDIR/wscale.pcap"
two_hosts 192.0.2.1/24 192.0.2.2/24 noipv6
# small initial receive buffer on the client, so autotuning visibly grows it
in_ns a sysctl -qw net.ipv4.tcp_rmem="4096 8192 4194304"
app_bg b serve 192.0.2.2 5001 --request 100 --reply 204800
wait_listen b 5001
cap_start a a0 "$OUT" -- tcp
app a client 192.0.2.2 5001 --send 100
cap_stop
finish "$OUT"
