#!/bin/bash
# certreq_gnutls_tls13: mutual TLS 1.3 with a GnuTLS server. gnutls-serv
# 3.7.9 -p 443 --require-client-cert --verify-client-cert --x509cafile
# ca.pem (certs/server.pem, TLS 1.3 only, --http; it serves until stopped:
# killed after the captures); openssl s_client -tls1_3 -keylogfile has no
# certificate, its stdin held open 2 s. Server: ServerHello + CCS in one
# 133-byte segment, then five encrypted records in one segment (with the
# keys: EncryptedExtensions, CertificateRequest, Certificate,
# CertificateVerify, Finished); client 110 bytes: CCS, empty Certificate,
# Finished. Then the server sends ONE application_data record of 24 bytes on
# the wire (record length 19, not padded), under its APPLICATION traffic key
# (it decrypts only with SERVER_TRAFFIC_SECRET_0): fatal
# certificate_required(116); then S FIN and S RST. gnutls-serv: "Error in
# handshake: Certificate is required."; s_client exit 1, "tlsv13 alert
# certificate required". Nothing in clear says alert. Keys (client) in
# certreq_gnutls_tls13.keylog. Expect tls.alert (server, a probable
# encrypted alert: one short encrypted record from the SERVER right after
# the client's second flight, then its close; the server rejected the
# client), tls.established false, at both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init gnutls-serv
cd "$SK_TMP/www"
srv gnutls-serv -p 443 --x509certfile "$CERTS/server.pem" --x509keyfile "$CERTS/server.key" \
    --x509cafile "$CERTS/ca.pem" --require-client-cert --verify-client-cert \
    --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 --http >"$SK_TMP/srv.out" 2>&1
wait_listen s 443
caps_start
cli_in 10 2 '' openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG"
caps_stop
kill -TERM "$SRV" 2>/dev/null || true     # gnutls-serv serves until stopped
wait_pid "$SRV" 5
[ "$CLI_RC" = 1 ] || { cli_log; die "s_client: exit $CLI_RC, want 1"; }
client_says 'alert certificate required'
grep -q 'Error in handshake: Certificate is required' "$SK_TMP/srv.out" || die "gnutls-serv said: $(tail -3 "$SK_TMP/srv.out")"
for f in "$OUT_C" "$OUT_S"; do
    certreq_checks "$f" 19 116 0
    [ "$(fins "$f" server)" = 1 ] || die "$(basename "$f"): closing '$(closing "$f")', want one server FIN"
done
log "gnutls-serv: $(grep -m1 -iE 'error|fail' "$SK_TMP/srv.out")"
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
