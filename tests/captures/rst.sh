#!/bin/bash
# rst.pcap: three TCP connections between namespaces (client 192.0.2.1,
# server 192.0.2.2), captured on the client side:
#   1. SYN to closed port 5002 -> the server host answers RST-ACK (refused)
#   2. port 5001: 200-byte request, 1000-byte reply, then the SERVER aborts
#      (SO_LINGER {1,0} + close -> RST with ACK)
#   3. port 5003: 200-byte request, 1000-byte reply, then the CLIENT aborts
#      (SO_LINGER {1,0} + close -> RST with ACK)
. "$(dirname "$0")/lib.sh"
need_root; sk_init
OUT="$CAPDIR/rst.pcap"
two_hosts 192.0.2.1/24 192.0.2.2/24 noipv6
app_bg b serve 192.0.2.2 5001 --request 200 --reply 1000 --abort
S1=$SK_LAST_PID
app_bg b serve 192.0.2.2 5003 --request 200 --reply 1000
S2=$SK_LAST_PID
wait_listen b 5001; wait_listen b 5003
cap_start a a0 "$OUT" -- tcp
app a client 192.0.2.2 5002 --refused
sleep 0.2
app a client 192.0.2.2 5001 --send 200
sleep 0.2
app a client 192.0.2.2 5003 --send 200 --expect 1000 --abort
wait_pid "$S1" 5; wait_pid "$S2" 5
cap_stop
finish "$OUT"
