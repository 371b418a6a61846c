#!/bin/bash
# mtu_blackhole: a path MTU black hole toward the server, for issue 15's
# `synack compare`. The router drops every forwarded IPv4 packet from the
# client side longer than 1000 bytes (nftables forward chain,
# `iifname "rc" ip length > 1000 drop`) and sends no ICMP "fragmentation
# needed". The handshake (small packets) passes both ways; the client then
# writes 4000 bytes, which leave as segments of 1448 + 1448 + 1104 bytes (mss
# 1460 minus the 12-byte timestamp option), all too large: they are seen at
# the client, retransmitted with growing RTO, and never reach the server.
# The client gives up after 3 s (socket timeout, outcome "timeout"); the
# captures stop before the server's own 5 s read timeout, so the server
# capture holds the handshake only.
. "$(dirname "$0")/pathlib.sh"
need_root; sk_init; need_nft
conn_topo
in_ns c sysctl -qw net.ipv4.tcp_mtu_probing=0 2>/dev/null || true
router_nft <<'NFT'
table ip path {
    chain forward {
        type filter hook forward priority 0; policy accept;
        iifname "rc" ip length > 1000 counter drop
    }
}
NFT
server_bg "$S4" 5001 --request 4000 --reply 300 --accept-timeout 10
wait_listen s 5001
caps_start
client "$S4" 5001 --outcome timeout --timeout 3 --send 4000 --expect 300
caps_stop
for f in "$OUT_C" "$OUT_S"; do
    want "$f" 'Flags \[S\],' 1
    want "$f" 'Flags \[S\.\],' 1
    want "$f" 'Flags \[R' 0
done
# client side: the large segments, at least once retransmitted
want "$OUT_C" '192\.0\.2\.10\.[0-9]+ > 203\.0\.113\.20\.5001: .*length (1[0-9]{3})$' 4+
# server side: no segment with data, nothing larger than 1000 bytes
want "$OUT_S" 'length [1-9][0-9]*$' 0
want "$OUT_S" '.' 3
in_ns r nft list ruleset | grep -E 'counter packets [1-9]' >&2 || die "router dropped nothing"
conn_finish
