#!/bin/bash
# synack_dropped: the server answers, but the router drops the server's
# SYN-ACKs on the way back (nftables forward chain: from 203.0.113.20
# tcp sport 5001 with flags SYN+ACK). The client's connect() has a 3.5 s
# socket timeout: it sends the SYN and its retransmissions (~1 s apart) and
# never sees an answer. The server sees every SYN and answers each (a
# retransmitted SYN makes the server resend its SYN-ACK, same ISN, and its own
# SYN-ACK timer retransmits too); it never gets the final ACK. The captures
# stop 1 s after the client gave up (the server's request socket would keep
# retransmitting the SYN-ACK for a while longer).
# Client side: tcp.no_answer. Server side: tcp.synack_not_acked.
. "$(dirname "$0")/connlib.sh"
need_root; sk_init; need_nft
conn_topo
router_nft <<'NFT'
table ip conn {
    chain forward {
        type filter hook forward priority 0; policy accept;
        ip saddr 203.0.113.20 tcp sport 5001 tcp flags & (syn|ack) == syn|ack counter drop
    }
}
NFT
server_bg "$S4" 5001 --accept-timeout 6
wait_listen s 5001
caps_start
client "$S4" 5001 --outcome timeout --timeout 3.5
caps_stop 1
want "$OUT_C" 'Flags \[S\],' 4
want "$OUT_C" '.' 4
want "$OUT_S" 'Flags \[S\],' 4
want "$OUT_S" 'Flags \[S\.\],' 4+
want "$OUT_S" 'Flags \[[.PFR]' 0
[ "$(lines "$OUT_S" | grep 'Flags \[S\.\]' | grep -oE 'seq [0-9]+' | sort -u | wc -l)" = 1 ] || die "SYN-ACKs with different ISNs"
conn_finish
