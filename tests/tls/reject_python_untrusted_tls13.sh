#!/bin/bash
# reject_python_untrusted_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/selfsigned.pem (www.example.test, self-signed, not from the test
# CA); python3's ssl module (OpenSSL 3.0.19; clients/tlsclient.py:
# create_default_context(cafile=ca.pem), server_hostname www.example.test,
# TLS 1.3 only) rejects it ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate
# verify failed: self-signed certificate", exit 1). OpenSSL sends its alert
# IN CLEAR at TLS 1.3 (it rejects the certificate before switching its write
# side to the handshake keys): ONE 7-byte segment, 15 03 03 00 02 02 30, no
# ChangeCipherSpec, after the server's encrypted flight. The alert: fatal
# unknown_ca(48). Then the client's [R.] (python closes with received bytes
# unread), with or without an S FIN before it: both seen. Keys (client,
# SSLContext.keylog_filename) in reject_python_untrusted_tls13.keylog: only
# the server handshake secret (OpenSSL logs no more for a rejected
# handshake): the server's flight decrypts. Expect
# tls.client_rejected_server with the alert named (unknown_ca(48)), at both
# points.
CONN_NAME=reject_python_untrusted_tls13 REJ_STACK=python REJ_CERT=untrusted REJ_TLS=13 REJ_ALERT=48 \
    REJ_SAYS='CERTIFICATE_VERIFY_FAILED.*self-signed certificate.*OpenSSL 3' exec "$(dirname "$0")/reject_common.sh"
