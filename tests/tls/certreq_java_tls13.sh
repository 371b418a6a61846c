#!/bin/bash
# certreq_java_tls13: mutual TLS 1.3 with a Java JSSE server.
# clients/TlsServer.java (OpenJDK 17, compiled here; key store from
# certs/server.pem, trust store from ca.pem, setNeedClientAuth, TLSv1.3
# only, one connection); openssl s_client -tls1_3 -keylogfile has no
# certificate, its stdin held open 2 s. Server: every message in its own
# segment: ServerHello (127), CCS (6), then five encrypted records
# (EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify,
# Finished), each PADDED with 16 zero bytes; client 110 bytes: CCS, empty
# Certificate, Finished. Then the server sends ONE application_data record
# of 40 bytes on the wire (record length 35: the alert padded with 16 zero
# bytes) under its application traffic key: fatal bad_certificate(42); then
# one FIN each way, no RST. TlsServer: "SSLHandshakeException: Empty client
# certificate chain"; s_client exit 1, "sslv3 alert bad certificate". Keys
# (client) in certreq_java_tls13.keylog. Expect tls.alert (server, a
# probable encrypted alert after the client's second flight, although the
# record is 35 bytes, not 19), tls.established false, at both points: not
# tls.established.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init java javac keytool
java_build TlsServer
java_keystore server
srv java -cp "$JDIR" TlsServer $S4 443 "$JDIR/server.p12" "$JDIR/trust.p12" changeit TLSv1.3 2>"$SK_TMP/srv.err"
wait_listen s 443
caps_start
cli_in 10 2 '' openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG"
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "s_client: exit $CLI_RC, want 1"; }
client_says 'alert bad certificate'
grep -q "Empty client certificate chain" "$SK_TMP/srv.err" || die "TlsServer said: $(cat "$SK_TMP/srv.err")"
for f in "$OUT_C" "$OUT_S"; do
    certreq_checks "$f" 35 42 16
    [ "$(rec_pads "$f")" = 16,16,16,16,16,0,0,16 ] || die "$(basename "$f"): padding of the decrypted records $(rec_pads "$f"), want 16,16,16,16,16,0,0,16"
    fin_each_way "$f"
done
log "TlsServer: $(cat "$SK_TMP/srv.err")"
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
