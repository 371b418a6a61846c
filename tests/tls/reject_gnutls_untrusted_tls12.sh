#!/bin/bash
# reject_gnutls_untrusted_tls12: TLS 1.2, openssl s_server -tls1_2 shows
# certs/selfsigned.pem (www.example.test, self-signed, not from the test
# CA); gnutls-cli 3.7.9 --x509cafile ca.pem (SNI and name check
# www.example.test, --priority NORMAL:-VERS-ALL:+VERS-TLS1.2) rejects it
# ("PKI verification of server certificate failed", exit 1). At TLS 1.2 the
# certificate is in clear and the client's alert too: ONE 7-byte segment, 15
# 03 03 00 02 02 2a, right after the server's flight (ServerHello,
# Certificate, ServerKeyExchange, ServerHelloDone); no ClientKeyExchange, no
# ChangeCipherSpec. The alert: fatal bad_certificate(42). Then either S FIN,
# or the client's [R.] (gnutls-cli closes with bytes unread; a late server
# segment may get a second RST): all seen between runs. No key log (a TLS
# 1.2 handshake rejected before the ClientKeyExchange has no master secret
# to log). Expect tls.certificate (the certificate sent in clear is self-
# signed; the client rejected it with bad_certificate(42)), at both points.
CONN_NAME=reject_gnutls_untrusted_tls12 REJ_STACK=gnutls REJ_CERT=untrusted REJ_TLS=12 REJ_ALERT=42 \
    REJ_SAYS='verification of server certificate failed' exec "$(dirname "$0")/reject_common.sh"
