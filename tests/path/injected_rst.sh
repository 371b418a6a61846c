#!/bin/bash
# injected_rst: an on-path device forges a reset, for issue 15's `synack
# compare`. The router lets the handshake through but answers the client's
# first data segment with a TCP reset toward the client (nftables forward
# chain: client->server TCP without SYN and with IP length > 52, i.e. with
# payload given the 12-byte timestamp option, `reject with tcp reset`). The
# RST carries the server's address and port but comes from the router
# (TTL 64 at the client; the server's own packets arrive with 63), and the
# data segment never reaches the server. The client sees its 100 bytes
# answered by [R] (outcome "reset"); the server sees the handshake, waits
# for the request until its 5 s read timeout, closes (FIN), and gets an [R]
# from the client's kernel, which no longer knows the connection.
. "$(dirname "$0")/pathlib.sh"
need_root; sk_init; need_nft
conn_topo
router_nft <<'NFT'
table ip path {
    chain forward {
        type filter hook forward priority 0; policy accept;
        iifname "rc" tcp dport 5001 tcp flags & syn == 0 ip length > 52 counter reject with tcp reset
    }
}
NFT
server_bg "$S4" 5001 --request 100 --reply 300 --accept-timeout 10
SRV=$SK_LAST_PID
wait_listen s 5001
caps_start
client "$S4" 5001 --outcome reset --send 100 --expect 300
wait_pid "$SRV" 10
caps_stop
for f in "$OUT_C" "$OUT_S"; do
    want "$f" 'Flags \[S\],' 1
    want "$f" 'Flags \[S\.\],' 1
done
# client: data out, a forged RST in, FIN from the server later, client kernel RST
want "$OUT_C" '192\.0\.2\.10\.[0-9]+ > 203\.0\.113\.20\.5001: .*length 100$' 1
want "$OUT_C" '203\.0\.113\.20\.5001 > 192\.0\.2\.10\.[0-9]+: Flags \[R\]' 1
tcpdump -nn -v -r "$OUT_C" 2>/dev/null | grep -A1 'ttl 64,' | grep -q '203\.0\.113\.20\.5001 > .*Flags \[R\]' \
    || die "forged RST without TTL 64"
# server: never any payload from the client, never sends a RST itself
want "$OUT_S" '192\.0\.2\.10\.[0-9]+ > 203\.0\.113\.20\.5001: .*length [1-9][0-9]*$' 0
want "$OUT_S" '203\.0\.113\.20\.5001 > 192\.0\.2\.10\.[0-9]+: Flags \[R' 0
in_ns r nft list ruleset | grep -E 'counter packets 1 ' >&2 || die "router did not reject exactly one packet"
conn_finish
