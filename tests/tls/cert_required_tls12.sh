#!/bin/bash
# cert_required_tls12: mutual TLS 1.2. openssl s_server -tls1_2 -Verify 1
# (a client certificate is required; CertificateRequest names the test CA)
# on 203.0.113.20:443; openssl s_client -tls1_2 (trusting the CA) has no
# certificate and sends an empty Certificate with its ClientKeyExchange,
# ChangeCipherSpec and Finished. The server answers with a 7-byte fatal
# handshake_failure(40) in clear (OpenSSL's TLS 1.2 code for "peer did not
# return a certificate"), then FIN.
# Expect tls.alert (server, fatal handshake_failure(40), right after an empty
# client Certificate that answered a CertificateRequest) at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_2 -Verify 1 -CAfile "$CERTS/ca.pem" \
    -WWW -quiet -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli_in 10 2 '' openssl s_client -connect $S4:443 -tls1_2 -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG"
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "s_client: exit $CLI_RC, want 1"; }
client_says 'alert handshake failure'
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==2' tls.handshake.version 0x0303
    twant "$f" 'tls.handshake.type==13' 1                 # CertificateRequest
    tis "$f" 'ip.src==192.0.2.10 && tls.handshake.type==11' tls.handshake.certificates_length 0
    tis "$f" 'ip.src==203.0.113.20 && tls.alert_message' tcp.payload 15030300020228
    twant "$f" 'tls.alert_message' 1
    twant "$f" 'ip.src==203.0.113.20 && tls.record.content_type==20' 0   # no server CCS
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.fin==1' 1
    twant "$f" 'tcp.flags.reset==1' 0
done
tls_finish
