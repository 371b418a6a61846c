#!/bin/bash
# tls12_cbc_etm: TLS 1.2, ECDHE-RSA-AES128-SHA256 (CBC, HMAC-SHA256) with
# encrypt_then_mac negotiated (RFC 7366: MAC over the ciphertext); openssl
# s_server -tls1_2 -WWW (certs/rsa.pem) and s_client -tls1_2 -keylogfile
# (CLIENT_RANDOM), GET /hello.txt, close_notify both ways. Body:
# tls12_common.sh.
CONN_NAME=tls12_cbc_etm T12_CIPHER=ECDHE-RSA-AES128-SHA256 T12_ID=0xc027 T12_ETM=on exec "$(dirname "$0")/tls12_common.sh" <<'EXP'
verdict 1 tcp.completed tls.established
note 1 TLS 1.2 with keys: both Finished (after each ChangeCipherSpec) decrypt under the key block of the CLIENT_RANDOM master secret; the two close_notify alerts are named
note 1 CBC, encrypt_then_mac on
EXP
