#!/bin/bash
# icmp_common.sh - body of the icmp_* scenarios (not a scenario itself).
# Called with CONN_NAME, CONN_V6 (0/1), ICMP_TYPE (nftables reject type) and
# ICMP_OUTCOME (connapp outcome) set by the wrapper. The ROUTER rejects the
# client's SYNs to tcp/5001 with that ICMP/ICMPv6 error (the server listens
# and never sees the SYN). Client side: tcp.icmp_unreachable, sent by the
# router 192.0.2.1 / 2001:db8:1::1, quoting the SYN. Server side: nothing.
. "$(dirname "$0")/connlib.sh"
need_root; sk_init; need_nft
: "${ICMP_TYPE:?} ${ICMP_OUTCOME:?}"
if [ "${CONN_V6:-0}" = 1 ]; then
    conn_topo v6; DST=$S6; FAM=ip6; RTR=$R6C; REJ="icmpv6 type $ICMP_TYPE"
else
    conn_topo; DST=$S4; FAM=ip; RTR=$R4C; REJ="icmp type $ICMP_TYPE"
fi
router_nft <<NFT
table $FAM conn {
    chain forward {
        type filter hook forward priority 0; policy accept;
        tcp dport 5001 counter reject with $REJ
    }
}
NFT
server_bg "$DST" 5001 --accept-timeout 5
wait_listen s 5001
caps_start
client "$DST" 5001 --outcome "$ICMP_OUTCOME" --timeout 3.5
caps_stop
want "$OUT_C" 'Flags \[S\],' "${ICMP_SYNS:-1}"
want "$OUT_C" "^[0-9:.]+ IP6? $RTR > " "${ICMP_SYNS:-1}"
want "$OUT_S" '.' 0
conn_finish
