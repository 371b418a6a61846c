#!/bin/bash
# plaintext_client: a plaintext HTTP client on the TLS port. openssl s_server
# (TLS, certificate www.example.test) on 203.0.113.20:443; curl
# http://203.0.113.20:443/ sends "GET / HTTP/1.1" in clear. OpenSSL sees a
# first record starting "GET " (SSL_R_HTTP_REQUEST), sends no alert and
# closes: server FIN right after the request, curl "Empty reply from server"
# (exit 52), client FIN.
# Expect tls.not_tls (client sent non-TLS bytes "GET / HTTP/1.1") at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
srv openssl s_server -accept $S4:443 -naccept 1 -WWW -quiet \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli 10 curl -sS http://$S4:443/
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 52 ] || { cli_log; die "curl: exit $CLI_RC, want 52"; }
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.record' 0
    twant "$f" 'ip.src==192.0.2.10 && tcp.len>0' 1
    twant "$f" 'http.request.method=="GET" && http.request.uri=="/"' 1 -d tcp.port==443,http
    twant "$f" 'ip.src==203.0.113.20 && tcp.len>0' 0
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.fin==1' 1
    twant "$f" 'tcp.flags.fin==1' 2
    twant "$f" 'tcp.flags.reset==1' 0
done
want "$OUT_C" 'length 80$' 1
tls_finish
