#!/bin/bash
# reject_curl_expired_tls12: TLS 1.2, openssl s_server -tls1_2 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); curl 7.88 (OpenSSL 3.0) --cacert ca.pem, www.example.test,
# TLS 1.2 only rejects it ("SSL certificate problem: certificate has
# expired", exit 60). At TLS 1.2 the certificate is in clear and the
# client's alert too: ONE 7-byte segment, 15 03 03 00 02 02 2d, right after
# the server's flight (ServerHello, Certificate, ServerKeyExchange,
# ServerHelloDone); no ClientKeyExchange, no ChangeCipherSpec. The alert:
# fatal certificate_expired(45). Then the client's [R.] (curl closes with
# received bytes unread), with or without an S FIN, sometimes a second
# client RST: all seen. No key log (a TLS 1.2 handshake rejected before the
# ClientKeyExchange has no master secret to log). Expect tls.certificate
# (the certificate sent in clear is expired (2025-01-01); the client
# rejected it with certificate_expired(45)), at both points.
CONN_NAME=reject_curl_expired_tls12 REJ_STACK=curl REJ_CERT=expired REJ_TLS=12 REJ_ALERT=45 \
    REJ_SAYS='SSL certificate problem: certificate has expired' exec "$(dirname "$0")/reject_common.sh"
