#!/bin/bash
# untrusted_gnutls: TLS 1.3, s_server shows certs/selfsigned.pem;
# gnutls-cli (SSLKEYLOGFILE) rejects it with ONE encrypted record after its
# ChangeCipherSpec: fatal bad_certificate(42) under the CLIENT handshake
# traffic secret (unpadded, record length 19). Nothing in clear says alert.
CONN_NAME=untrusted_gnutls RJ_CERT=selfsigned RJ_CLIENT=gnutls RJ_ALERT=42 exec "$(dirname "$0")/reject_common.sh" <<'EXP'
verdict 1 tcp.completed tls.client_rejected_server
note 1 with keys: client fatal bad_certificate(42), decrypted, under CLIENT_HANDSHAKE_TRAFFIC_SECRET (replaces the size inference: no longer an inference); the Certificate decrypts: self-signed (tls.certificate finding); not tls.established
note 1 ../tls/README.md says `tls.alert` client bad_certificate(42) for this case with a keylog (untrusted_cert_tls13): the integrator picks one; the client's alert right after the server's flight is what tls.client_rejected_server names
EXP
