#!/bin/bash
# tls13_ok: a healthy TLS 1.3 connection. openssl s_server (TLS 1.3 only,
# certificate www.example.test from the test CA, -WWW serving one 32-byte
# file, default two session tickets) on 203.0.113.20:443; curl --tlsv1.3
# with the CA verifies it, GETs /hello.txt, closes (close_notify both ways,
# then FINs; which side first varies). Keys in tls13_ok.keylog (curl's SSLKEYLOGFILE).
# Expect tls.established (TLS 1.3) at both capture points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
mkdir "$SK_TMP/www"; printf 'hello from the synack fixture.\n\n' >"$SK_TMP/www/hello.txt"
cd "$SK_TMP/www"
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_3 -WWW -quiet \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli 10 env SSLKEYLOGFILE="$KEYLOG" curl -sS --tlsv1.3 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/hello.txt
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "curl failed"; }
client_says '^hello from the synack fixture'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    twant "$f" 'tls.handshake.type==2' 1
    tis "$f" 'tls.handshake.type==2' tls.handshake.extensions.supported_version 0x0304
    tis "$f" 'tls.handshake.type==1' tls.handshake.extensions_server_name www.example.test
    twant "$f" 'tls.alert_message' 0           # nothing in clear
    twant "$f" 'tcp.flags.reset==1' 0
    twant "$f" 'tcp.flags.fin==1' 2
    # decrypted: both Finished, the request, two close_notify
    twant "$f" 'tls.handshake.type==20' 2 "${K[@]}"
    twant "$f" 'tls.alert_message.desc==0' 2 "${K[@]}"
    twant "$f" 'http.request.method=="GET"' 1 "${K[@]}"
done
tls_finish
