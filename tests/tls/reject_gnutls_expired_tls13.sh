#!/bin/bash
# reject_gnutls_expired_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); gnutls-cli 3.7.9 --x509cafile ca.pem (SNI and name check
# www.example.test, --priority NORMAL:-VERS-ALL:+VERS-TLS1.3) rejects it
# ("The certificate chain uses expired certificate", "PKI verification of
# server certificate failed", exit 1). GnuTLS encrypts its alert under the
# client handshake traffic key and does not pad it: after the server's
# flight, a 6-byte ChangeCipherSpec, then ONE application_data record of 24
# bytes on the wire (record length 19: 2 alert bytes, inner type, 16-byte
# tag) with FIN in the same segment ([FP.]). No alert in clear, no client
# Finished. Decrypted, the alert is fatal bad_certificate(42). Then either S
# FIN, or the client's [R.] (gnutls-cli closes with bytes unread; a late
# server segment may get a second RST): all seen between runs. Keys (client,
# SSLKEYLOGFILE) in reject_gnutls_expired_tls13.keylog: the server's flight
# and the alert decrypt. Expect tls.client_rejected_server (one short
# encrypted record from the client right after the server's flight, then a
# close: an inference from sizes, said to be one), tls.established false, at
# both points.
CONN_NAME=reject_gnutls_expired_tls13 REJ_STACK=gnutls REJ_CERT=expired REJ_TLS=13 REJ_ALERT=42 \
    REJ_SAYS='verification of server certificate failed' exec "$(dirname "$0")/reject_common.sh"
