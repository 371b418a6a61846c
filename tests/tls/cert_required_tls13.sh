#!/bin/bash
# cert_required_tls13: mutual TLS 1.3. openssl s_server -tls1_3 -Verify 1
# on 203.0.113.20:443; openssl s_client -tls1_3 has no certificate. The
# server's flight carries an (encrypted) CertificateRequest; the client
# sends an empty Certificate and its Finished and considers the handshake
# done; the server then sends ONE encrypted record of 24 bytes on the wire
# (fatal certificate_required(116) under the server application traffic
# key), then FIN. Nothing in clear says "alert". Keys in cert_required_tls13.keylog.
# Expect tls.alert (server, certificate_required(116), with the keylog) -
# without keys: one short encrypted record from the SERVER right after the
# client's second flight, then close (a server-side rejection of the client:
# not tls.client_rejected_server). Both points.
. "$(dirname "$0")/tlslib.sh"
tls_init
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_3 -Verify 1 -CAfile "$CERTS/ca.pem" \
    -WWW -quiet -num_tickets 0 -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli_in 10 2 '' openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG"
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "s_client: exit $CLI_RC, want 1"; }
client_says 'certificate required'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==2' tls.handshake.extensions.supported_version 0x0304
    twant "$f" 'tls.alert_message' 0                                # none in clear
    tis "$f" 'ip.src==203.0.113.20 && tcp.len>0 && !tls.handshake.type==2' tcp.len 24
    tis "$f" 'ip.src==203.0.113.20 && tcp.len==24' tls.record.opaque_type 23
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.fin==1' 1
    twant "$f" 'tcp.flags.reset==1' 0
    # decrypted
    twant "$f" 'tls.handshake.type==13' 1 "${K[@]}"
    tis "$f" 'ip.src==192.0.2.10 && tls.handshake.type==11' tls.handshake.certificates_length 0 "${K[@]}"
    twant "$f" 'tls.handshake.type==20' 2 "${K[@]}"
    tis "$f" 'tls.alert_message' tls.alert_message.desc 116 "${K[@]}"
done
tls_finish
