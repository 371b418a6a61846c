#!/bin/bash
# reject_go_untrusted_tls12: TLS 1.2, openssl s_server -tls1_2 shows
# certs/selfsigned.pem (www.example.test, self-signed, not from the test
# CA); a Go crypto/tls client (go1.19, clients/tlsclient.go built here,
# standard library only; RootCAs ca.pem, ServerName www.example.test, TLS
# 1.2 only) rejects it ("x509: certificate signed by unknown authority",
# exit 1). At TLS 1.2 the certificate is in clear and the client's alert
# too: ONE 7-byte segment, 15 03 03 00 02 02 2a, right after the server's
# flight (ServerHello, Certificate, ServerKeyExchange, ServerHelloDone); no
# ClientKeyExchange, no ChangeCipherSpec. The alert: fatal
# bad_certificate(42). Then one FIN each way (either first; no RST). No key
# log (a TLS 1.2 handshake rejected before the ClientKeyExchange has no
# master secret to log). Expect tls.certificate (the certificate sent in
# clear is self-signed; the client rejected it with bad_certificate(42)), at
# both points.
CONN_NAME=reject_go_untrusted_tls12 REJ_STACK=go REJ_CERT=untrusted REJ_TLS=12 REJ_ALERT=42 \
    REJ_SAYS='certificate signed by unknown authority' exec "$(dirname "$0")/reject_common.sh"
