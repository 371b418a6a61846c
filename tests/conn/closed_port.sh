#!/bin/bash
# closed_port (and closed_port6 with CONN_V6=1): nothing listens on tcp/5002
# at the server; the server kernel answers the SYN with RST-ACK
# (ECONNREFUSED). Both sides see the same two packets: tcp.refused. Over IPv4
# the RST reaches the client with TTL 63 (sent by the server with 64, one hop
# forwarded), unlike reject_rst where the router forges it (TTL 64).
. "$(dirname "$0")/connlib.sh"
need_root; sk_init
if [ "${CONN_V6:-0}" = 1 ]; then conn_topo v6; DST=$S6; else conn_topo; DST=$S4; fi
caps_start
client "$DST" 5002 --outcome refused
caps_stop
for f in "$OUT_C" "$OUT_S"; do
    want "$f" 'Flags \[S\],' 1
    want "$f" 'Flags \[R\.\], seq 0, ack [0-9]+, win 0, length 0' 1
    want "$f" '.' 2
done
if [ "${CONN_V6:-0}" != 1 ]; then
    tcpdump -nn -v -r "$OUT_C" 2>/dev/null | grep -B1 'Flags \[R' | grep -q 'ttl 63,' || die "server RST without TTL 63"
fi
conn_finish
