#!/bin/bash
# close_after_hello: the server accepts, reads the whole ClientHello and then
# closes without a word: tlsapp.py --mode fin (python3) on 203.0.113.20:443,
# close() after reading the record: FIN, no alert. curl --tlsv1.3 (SNI
# www.example.test) fails with "SSL_connect: SSL_ERROR_SYSCALL" (exit 35) and
# closes too (FIN).
# Expect tls.closed_after_client_hello (server FIN, no alert) at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
srv python3 "$TAPP" $S4 443 --mode fin
wait_listen s 443
caps_start
cli 10 curl -sS --tlsv1.3 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 35 ] || { cli_log; die "curl: exit $CLI_RC, want 35"; }
client_says 'SSL_ERROR_SYSCALL'
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    twant "$f" 'ip.src==203.0.113.20 && tcp.len>0' 0
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.fin==1' 1
    twant "$f" 'tcp.flags.fin==1' 2
    twant "$f" 'tcp.flags.reset==1' 0
done
tls_finish
