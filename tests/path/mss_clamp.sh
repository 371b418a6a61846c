#!/bin/bash
# mss_clamp: the router clamps the MSS option of every forwarded SYN and
# SYN-ACK to 1200 (nftables forward chain, `tcp option maxseg size set 1200`),
# for issue 15's `synack compare`. Both ends announce mss 1460: the client's
# SYN leaves with mss 1460 and reaches the server with mss 1200; the server's
# SYN-ACK leaves with mss 1460 and reaches the client with mss 1200. A
# completed connection: 3000 bytes up, 3000 down (so the clamped MSS shows in
# the segment sizes: at most 1188 bytes of payload, 1200 minus the 12-byte
# timestamp option), server FIN then client FIN.
. "$(dirname "$0")/pathlib.sh"
need_root; sk_init; need_nft
conn_topo
router_nft <<'NFT'
table ip mangle {
    chain forward {
        type filter hook forward priority mangle; policy accept;
        tcp flags & syn == syn tcp option maxseg size set 1200
    }
}
NFT
server_bg "$S4" 5001 --request 3000 --reply 3000 --accept-timeout 10
SRV=$SK_LAST_PID
wait_listen s 5001
caps_start
client "$S4" 5001 --outcome ok --send 3000 --expect 3000
wait_pid "$SRV" 5
caps_stop
for f in "$OUT_C" "$OUT_S"; do
    want "$f" 'Flags \[S\],' 1
    want "$f" 'Flags \[S\.\],' 1
    want "$f" 'Flags \[F\.\]' 2
    want "$f" 'Flags \[R' 0
    want "$f" 'length (1[2-9][0-9][0-9]|[2-9][0-9][0-9][0-9])$' 0
done
want "$OUT_C" 'Flags \[S\],.*mss 1460,' 1
want "$OUT_S" 'Flags \[S\],.*mss 1200,' 1
want "$OUT_S" 'Flags \[S\.\],.*mss 1460,' 1
want "$OUT_C" 'Flags \[S\.\],.*mss 1200,' 1
conn_finish
