#!/bin/bash
# tls13_chacha20: TLS 1.3 completed with TLS_CHACHA20_POLY1305_SHA256; the same run as
# tls13_aes128gcm.sh (openssl s_server -WWW, s_client -keylogfile, GET
# /hello.txt, two session tickets, close_notify both ways) with
# -ciphersuites TLS_CHACHA20_POLY1305_SHA256 on both sides.
SUITE=TLS_CHACHA20_POLY1305_SHA256 SUITE_ID=0x1303 CONN_NAME=tls13_chacha20 exec "$(dirname "$0")/tls13_aes128gcm.sh"
