#!/bin/bash
# no_common_cipher: TLS 1.2 on both sides with disjoint cipher lists. The
# server (openssl s_server -tls1_2 -cipher ECDHE-ECDSA-AES256-GCM-SHA384)
# gets a ClientHello offering only ECDHE-ECDSA-AES128-GCM-SHA256 (0xc02b,
# plus the renegotiation SCSV) from curl --tls-max 1.2 --ciphers ... and answers
# with a 7-byte fatal handshake_failure(40), then FIN.
# Expect tls.alert (server, fatal handshake_failure(40)) at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_2 -WWW -quiet \
    -cipher ECDHE-ECDSA-AES256-GCM-SHA384 \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli 10 curl -sS --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-AES128-GCM-SHA256 \
    --cacert "$CERTS/ca.pem" --resolve www.example.test:443:$S4 https://www.example.test/hello.txt
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 35 ] || { cli_log; die "curl: exit $CLI_RC, want 35"; }
client_says 'handshake failure'
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==1' tls.handshake.ciphersuite 0xc02b,0x00ff
    twant "$f" 'tls.handshake.type==2' 0
    tis "$f" 'ip.src==203.0.113.20 && tcp.len>0' tcp.payload 15030300020228
    tis "$f" 'tls.alert_message' tls.alert_message.desc 40
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.fin==1' 1
    twant "$f" 'tcp.flags.reset==1' 0
done
tls_finish
