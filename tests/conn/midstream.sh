#!/bin/bash
# midstream: the capture starts on a connection that is already established.
# The client connects to an echo server (tcp/5001) and sends four 64-byte
# chunks 0.25 s apart, reading each echo, then idles; the tcpdumps start; the
# client sends 3 more chunks (echoed) and closes (client FIN first, then the
# server's FIN). Neither capture holds the SYN, SYN-ACK or handshake ACK, nor
# the first 256 bytes each way (the first captured segment is not seq 1).
# Both sides: tcp.not_seen (one connection, data both ways, FIN close).
. "$(dirname "$0")/connlib.sh"
need_root; sk_init
conn_topo
GO="$SK_TMP/go"; READY="$SK_TMP/ready"
server_bg "$S4" 5001 --echo --accept-timeout 10
SRV=$SK_LAST_PID
wait_listen s 5001
bg c timeout 25 python3 "$CAPP" periodic "$S4" 5001 --ready "$READY" --go "$GO" \
    --chunk 64 --interval 0.25 --before 4 --after 3
CLI=$SK_LAST_PID
for i in $(seq 1 100); do [ -e "$READY" ] && break; sleep 0.05; done
[ -e "$READY" ] || die "client did not get ready"
sleep 0.3   # any delayed ACK of the last echo lands before the captures
caps_start
touch "$GO"
wait_pid "$CLI" 10
wait_pid "$SRV" 5
caps_stop
for f in "$OUT_C" "$OUT_S"; do
    want "$f" 'Flags \[S' 0
    want "$f" 'length 64' 6
    want "$f" '.' 12
    want "$f" 'Flags \[F\.\]' 2
    want "$f" 'Flags \[R' 0
done
conn_finish
