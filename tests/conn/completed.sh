#!/bin/bash
# completed (and completed6 with CONN_V6=1): a healthy connection.
# Handshake, 100 bytes client->server, 300 bytes server->client, the server
# closes first (FIN), then the client (FIN). Server tcp/5001.
# Expect tcp.completed at both capture points.
. "$(dirname "$0")/connlib.sh"
need_root; sk_init
if [ "${CONN_V6:-0}" = 1 ]; then conn_topo v6; DST=$S6; else conn_topo; DST=$S4; fi
server_bg "$DST" 5001 --request 100 --reply 300 --accept-timeout 10
SRV=$SK_LAST_PID
wait_listen s 5001
caps_start
client "$DST" 5001 --outcome ok --send 100 --expect 300
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
conn_finish
