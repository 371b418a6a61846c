#!/bin/bash
# reject_sclient_untrusted_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/selfsigned.pem (www.example.test, self-signed, not from the test
# CA); openssl s_client -tls1_3 -verify_return_error -CAfile ca.pem
# -servername www.example.test -verify_hostname www.example.test rejects it
# ("verify error:num=18:self-signed certificate", exit 1). OpenSSL sends its
# alert IN CLEAR at TLS 1.3 (it rejects the certificate before switching its
# write side to the handshake keys): ONE 7-byte segment, 15 03 03 00 02 02
# 30, no ChangeCipherSpec, after the server's encrypted flight. The alert:
# fatal unknown_ca(48). Then one FIN each way (either first; no RST). Keys
# (client, -keylogfile) in reject_sclient_untrusted_tls13.keylog: only the
# server handshake secret: the server's flight decrypts. Expect
# tls.client_rejected_server with the alert named (unknown_ca(48)), at both
# points.
CONN_NAME=reject_sclient_untrusted_tls13 REJ_STACK=sclient REJ_CERT=untrusted REJ_TLS=13 REJ_ALERT=48 \
    REJ_SAYS='verify error:num=18:self-signed certificate' exec "$(dirname "$0")/reject_common.sh"
