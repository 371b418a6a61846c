#!/bin/bash
# tls12_ok: a healthy TLS 1.2 connection. openssl s_server -tls1_2 (TLS 1.2
# only, certificate www.example.test from the test CA, -WWW serving one
# 32-byte file) on 203.0.113.20:443; curl --tls-max 1.2 with the CA
# verifies it, GETs /hello.txt, closes. Keys in tls12_ok.keylog.
# Expect tls.established (TLS 1.2, ECDHE-ECDSA-AES256-GCM-SHA384) at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
mkdir "$SK_TMP/www"; printf 'hello from the synack fixture.\n\n' >"$SK_TMP/www/hello.txt"
cd "$SK_TMP/www"
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_2 -WWW -quiet \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli 10 env SSLKEYLOGFILE="$KEYLOG" curl -sS --tlsv1.2 --tls-max 1.2 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/hello.txt
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "curl failed"; }
client_says '^hello from the synack fixture'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==2' tls.handshake.version 0x0303
    tis "$f" 'tls.handshake.type==2' tls.handshake.ciphersuite 0xc02c
    twant "$f" 'tls.handshake.type==11' 1      # Certificate, in clear
    twant "$f" 'tls.handshake.type==12' 1      # ServerKeyExchange
    twant "$f" 'tls.handshake.type==16' 1      # ClientKeyExchange
    twant "$f" 'tls.record.content_type==20' 2 # ChangeCipherSpec both ways
    twant "$f" 'tcp.flags.reset==1' 0
    twant "$f" 'tcp.flags.fin==1' 2
    twant "$f" 'tls.handshake.type==20' 2 "${K[@]}"
    twant "$f" 'tls.alert_message.desc==0' 2 "${K[@]}"
    twant "$f" 'http.request.method=="GET"' 1 "${K[@]}"
done
tls_finish
