#!/bin/bash
# tls12_common.sh - body of tls12_aead, tls12_cbc_etm, tls12_cbc_noetm (not
# a scenario itself): TLS 1.2 completed with suite T12_CIPHER (OpenSSL
# name) on both sides, openssl s_server -tls1_2 -WWW with the RSA
# certificate certs/rsa.pem (www.example.test from the test CA);
# openssl s_client -tls1_2 -keylogfile (one CLIENT_RANDOM line: the master
# secret) sends "GET /hello.txt HTTP/1.0"; T12_ETM: on (encrypt_then_mac
# negotiated, OpenSSL's default for CBC), off (s_client -no_etm: MAC then
# encrypt), or aead (not applicable). The verdict lines come on stdin.
: "${CONN_NAME:?} ${T12_CIPHER:?} ${T12_ID:?} ${T12_ETM:?}"
. "$(dirname "$0")/keylib.sh"
key_init
cat >"$SK_TMP/verdict" </dev/stdin; exec </dev/null
E=(); [ "$T12_ETM" = off ] && E=(-no_etm)
s_srv -naccept 1 -tls1_2 -cipher "$T12_CIPHER" -WWW -quiet -cert "$KCERTS/rsa.pem" -key "$KCERTS/rsa.key"
kcap_start
cli_in 10 1 "$GET" openssl s_client -connect $S4:443 -tls1_2 -cipher "$T12_CIPHER" "${E[@]}" -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG"
wait_pid "$SRV" 5
kcap_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "s_client failed"; }
client_says '^hello from the synack fixture'
grep -q '^CLIENT_RANDOM ' "$KEYLOG" || die "no CLIENT_RANDOM line"
tis "$OUT_P" 'tls.handshake.type==2' tls.handshake.ciphersuite "$T12_ID"
tis "$OUT_P" 'tls.handshake.type==2' tls.handshake.version 0x0303
case $T12_ETM in
    on)  twant "$OUT_P" 'tls.handshake.type==2 && tls.handshake.extension.type==22' 1 ;;
    *)   twant "$OUT_P" 'tls.handshake.type==2 && tls.handshake.extension.type==22' 0 ;;
esac
twant "$OUT_P" 'tls.handshake.type==20' 2 "${K[@]}"
twant "$OUT_P" 'http.request.method=="GET"' 1 "${K[@]}"
twant "$OUT_P" 'tls.alert_message.desc==0' 2 "${K[@]}"
key_finish <"$SK_TMP/verdict"
