#!/bin/bash
# reject_common.sh - body of untrusted_sclient, untrusted_gnutls,
# expired_sclient, expired_accepted (not a scenario itself): openssl
# s_server -tls1_3 -WWW shows certs/selfsigned.pem (RJ_CERT=selfsigned) or
# certs/expired.pem (RJ_CERT=expired, notAfter 2025-01-01) and the client
# logs its keys. RJ_CLIENT: sclient (s_client -verify_return_error: rejects,
# its alert in clear), gnutls (gnutls-cli: rejects, its alert encrypted
# under the client handshake traffic secret), accept (s_client WITHOUT
# -verify_return_error: notes the error, completes, GET).
# RJ_ALERT: the client's alert (decimal), empty for accept. The verdict
# lines of NAME.expect come on stdin.
: "${CONN_NAME:?} ${RJ_CERT:?} ${RJ_CLIENT:?}"
. "$(dirname "$0")/keylib.sh"
case $RJ_CLIENT in gnutls) key_init gnutls-cli ;; *) key_init ;; esac
cat >"$SK_TMP/verdict" </dev/stdin; exec </dev/null   # the verdict lines, from the wrapper's stdin
s_srv -naccept 1 -tls1_3 -WWW -quiet -cert "$CERTS/$RJ_CERT.pem" -key "$CERTS/$RJ_CERT.key"
kcap_start
case $RJ_CLIENT in
    sclient) cli_in 10 1 '' openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" -verify_return_error \
                 -servername www.example.test -keylogfile "$KEYLOG" ;;
    accept)  cli_in 10 1 "$GET" openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" \
                 -servername www.example.test -keylogfile "$KEYLOG" ;;
    gnutls)  cli_in 10 1 '' env SSLKEYLOGFILE="$KEYLOG" gnutls-cli -p 443 --x509cafile "$CERTS/ca.pem" \
                 --sni-hostname www.example.test --verify-hostname www.example.test "$S4" ;;
esac
wait_pid "$SRV" 5
kcap_stop
twant "$OUT_P" 'ip.src==203.0.113.20 && tls.handshake.type==11' 1 "${K[@]}"
if [ "$RJ_CLIENT" = accept ]; then
    [ "$CLI_RC" = 0 ] || { cli_log; die "s_client failed"; }
    client_says 'certificate has expired'
    client_says '^hello from the synack fixture'
    twant "$OUT_P" 'tls.handshake.type==20' 2 "${K[@]}"
    twant "$OUT_P" 'tls.alert_message.level==2' 0 "${K[@]}"
else
    [ "$CLI_RC" != 0 ] || { cli_log; die "the client accepted"; }
    twant "$OUT_P" 'ip.src==192.0.2.10 && tls.handshake.type==20' 0 "${K[@]}"   # no client Finished
    tis "$OUT_P" 'tls.alert_message' tls.alert_message.desc "$RJ_ALERT" "${K[@]}"
    if [ "$RJ_CLIENT" = gnutls ]; then twant "$OUT_P" 'tls.alert_message' 0
    else tis "$OUT_P" 'tls.alert_message' tcp.payload "$(printf '150303000202%02x' "$RJ_ALERT")"; fi
fi
key_finish <"$SK_TMP/verdict"
