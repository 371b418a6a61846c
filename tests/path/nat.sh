#!/bin/bash
# nat: source NAT (masquerade) on the router, for issue 15's `synack compare`.
# The router masquerades TCP leaving on rs to 203.0.113.1 with a source
# port in 40000-40099; the client binds source port 50000 (outside that range)
# so the port is always rewritten. A completed connection: 100 bytes up, 300
# down, server FIN then client FIN. Client side: 192.0.2.10:50000 ->
# 203.0.113.20:5001; server side: 203.0.113.1:4000x -> 203.0.113.20:5001.
# Sequence numbers, options and payloads are not changed by the NAT.
. "$(dirname "$0")/pathlib.sh"
need_root; sk_init; need_nft
conn_topo
router_nft <<'NFT'
table ip nat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "rs" meta l4proto tcp masquerade to :40000-40099
    }
}
NFT
server_bg "$S4" 5001 --request 100 --reply 300 --accept-timeout 10
SRV=$SK_LAST_PID
wait_listen s 5001
caps_start
client "$S4" 5001 --outcome ok --sport 50000 --send 100 --expect 300
wait_pid "$SRV" 5
caps_stop
for f in "$OUT_C" "$OUT_S"; do
    want "$f" '.' 10
    want "$f" 'Flags \[S\],' 1
    want "$f" 'Flags \[S\.\],' 1
    want "$f" 'Flags \[F\.\]' 2
    want "$f" 'Flags \[R' 0
    want "$f" 'length 100' 1
    want "$f" 'length 300' 1
done
want "$OUT_C" '192\.0\.2\.10\.50000 [<>]|> 192\.0\.2\.10\.50000:' 10
want "$OUT_C" '203\.0\.113\.1\.' 0
want "$OUT_S" '203\.0\.113\.1\.400[0-9][0-9] > |> 203\.0\.113\.1\.400[0-9][0-9]:' 10
want "$OUT_S" '192\.0\.2\.10' 0
# same ISNs at both points (NAT does not touch sequence numbers)
isn() { lines "$1" | grep "Flags \[$2\]," | grep -oE 'seq [0-9]+' ; }
[ "$(isn "$OUT_C" S)" = "$(isn "$OUT_S" S)" ] || die "SYN ISN differs"
[ "$(isn "$OUT_C" 'S\.')" = "$(isn "$OUT_S" 'S\.')" ] || die "SYN-ACK ISN differs"
conn_finish
