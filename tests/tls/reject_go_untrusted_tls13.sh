#!/bin/bash
# reject_go_untrusted_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/selfsigned.pem (www.example.test, self-signed, not from the test
# CA); a Go crypto/tls client (go1.19, clients/tlsclient.go built here,
# standard library only; RootCAs ca.pem, ServerName www.example.test, TLS
# 1.3 only) rejects it ("x509: certificate signed by unknown authority",
# exit 1). Go encrypts its alert under the client handshake traffic key and
# does not pad it: ChangeCipherSpec and ONE application_data record of 24
# bytes (record length 19) together in ONE 30-byte segment, then the
# client's FIN in its own segment. No alert in clear, no client Finished.
# Decrypted, the alert is fatal bad_certificate(42). Then one FIN each way
# (either first; no RST). Keys (client, tls.Config.KeyLogWriter) in
# reject_go_untrusted_tls13.keylog: the server's flight and the alert
# decrypt. Expect tls.client_rejected_server (one short encrypted record
# from the client right after the server's flight, then a close: an
# inference from sizes, said to be one), tls.established false, at both
# points.
CONN_NAME=reject_go_untrusted_tls13 REJ_STACK=go REJ_CERT=untrusted REJ_TLS=13 REJ_ALERT=42 \
    REJ_SAYS='certificate signed by unknown authority' exec "$(dirname "$0")/reject_common.sh"
