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
CONN_NAME=reject_java_untrusted_tls12 REJ_STACK=java REJ_CERT=untrusted REJ_TLS=12 REJ_ALERT=46 \
    REJ_SAYS='PKIX path building failed' exec "$(dirname "$0")/reject_common.sh"
