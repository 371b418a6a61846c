#!/bin/bash
# alpn_mismatch: openssl s_server -alpn h2 (TLS 1.3) and curl --http1.1,
# which offers only http/1.1 in its ALPN: the server answers the ClientHello
# with a plaintext fatal no_application_protocol(120) alert (a record whose
# version says TLS 1.2), before any ServerHello, then closes.
# Expect tls.alert (server, fatal no_application_protocol(120)) whose words
# name what the client offered ("only http/1.1 ... the server accepts none of
# it") and a next step about ALPN, not "read the alert's meaning" (issue 12,
# item 11).
. "$(dirname "$0")/tlslib.sh"
tls_init curl
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_3 -alpn h2 -WWW -quiet \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli 10 curl -sS --http1.1 --tlsv1.3 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:203.0.113.20 https://www.example.test/
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 35 ] || { cli_log; die "curl: exit $CLI_RC, want 35"; }
client_says 'no application protocol'
for f in "$OUT_C" "$OUT_S"; do
    tis "$f" 'tls.handshake.type==1' tls.handshake.extensions_alpn_str 'http/1.1'
    twant "$f" 'tls.handshake.type==2' 0
    tis "$f" 'ip.src==203.0.113.20 && tls.alert_message' tcp.payload 15030300020278
done
tls_finish
