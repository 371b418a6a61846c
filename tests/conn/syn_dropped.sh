#!/bin/bash
# syn_dropped (and syn_dropped6 with CONN_V6=1): the router drops the client's
# SYNs to tcp/5001 (nftables, forward chain); the server listens but never
# sees them. The client connect() has a 3.5 s socket timeout: the kernel
# sends the SYN and retransmits it (about 1 s apart on this kernel: linear
# SYN timeouts), so 4 SYNs with one ISN, then the socket is closed (no RST
# is sent from SYN_SENT).
# Client side: tcp.no_answer (4 SYNs, one ISN). Server side: nothing.
. "$(dirname "$0")/connlib.sh"
need_root; sk_init; need_nft
if [ "${CONN_V6:-0}" = 1 ]; then conn_topo v6; DST=$S6; else conn_topo; DST=$S4; fi
router_nft <<'NFT'
table inet conn {
    chain forward {
        type filter hook forward priority 0; policy accept;
        tcp dport 5001 tcp flags & (syn|ack) == syn counter drop
    }
}
NFT
server_bg "$DST" 5001 --accept-timeout 6
wait_listen s 5001
caps_start
client "$DST" 5001 --outcome timeout --timeout 3.5
caps_stop
want "$OUT_C" 'Flags \[S\],' 4
[ "$(lines "$OUT_C" | grep -oE 'seq [0-9]+' | sort -u | wc -l)" = 1 ] || die "SYNs with different ISNs"
want "$OUT_C" '.' 4
want "$OUT_S" '.' 0
conn_finish
