#!/bin/bash
# tls13_gnutls: TLS 1.3 completed, gnutls-cli (GnuTLS, SSLKEYLOGFILE)
# against openssl s_server -tls1_3 -WWW (certs/server.pem, two session
# tickets); gnutls-cli verifies the certificate and name, sends "GET
# /hello.txt HTTP/1.0" from its stdin, the server answers and closes.
. "$(dirname "$0")/keylib.sh"
key_init gnutls-cli
s_srv -naccept 1 -tls1_3 -WWW -quiet -cert "$CERTS/server.pem" -key "$CERTS/server.key"
kcap_start
cli_in 10 2 "$GET" env SSLKEYLOGFILE="$KEYLOG" gnutls-cli -p 443 --x509cafile "$CERTS/ca.pem" \
    --sni-hostname www.example.test --verify-hostname www.example.test "$S4"
wait_pid "$SRV" 5
kcap_stop
client_says 'hello from the synack fixture'
tis "$OUT_P" 'tls.handshake.type==2' tls.handshake.extensions.supported_version 0x0304
twant "$OUT_P" 'tls.handshake.type==20' 2 "${K[@]}"
twant "$OUT_P" 'http.request.method=="GET"' 1 "${K[@]}"
key_finish <<EXP
verdict 1 tcp.completed tls.established
note 1 established proven: both Finished decrypt
EXP
