#!/bin/bash
# ip_options_frag.pcap: IPv4 options, IPv4/IPv6 fragments and IPv6 extension
# headers, captured at the server side (b0). Topology: client a - router r -
# server b (see routed in lib.sh); the router's link to b has MTU 1280
# (the IPv6 minimum; a smaller MTU would disable IPv6 on it).
#   1. TCP 192.0.2.1 -> 198.51.100.1:5001 with IP options NOP,NOP,NOP,EOL
#      on every client segment (setsockopt IP_OPTIONS), 300 bytes each way
#   2. TCP to :5002 with a Record Route option (2 slots, the router fills
#      one in), 300 bytes each way
#   3. TCP to :5003 with DF cleared (IP_PMTUDISC_DONT) and a 3000-byte
#      request: the full-sized segments travel as two IPv4 fragments each
#      (<= 1280 bytes; tcpdump prints the first with the TCP header and
#      "length" of that fragment, the second as "ip-proto-6"); 100-byte reply
#   4. UDP 3000 bytes IPv4 to :9000: fragmented at the source (1500) and
#      re-fragmented by the router (1280)
#   5. UDP 3000 bytes IPv6 to :9000: IPv6 Fragment headers (the client's
#      route to 2001:db8:2::/64 has mtu 1280, so the source fragments)
#   6. TCP over IPv6 to [2001:db8:2::1]:5004 with a Hop-by-Hop Options
#      header and a Destination Options header (PadN) on the client's
#      segments (IPV6_HOPOPTS / IPV6_DSTOPTS), 300 bytes each way
. "$(dirname "$0")/lib.sh"
need_root; sk_init
OUT="$CAPDIR/ip_options_frag.pcap"
routed
ip -n "$(ns r)" link set rb mtu 1280
ip -n "$(ns a)" -6 route add 2001:db8:2::/64 via 2001:db8:1::fe mtu 1280
for p in 5001 5002; do app_bg b serve 198.51.100.1 "$p" --request 300 --reply 300; done
app_bg b serve 198.51.100.1 5003 --request 3000 --reply 100
app_bg b serve 2001:db8:2::1 5004 --request 300 --reply 300
app_bg b udpsink 198.51.100.1 9000
app_bg b udpsink 2001:db8:2::1 9000
for p in 5001 5002 5003 5004; do wait_listen b "$p"; done
wait_listen b 9000 udp
# no MLD reports (multicast): only the test traffic
cap_start b b0 "$OUT" -- 'tcp or udp or (ip[6:2] & 0x1fff != 0) or (ip6 and not dst net ff00::/8)'
app a client 198.51.100.1 5001 --send 300 --ipopts 01010100
app a client 198.51.100.1 5002 --send 300 --ipopts 070b040000000000000000000000000000000000
sleep 0.1
app a client 198.51.100.1 5003 --send 3000 --no-df
sleep 0.1
app a udpsend 198.51.100.1 9000 --size 3000
sleep 0.1
app a udpsend 2001:db8:2::1 9000 --size 3000
sleep 0.1
app a client 2001:db8:2::1 5004 --send 300 --hopopts 0000010400000000 --dstopts 0000010400000000
cap_stop 1
finish "$OUT"
