#!/bin/bash
# port_reuse (and port_reuse_tw with REUSE_TW=1): two connections one after
# the other with the SAME 4-tuple, 192.0.2.10:40000 -> 203.0.113.20:5001
# (client SO_REUSEADDR + bind to port 40000), 0.3 s apart, each with a
# 100-byte request and a 200-byte reply, each with its own ISNs.
#   port_reuse:    the client aborts the first connection with RST
#                  (SO_LINGER {1,0}) after the reply (the server had already
#                  sent its FIN), so no TIME_WAIT anywhere; the second one
#                  closes normally (server FIN, client FIN).
#   port_reuse_tw: both close normally, server first: the server's socket of
#                  the first connection is in TIME_WAIT when the second SYN
#                  arrives, and Linux accepts the new SYN (its ISN and
#                  timestamp are higher) - a TIME_WAIT reuse.
# Both sides: two connections reported separately, both tcp.completed.
. "$(dirname "$0")/connlib.sh"
need_root; sk_init
conn_topo
ABORT=(--abort); [ "${REUSE_TW:-0}" = 1 ] && ABORT=()
server_bg "$S4" 5001 --count 2 --request 100 --reply 200 --accept-timeout 10
SRV=$SK_LAST_PID
wait_listen s 5001
caps_start
client "$S4" 5001 --outcome ok --sport 40000 --repeat 2 --gap 0.3 --send 100 --expect 200 "${ABORT[@]}"
wait_pid "$SRV" 5
caps_stop
for f in "$OUT_C" "$OUT_S"; do
    want "$f" '192\.0\.2\.10\.40000 > 203\.0\.113\.20\.5001: Flags \[S\],' 2
    want "$f" 'Flags \[S\.\],' 2
    want "$f" 'length 100' 2
    want "$f" 'length 200' 2
    [ "$(lines "$f" | grep 'Flags \[S\],' | grep -oE 'seq [0-9]+' | sort -u | wc -l)" = 2 ] || die "same ISN twice"
    if [ "${REUSE_TW:-0}" = 1 ]; then
        want "$f" 'Flags \[F\.\]' 4; want "$f" 'Flags \[R' 0
    else
        want "$f" 'Flags \[R' 1; want "$f" 'Flags \[F\.\]' 3
    fi
done
conn_finish
