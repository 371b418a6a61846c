#!/bin/bash
# reset_after_handshake (and reset_after_data with RESET_DATA=1): the server
# accepts the connection (handshake completes) and then aborts it with RST
# (SO_LINGER {1,0} + close).
#   reset_after_handshake: the server aborts 0.1 s after accept(), before any
#                          data; the client is waiting in recv() -> ECONNRESET.
#   reset_after_data:      the client sends 100 bytes, the server reads them
#                          and aborts (no reply) -> [R.] right after the data.
# Both sides: tcp.reset_after_handshake, reset sent by the server.
. "$(dirname "$0")/connlib.sh"
need_root; sk_init
conn_topo
if [ "${RESET_DATA:-0}" = 1 ]; then
    SARGS=(--request 100 --abort); CARGS=(--send 100)
else
    SARGS=(--abort-before-data); CARGS=()
fi
server_bg "$S4" 5001 "${SARGS[@]}" --accept-timeout 10
SRV=$SK_LAST_PID
wait_listen s 5001
caps_start
client "$S4" 5001 --outcome reset "${CARGS[@]}"
wait_pid "$SRV" 5
caps_stop
for f in "$OUT_C" "$OUT_S"; do
    want "$f" 'Flags \[S\],' 1
    want "$f" 'Flags \[S\.\],' 1
    want "$f" '203\.0\.113\.20\.5001 > 192\.0\.2\.10\.[0-9]+: Flags \[R\.\]' 1
    want "$f" 'Flags \[F' 0
    if [ "${RESET_DATA:-0}" = 1 ]; then
        want "$f" 'length 100' 1; want "$f" '.' 6
    else
        want "$f" 'length [1-9]' 0; want "$f" '.' 4
    fi
done
conn_finish
