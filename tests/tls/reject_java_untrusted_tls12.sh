#!/bin/bash
# reject_java_untrusted_tls12: TLS 1.2, openssl s_server -tls1_2 shows
# certs/selfsigned.pem (www.example.test, self-signed, not from the test
# CA); a Java JSSE client (OpenJDK 17, clients/TlsClient.java compiled here;
# trust store from ca.pem; SNI and endpoint identification www.example.test;
# TLSv1.2 only) rejects it ("SSLHandshakeException: PKIX path building
# failed", exit 1). At TLS 1.2 the certificate is in clear and the client's
# alert too: ONE 7-byte segment, 15 03 03 00 02 02 2e, right after the
# server's flight (ServerHello, Certificate, ServerKeyExchange,
# ServerHelloDone); no ClientKeyExchange, no ChangeCipherSpec. The alert:
# fatal certificate_unknown(46). Then one FIN each way (either first; no
# RST). No key log (a TLS 1.2 handshake rejected before the
# ClientKeyExchange has no master secret to log). Expect tls.certificate
# (the certificate sent in clear is self-signed; the client rejected it with
# certificate_unknown(46)), at both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init java javac keytool
java_build TlsClient
reject_srv untrusted 12
caps_start
cli 15 java -cp "$JDIR" TlsClient $S4 443 www.example.test "$JDIR/trust.p12" changeit TLSv1.2
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "client: exit $CLI_RC, want 1"; }
client_says 'PKIX path building failed'
for f in "$OUT_C" "$OUT_S"; do
    flight12 "$f" untrusted
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 0   # no CCS
    [ "$(segs "$f" client)" = "7" ] || die "$(basename "$f"): client segments $(segs "$f" client), want 7"
    clear_alert "$f" client 46
    only_flight "$f"
    fin_each_way "$f"
done
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
