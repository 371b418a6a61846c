#!/bin/bash
# tls13_curl: TLS 1.3 completed, curl (OpenSSL) with SSLKEYLOGFILE against
# openssl s_server -tls1_3 -WWW -alpn http/1.1 (certs/server.pem, two
# session tickets): curl offers ALPN h2,http/1.1, the server selects
# http/1.1 in its EncryptedExtensions (visible only decrypted); GET
# /hello.txt, close_notify both ways. Default suite TLS_AES_256_GCM_SHA384.
. "$(dirname "$0")/keylib.sh"
key_init curl
s_srv -naccept 1 -tls1_3 -alpn http/1.1 -WWW -quiet -cert "$CERTS/server.pem" -key "$CERTS/server.key"
kcap_start
cli 10 env SSLKEYLOGFILE="$KEYLOG" curl -sS --tlsv1.3 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/hello.txt
wait_pid "$SRV" 5
kcap_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "curl failed"; }
client_says '^hello from the synack fixture'
twant "$OUT_P" 'tls.handshake.extensions_alpn_str' 1           # only the ClientHello's, in clear
tis "$OUT_P" 'tls.handshake.type==8' tls.handshake.extensions_alpn_str http/1.1 "${K[@]}"
twant "$OUT_P" 'tls.handshake.type==20' 2 "${K[@]}"
twant "$OUT_P" 'http.request.method=="GET"' 1 "${K[@]}"
key_finish <<EXP
verdict 1 tcp.completed tls.established
note 1 established proven: both Finished decrypt
note 1 ALPN http/1.1 selected in the EncryptedExtensions (decrypted; without keys only the offer h2,http/1.1 is visible)
EXP
