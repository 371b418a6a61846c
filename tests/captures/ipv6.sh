#!/bin/bash
# ipv6.pcap: a TCP exchange over IPv6 between two namespaces on a veth pair
# (2001:db8::1 client, 2001:db8::2 server port 8080): the client sends 3000
# bytes, the server answers 5000 bytes, the server closes first.
. "$(dirname "$0")/lib.sh"
need_root; sk_init
OUT="$CAPDIR/ipv6.pcap"
two_hosts 2001:db8::1/64 2001:db8::2/64
app_bg b serve 2001:db8::2 8080 --request 3000 --reply 5000
wait_listen b 8080
cap_start a a0 "$OUT" -- tcp
app a client 2001:db8::2 8080 --send 3000
cap_stop
finish "$OUT"
