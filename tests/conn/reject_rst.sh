#!/bin/bash
# reject_rst: the ROUTER rejects SYNs to tcp/5001 with a TCP reset
# (nftables "reject with tcp reset"), although the server listens. The RST-ACK
# carries the server's address but comes from the router: IP TTL 64 at the
# client (a reset from the server itself would arrive with TTL 63, one hop
# forwarded, as in closed_port). The server capture holds nothing.
# Client side: tcp.refused. Server side: nothing.
. "$(dirname "$0")/connlib.sh"
need_root; sk_init; need_nft
conn_topo
router_nft <<'NFT'
table inet conn {
    chain forward {
        type filter hook forward priority 0; policy accept;
        tcp dport 5001 counter reject with tcp reset
    }
}
NFT
server_bg "$S4" 5001 --accept-timeout 4
wait_listen s 5001
caps_start
client "$S4" 5001 --outcome refused
caps_stop
want "$OUT_C" 'Flags \[S\],' 1
want "$OUT_C" 'Flags \[R\.\], seq 0, ack [0-9]+, win 0, length 0' 1
want "$OUT_C" '.' 2
tcpdump -nn -v -r "$OUT_C" 2>/dev/null | grep -B1 'Flags \[R' | grep -q 'ttl 64,' || die "router RST without TTL 64"
want "$OUT_S" '.' 0
conn_finish
