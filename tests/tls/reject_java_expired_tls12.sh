#!/bin/bash
# reject_java_expired_tls12: TLS 1.2, openssl s_server -tls1_2 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); a Java JSSE client (OpenJDK 17, clients/TlsClient.java
# compiled here; trust store from ca.pem; SNI and endpoint identification
# www.example.test; TLSv1.2 only) rejects it ("SSLHandshakeException: PKIX
# path validation failed: ... validity check failed", exit 1). At TLS 1.2
# the certificate is in clear and the client's alert too: ONE 7-byte
# segment, 15 03 03 00 02 02 2d, right after the server's flight
# (ServerHello, Certificate, ServerKeyExchange, ServerHelloDone); no
# ClientKeyExchange, no ChangeCipherSpec. The alert: fatal
# certificate_expired(45). Then one FIN each way (either first; no RST). No
# key log (a TLS 1.2 handshake rejected before the ClientKeyExchange has no
# master secret to log). Expect tls.certificate (the certificate sent in
# clear is expired (2025-01-01); the client rejected it with
# certificate_expired(45)), at both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init java javac keytool
java_build TlsClient
reject_srv expired 12
caps_start
cli 15 java -cp "$JDIR" TlsClient $S4 443 www.example.test "$JDIR/trust.p12" changeit TLSv1.2
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "client: exit $CLI_RC, want 1"; }
client_says 'PKIX path validation failed.*validity check failed'
for f in "$OUT_C" "$OUT_S"; do
    flight12 "$f" expired
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 0   # no CCS
    [ "$(segs "$f" client)" = "7" ] || die "$(basename "$f"): client segments $(segs "$f" client), want 7"
    clear_alert "$f" client 45
    only_flight "$f"
    fin_each_way "$f"
done
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
