#!/bin/bash
# resumption_psk: TLS 1.3 resumption with a PSK, two connections in one
# capture. openssl s_server -tls1_3 -WWW -num_tickets 1 -naccept 2.
# Connection 1: s_client -sess_out (full handshake, certificate, one
# NewSessionTicket, GET). Connection 2: s_client -sess_in the saved session:
# its ClientHello offers the ticket (pre_shared_key, psk_dhe_ke); the
# ServerHello selects identity 0 and the server sends no Certificate and no
# CertificateVerify (EncryptedExtensions, Finished only); GET. One key log
# (s_client -keylogfile appends) holds the secrets of both connections.
. "$(dirname "$0")/keylib.sh"
key_init
s_srv -naccept 2 -tls1_3 -num_tickets 1 -WWW -quiet -cert "$CERTS/server.pem" -key "$CERTS/server.key"
kcap_start
cli_in 10 1 "$GET" openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG" -sess_out "$SK_TMP/sess.pem"
[ "$CLI_RC" = 0 ] || { cli_log; die "s_client 1 failed"; }
client_says '^New, TLSv1.3'
[ -s "$SK_TMP/sess.pem" ] || die "no session saved"
cli_in 10 1 "$GET" openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG" -sess_in "$SK_TMP/sess.pem"
wait_pid "$SRV" 5
kcap_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "s_client 2 failed"; }
client_says '^Reused, TLSv1.3'
twant "$OUT_P" 'tls.handshake.type==1' 2
twant "$OUT_P" 'tls.handshake.type==2 && tls.handshake.extensions.psk.identity.selected==0' 1
twant "$OUT_P" 'tls.handshake.type==11' 1 "${K[@]}"
twant "$OUT_P" 'tls.handshake.type==20' 4 "${K[@]}"
twant "$OUT_P" 'http.request.method=="GET"' 2 "${K[@]}"
key_finish <<EXP
verdict 1 tcp.completed tls.established
verdict 2 tcp.completed tls.established
note 1 full handshake: certificate decrypts, one NewSessionTicket (the ticket connection 2 uses)
note 2 resumed with a PSK (ServerHello pre_shared_key selects identity 0, psk_dhe_ke): no Certificate, no CertificateVerify; established proven by both Finished
EXP
