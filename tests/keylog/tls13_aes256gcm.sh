#!/bin/bash
# tls13_aes256gcm: TLS 1.3 completed with TLS_AES_256_GCM_SHA384; the same run as
# tls13_aes128gcm.sh (openssl s_server -WWW, s_client -keylogfile, GET
# /hello.txt, two session tickets, close_notify both ways) with
# -ciphersuites TLS_AES_256_GCM_SHA384 on both sides.
SUITE=TLS_AES_256_GCM_SHA384 SUITE_ID=0x1302 CONN_NAME=tls13_aes256gcm exec "$(dirname "$0")/tls13_aes128gcm.sh"
