#!/bin/bash
# expired_sclient: TLS 1.3, s_server shows certs/expired.pem
# (www.example.test from the test CA, notAfter 2025-01-01); openssl
# s_client -verify_return_error rejects it: fatal certificate_expired(45)
# IN CLEAR, no client Finished. s_client logged only
# SERVER_HANDSHAKE_TRAFFIC_SECRET: the server's flight decrypts.
CONN_NAME=expired_sclient RJ_CERT=expired RJ_CLIENT=sclient RJ_ALERT=45 exec "$(dirname "$0")/reject_common.sh" <<'EXP'
verdict 1 tcp.completed tls.client_rejected_server
note 1 client alert certificate_expired(45) in clear; with keys the Certificate decrypts: notAfter 2025-01-01 00:00:00Z (tls.certificate finding: expired), not tls.established
EXP
