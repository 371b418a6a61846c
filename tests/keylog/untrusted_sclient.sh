#!/bin/bash
# untrusted_sclient: TLS 1.3, s_server shows certs/selfsigned.pem
# (www.example.test, self-signed); openssl s_client -verify_return_error
# rejects it: fatal unknown_ca(48) IN CLEAR (OpenSSL sends it before
# switching keys), no client Finished. s_client -keylogfile logged only the
# SERVER_HANDSHAKE_TRAFFIC_SECRET (no client secret, no traffic secret
# 0): the server's
# flight (EncryptedExtensions, Certificate, CertificateVerify, Finished)
# decrypts, the certificate is readable.
CONN_NAME=untrusted_sclient RJ_CERT=selfsigned RJ_CLIENT=sclient RJ_ALERT=48 exec "$(dirname "$0")/reject_common.sh" <<'EXP'
verdict 1 tcp.completed tls.client_rejected_server
note 1 the client's alert unknown_ca(48) is in clear (7 bytes, no keys needed); with keys the Certificate decrypts: self-signed CN=www.example.test, issuer = subject (tls.certificate finding: self-signed), not tls.established (no client Finished)
EXP
