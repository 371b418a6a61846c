#!/bin/bash
# untrusted_cert_tls13_plainalert: the same server as untrusted_cert_tls13
# (openssl s_server -tls1_3, self-signed certs/selfsigned.pem), but the
# client is curl --tlsv1.3 --cacert ca.pem (OpenSSL 3.0). OpenSSL rejects the
# certificate before its own Finished and, its write side still unencrypted,
# sends the alert IN CLEAR: one 7-byte record, fatal unknown_ca(48)
# (15 03 03 00 02 02 30), no ChangeCipherSpec. The server closes (FIN) and
# curl closes with the rest of the server's flight unread ([R.]); whether
# the server's FIN gets out before that RST is a race (both seen).
# Expect tls.alert (client, fatal unknown_ca(48), right after the server's
# encrypted certificate flight: tls.client_rejected_server) at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_3 -WWW -quiet \
    -cert "$CERTS/selfsigned.pem" -key "$CERTS/selfsigned.key"
wait_listen s 443
caps_start
cli 10 env SSLKEYLOGFILE="$KEYLOG" curl -sS --tlsv1.3 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 60 ] || { cli_log; die "curl: exit $CLI_RC, want 60"; }
client_says 'self-signed certificate'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==2' tls.handshake.extensions.supported_version 0x0304
    tis "$f" 'ip.src==192.0.2.10 && tcp.len>0 && !tls.handshake.type==1' tcp.payload 15030300020230
    tis "$f" 'tls.alert_message' tls.alert_message.desc 48
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 0
    [ "$(tcount "$f" 'ip.src==203.0.113.20 && tcp.flags.fin==1')" -le 1 ] || die "server FINs"
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.reset==1' 0
    twant "$f" 'ip.src==192.0.2.10 && (tcp.flags.fin==1 || tcp.flags.reset==1)' 1
    twant "$f" 'tls.handshake.type==11' 1 "${K[@]}"
done
tls_finish
