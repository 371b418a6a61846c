#!/bin/bash
# reset_after_hello: the server accepts, reads the whole ClientHello and then
# resets: tlsapp.py --mode rst (python3, SO_LINGER {1,0} then close()) on
# 203.0.113.20:443: one [R.] right after the ClientHello's ACK, no alert.
# curl --tlsv1.3 fails with "Connection reset by peer" (exit 35).
# Expect tls.closed_after_client_hello (server RST, no alert) at both points
# (an RST after the TCP handshake: tcp.reset_after_handshake is the TCP view).
. "$(dirname "$0")/tlslib.sh"
tls_init curl
srv python3 "$TAPP" $S4 443 --mode rst
wait_listen s 443
caps_start
cli 10 curl -sS --tlsv1.3 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 35 ] || { cli_log; die "curl: exit $CLI_RC, want 35"; }
client_says 'reset by peer'
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    twant "$f" 'ip.src==203.0.113.20 && tcp.len>0' 0
    twant "$f" 'tcp.flags.fin==1' 0
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.reset==1' 1
    twant "$f" 'tcp.flags.reset==1' 1
done
tls_finish
