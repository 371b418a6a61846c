#!/bin/bash
# reject_curl_expired_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); curl 7.88 (OpenSSL 3.0) --cacert ca.pem, www.example.test,
# TLS 1.3 only rejects it ("SSL certificate problem: certificate has
# expired", exit 60). OpenSSL sends its alert IN CLEAR at TLS 1.3 (it
# rejects the certificate before switching its write side to the handshake
# keys): ONE 7-byte segment, 15 03 03 00 02 02 2d, no ChangeCipherSpec,
# after the server's encrypted flight. The alert: fatal
# certificate_expired(45). Then the client's [R.] (curl closes with received
# bytes unread), with or without an S FIN, sometimes a second client RST:
# all seen. Keys (client, SSLKEYLOGFILE) in
# reject_curl_expired_tls13.keylog: only the server handshake secret: the
# server's flight decrypts. Expect tls.client_rejected_server with the alert
# named (certificate_expired(45)), at both points.
CONN_NAME=reject_curl_expired_tls13 REJ_STACK=curl REJ_CERT=expired REJ_TLS=13 REJ_ALERT=45 \
    REJ_SAYS='SSL certificate problem: certificate has expired' exec "$(dirname "$0")/reject_common.sh"
