#!/bin/bash
# cert_required: mutual TLS 1.3 without a client certificate. openssl
# s_server -tls1_3 -Verify 1 (client certificates from the test CA
# required); openssl s_client has none. Decrypted: the server's flight
# carries a CertificateRequest(13); the client sends an empty Certificate
# and its Finished (it considers the handshake done); the server then sends
# ONE encrypted record: fatal certificate_required(116) under its
# APPLICATION traffic secret (SERVER_TRAFFIC_SECRET_0), then FIN. Key log:
# s_client -keylogfile.
. "$(dirname "$0")/keylib.sh"
key_init
s_srv -naccept 1 -tls1_3 -Verify 1 -CAfile "$CERTS/ca.pem" -WWW -quiet -num_tickets 0 \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
kcap_start
cli_in 10 2 '' openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG"
wait_pid "$SRV" 5
kcap_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "s_client: exit $CLI_RC, want 1"; }
client_says 'certificate required'
twant "$OUT_P" 'tls.alert_message' 0
twant "$OUT_P" 'ip.src==203.0.113.20 && tls.handshake.type==13' 1 "${K[@]}"
tis "$OUT_P" 'ip.src==192.0.2.10 && tls.handshake.type==11' tls.handshake.certificates_length 0 "${K[@]}"
twant "$OUT_P" 'tls.handshake.type==20' 2 "${K[@]}"
tis "$OUT_P" 'tls.alert_message' tls.alert_message.desc 116 "${K[@]}"
key_finish <<EXP
verdict 1 tcp.completed tls.alert
note 1 server fatal certificate_required(116), decrypted, under SERVER_TRAFFIC_SECRET_0, after the server's CertificateRequest and the client's EMPTY Certificate: "the server asked for a client certificate and the client sent none"; both Finished decrypt but the handshake failed (not tls.established)
EXP
