#!/bin/bash
# reject_sclient_expired_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); openssl s_client -tls1_3 -verify_return_error -CAfile ca.pem
# -servername www.example.test -verify_hostname www.example.test rejects it
# ("verify error:num=10:certificate has expired", exit 1). OpenSSL sends its
# alert IN CLEAR at TLS 1.3 (it rejects the certificate before switching its
# write side to the handshake keys): ONE 7-byte segment, 15 03 03 00 02 02
# 2d, no ChangeCipherSpec, after the server's encrypted flight. The alert:
# fatal certificate_expired(45). Then one FIN each way (either first; no
# RST). Keys (client, -keylogfile) in reject_sclient_expired_tls13.keylog:
# only the server handshake secret: the server's flight decrypts. Expect
# tls.client_rejected_server with the alert named (certificate_expired(45)),
# at both points.
CONN_NAME=reject_sclient_expired_tls13 REJ_STACK=sclient REJ_CERT=expired REJ_TLS=13 REJ_ALERT=45 \
    REJ_SAYS='verify error:num=10:certificate has expired' exec "$(dirname "$0")/reject_common.sh"
