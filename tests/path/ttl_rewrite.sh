#!/bin/bash
# ttl_rewrite: the router sets the IP TTL of every forwarded packet to 5
# (nftables forward chain, `ip ttl set 5`), for issue 15's `synack compare`:
# packets leave their sender with TTL 64 and arrive with TTL 5, not the normal
# 63 after one hop, in both directions. A completed connection: 100 bytes up,
# 300 down, server FIN then client FIN (as tests/conn/completed).
. "$(dirname "$0")/pathlib.sh"
need_root; sk_init; need_nft
conn_topo
router_nft <<'NFT'
table ip mangle {
    chain forward {
        type filter hook forward priority mangle; policy accept;
        ip ttl set 5
    }
}
NFT
server_bg "$S4" 5001 --request 100 --reply 300 --accept-timeout 10
SRV=$SK_LAST_PID
wait_listen s 5001
caps_start
client "$S4" 5001 --outcome ok --send 100 --expect 300
wait_pid "$SRV" 5
caps_stop
for f in "$OUT_C" "$OUT_S"; do
    want "$f" 'Flags \[S\],' 1
    want "$f" 'Flags \[S\.\],' 1
    want "$f" 'Flags \[F\.\]' 2
    want "$f" 'Flags \[R' 0
    want "$f" 'length 100' 1
    want "$f" 'length 300' 1
done
# every packet: TTL 64 where it was sent, 5 where it arrived
vl() { tcpdump -nn -v -r "$1" 2>/dev/null | grep -E '^[0-9]'; }
[ "$(vl "$OUT_S" | grep -vcE 'ttl (5|64),')" = 0 ] || die "server side TTLs not 64/5"
[ "$(vl "$OUT_C" | grep -vcE 'ttl (5|64),')" = 0 ] || die "client side TTLs not 64/5"
[ "$(vl "$OUT_S" | grep -c 'ttl 5,')" = "$(lines "$OUT_S" | grep -c '192\.0\.2\.10\.[0-9]* >')" ] || die "server side: not every client packet has TTL 5"
[ "$(vl "$OUT_C" | grep -c 'ttl 5,')" = "$(lines "$OUT_C" | grep -c '203\.0\.113\.20\.5001 >')" ] || die "client side: not every server packet has TTL 5"
conn_finish
