#!/bin/bash
# sni_unknown: the server knows only www.example.test: openssl s_server
# -servername www.example.test -servername_fatal (-cert2/-key2 for that name)
# on 203.0.113.20:443. curl asks for other.example.test (SNI
# other.example.test); the server's SNI callback fails and it answers the
# ClientHello with a 7-byte fatal unrecognized_name(112) in clear
# (15 03 03 00 02 02 70), then FIN.
# Expect tls.alert (server, fatal unrecognized_name(112), SNI other.example.test) at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
srv openssl s_server -accept $S4:443 -naccept 1 -WWW -quiet \
    -servername www.example.test -servername_fatal \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key" \
    -cert2 "$CERTS/server.pem" -key2 "$CERTS/server.key"
wait_listen s 443
caps_start
cli 10 curl -sS --cacert "$CERTS/ca.pem" \
    --resolve other.example.test:443:$S4 https://other.example.test/
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 35 ] || { cli_log; die "curl: exit $CLI_RC, want 35"; }
client_says 'unrecognized name'
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==1' tls.handshake.extensions_server_name other.example.test
    twant "$f" 'tls.handshake.type==2' 0
    tis "$f" 'ip.src==203.0.113.20 && tcp.len>0' tcp.payload 15030300020270
    tis "$f" 'tls.alert_message' tls.alert_message.desc 112
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.fin==1' 1
    twant "$f" 'tcp.flags.reset==1' 0
done
tls_finish
