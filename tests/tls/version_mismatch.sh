#!/bin/bash
# version_mismatch: the client offers only TLS 1.3 (curl --tlsv1.3:
# supported_versions = [TLS 1.3]), the server speaks at most TLS 1.2
# (openssl s_server -tls1_2). The server answers the ClientHello with one
# 7-byte record, fatal protocol_version(70) (15 03 03 00 02 02 46), then FIN.
# Expect tls.alert (server, fatal protocol_version(70)) at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_2 -WWW -quiet \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli 10 curl -sS --tlsv1.3 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/hello.txt
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 35 ] || { cli_log; die "curl: exit $CLI_RC, want 35"; }
client_says 'protocol version'
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==1' tls.handshake.extensions.supported_version 0x0304
    twant "$f" 'tls.handshake.type==2' 0
    tis "$f" 'ip.src==203.0.113.20 && tcp.len>0' tcp.payload 15030300020246
    tis "$f" 'tls.alert_message' tls.alert_message.level 2
    tis "$f" 'tls.alert_message' tls.alert_message.desc 70
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.fin==1' 1
    twant "$f" 'tcp.flags.reset==1' 0
done
want "$OUT_C" '203.0.113.20.443 > .*Flags \[P\.\].* length 7$' 1
tls_finish
