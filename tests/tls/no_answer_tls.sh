#!/bin/bash
# no_answer_tls: the server accepts and reads the ClientHello but never
# answers: tlsapp.py --mode silent --hold 8 (python3) on 203.0.113.20:443.
# curl --tlsv1.3 -m 3 gives up after 3 s (exit 28) and closes (FIN); the
# server's kernel ACKs the FIN, the server application still holds the socket
# when the captures stop (no server FIN in them).
# Expect tls.no_server_hello (ClientHello acknowledged, no answer in ~3 s) at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
srv python3 "$TAPP" $S4 443 --mode silent --hold 8
wait_listen s 443
caps_start
cli 10 curl -sS -m 3 --tlsv1.3 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/
caps_stop
[ "$CLI_RC" = 28 ] || { cli_log; die "curl: exit $CLI_RC, want 28"; }
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    twant "$f" 'tcp.analysis.retransmission' 0
    twant "$f" 'ip.src==203.0.113.20 && tcp.len>0' 0
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.fin==1' 0
    twant "$f" 'ip.src==192.0.2.10 && tcp.flags.fin==1' 1
    twant "$f" 'tcp.flags.reset==1' 0
    # the client's FIN about 3 s after its ClientHello
    d=$(tsh "$f" -Y 'tls.handshake.type==1 || tcp.flags.fin==1' -T fields -e frame.time_epoch | \
        awk 'NR==1{a=$1} END{printf "%.0f", ($1-a)*10}')
    [ "$d" -ge 28 ] && [ "$d" -le 32 ] || die "ClientHello to FIN: ${d}00 ms, want ~3 s"
done
tls_finish
