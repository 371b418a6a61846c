#!/bin/bash
# certreq_go_tls13: mutual TLS 1.3 with a Go server. clients/tlsserver.go
# (go1.19, built here, standard library only; ClientAuth
# RequireAndVerifyClientCert, ClientCAs ca.pem, certs/server.pem, TLS 1.3
# only, one connection); openssl s_client -tls1_3 -keylogfile has no
# certificate, its stdin held open 2 s. Server: one 901-byte segment
# (ServerHello, CCS, five encrypted records: EncryptedExtensions,
# CertificateRequest, Certificate, CertificateVerify, Finished;
# TLS_AES_128_GCM_SHA256); client 94 bytes: CCS, empty Certificate,
# Finished. Then the server sends ONE application_data record of 24 bytes
# (record length 19, not padded) under its application traffic key: fatal
# bad_certificate(42) (Go 1.19's alert for a missing client certificate, not
# certificate_required); then one FIN each way (either first), no RST.
# tlsserver: "tls: client didn't provide a certificate"; s_client exit 1,
# "sslv3 alert bad certificate". Keys (client) in certreq_go_tls13.keylog.
# Expect tls.alert (server, a probable encrypted alert after the client's
# second flight), tls.established false, at both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init go
go_build tlsserver
srv "$GOBIN_OUT" -addr $S4:443 -cert "$CERTS/server.pem" -key "$CERTS/server.key" \
    -ca "$CERTS/ca.pem" -tls 1.3 2>"$SK_TMP/srv.err"
wait_listen s 443
caps_start
cli_in 10 2 '' openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG"
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "s_client: exit $CLI_RC, want 1"; }
client_says 'alert bad certificate'
grep -q "client didn't provide a certificate" "$SK_TMP/srv.err" || die "tlsserver said: $(cat "$SK_TMP/srv.err")"
for f in "$OUT_C" "$OUT_S"; do
    certreq_checks "$f" 19 42 0
    fin_each_way "$f"
done
log "tlsserver: $(cat "$SK_TMP/srv.err")"
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
