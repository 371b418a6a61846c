#!/bin/bash
# reject_sclient_untrusted_tls12: TLS 1.2, openssl s_server -tls1_2 shows
# certs/selfsigned.pem (www.example.test, self-signed, not from the test
# CA); openssl s_client -tls1_2 -verify_return_error -CAfile ca.pem
# -servername www.example.test -verify_hostname www.example.test rejects it
# ("verify error:num=18:self-signed certificate", exit 1). At TLS 1.2 the
# certificate is in clear and the client's alert too: ONE 7-byte segment, 15
# 03 03 00 02 02 30, right after the server's flight (ServerHello,
# Certificate, ServerKeyExchange, ServerHelloDone); no ClientKeyExchange, no
# ChangeCipherSpec. The alert: fatal unknown_ca(48). Then one FIN each way
# (either first; no RST). No key log (a TLS 1.2 handshake rejected before
# the ClientKeyExchange has no master secret to log). Expect tls.certificate
# (the certificate sent in clear is self-signed; the client rejected it with
# unknown_ca(48)), at both points.
CONN_NAME=reject_sclient_untrusted_tls12 REJ_STACK=sclient REJ_CERT=untrusted REJ_TLS=12 REJ_ALERT=48 \
    REJ_SAYS='verify error:num=18:self-signed certificate' exec "$(dirname "$0")/reject_common.sh"
