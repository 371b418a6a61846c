#!/bin/bash
# tls13_aes128gcm: TLS 1.3 completed with TLS_AES_128_GCM_SHA256.
# openssl s_server -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 -WWW
# (certs/server.pem, www.example.test from the test CA, two session tickets)
# on 203.0.113.20:443; openssl s_client -tls1_3 -ciphersuites (the same one
# suite) verifies it, sends "GET /hello.txt HTTP/1.0", reads the 32-byte
# file, the server closes. Key log: s_client -keylogfile.
. "$(dirname "$0")/keylib.sh"
SUITE=${SUITE:-TLS_AES_128_GCM_SHA256}
key_init
s_srv -naccept 1 -tls1_3 -ciphersuites "$SUITE" -WWW -quiet -cert "$CERTS/server.pem" -key "$CERTS/server.key"
kcap_start
cli_in 10 1 "$GET" openssl s_client -connect $S4:443 -tls1_3 -ciphersuites "$SUITE" -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG"
wait_pid "$SRV" 5
kcap_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "s_client failed"; }
client_says '^hello from the synack fixture'
tis "$OUT_P" 'tls.handshake.type==2' tls.handshake.ciphersuite "${SUITE_ID:-0x1301}"
twant "$OUT_P" 'tls.handshake.type==20' 2 "${K[@]}"
twant "$OUT_P" 'tls.handshake.type==4' 2 "${K[@]}"
twant "$OUT_P" 'tls.alert_message.desc==0' 2+ "${K[@]}"
key_finish <<EXP
verdict 1 tcp.completed tls.established
note 1 established proven: both Finished decrypt (server Finished under the server handshake keys, client Finished under the client handshake keys)
EXP
