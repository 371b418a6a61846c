#!/bin/bash
# expired_accepted_tls12: the same expired certificate as expired_cert_tls12
# (certs/expired.pem, notAfter 2025-01-01, TLS 1.2 so it is seen in clear),
# but the client does not check it: curl --insecure --tlsv1.2 completes the
# handshake, fetches /hello.txt, both close.
# Expect tls.established (the handshake is a fact), and the words follow the
# findings: the summary says the certificate has problems the client accepted
# and the next step is to fix them, never "TLS is healthy here" (issue 12,
# item 11). The certificate came alone, from the private test CA: a note,
# not "an intermediate is missing".
. "$(dirname "$0")/tlslib.sh"
tls_init curl
mkdir -p "$SK_TMP/www"; printf 'hello from synack tests, 32 b.\n' >"$SK_TMP/www/hello.txt"
cd "$SK_TMP/www"
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_2 -WWW -quiet \
    -cert "$CERTS/expired.pem" -key "$CERTS/expired.key"
wait_listen s 443
caps_start
cli 10 curl -sS --insecure --tlsv1.2 --tls-max 1.2 \
    --resolve www.example.test:443:203.0.113.20 https://www.example.test/hello.txt
wait_pid "$SRV" 5
caps_stop

[ "$CLI_RC" = 0 ] || { cli_log; die "curl: exit $CLI_RC, want 0"; }
client_says 'hello from synack'
for f in "$OUT_C" "$OUT_S"; do
    tis "$f" 'tls.handshake.type==2' tls.handshake.version 0x0303
    tis "$f" 'tls.handshake.type==11' x509af.utcTime '2024-01-01 00:00:00 (UTC),2025-01-01 00:00:00 (UTC)'
    twant "$f" 'tls.alert_message.level==2' 0
    twant "$f" 'tls.record.content_type==23' 2+
done
tls_finish
