#!/bin/bash
# tls12_aead: TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256 (AEAD: explicit 8-byte
# nonce per record); openssl s_server -tls1_2 -WWW (certs/rsa.pem) and
# s_client -tls1_2 -keylogfile (CLIENT_RANDOM), GET /hello.txt,
# close_notify both ways. Body: tls12_common.sh.
CONN_NAME=tls12_aead T12_CIPHER=ECDHE-RSA-AES128-GCM-SHA256 T12_ID=0xc02f T12_ETM=aead exec "$(dirname "$0")/tls12_common.sh" <<'EXP'
verdict 1 tcp.completed tls.established
note 1 TLS 1.2 with keys: both Finished (after each ChangeCipherSpec) decrypt under the key block of the CLIENT_RANDOM master secret; the two close_notify alerts are named
EXP
