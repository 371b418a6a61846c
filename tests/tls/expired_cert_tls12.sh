#!/bin/bash
# expired_cert_tls12: openssl s_server -tls1_2 with certs/expired.pem
# (www.example.test from the test CA, notAfter 2025-01-01) on
# 203.0.113.20:443; openssl s_client -tls1_2 -verify_return_error -CAfile
# ca.pem -servername www.example.test rejects the certificate it sees in
# clear: a 7-byte fatal certificate_expired(45) from the client, then both
# close (FIN; which one first varies between runs).
# Expect tls.alert (client, fatal certificate_expired(45)); the certificate
# (visible, TLS 1.2) is expired: tls.certificate evidence. Both points.
. "$(dirname "$0")/tlslib.sh"
tls_init
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_2 -WWW -quiet \
    -cert "$CERTS/expired.pem" -key "$CERTS/expired.key"
wait_listen s 443
caps_start
cli 10 openssl s_client -connect $S4:443 -tls1_2 -verify_return_error \
    -CAfile "$CERTS/ca.pem" -servername www.example.test -verify_hostname www.example.test
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "s_client: exit $CLI_RC, want 1"; }
client_says 'certificate has expired'
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==2' tls.handshake.version 0x0303
    tis "$f" 'tls.handshake.type==11' x509af.utcTime '2024-01-01 00:00:00 (UTC),2025-01-01 00:00:00 (UTC)'
    tis "$f" 'tls.handshake.type==11' x509ce.dNSName 'www.example.test'
    tis "$f" 'ip.src==192.0.2.10 && tls.alert_message' tcp.payload 1503030002022d
    twant "$f" 'tls.alert_message' 1
    twant "$f" 'tls.handshake.type==16' 0       # no ClientKeyExchange
    twant "$f" 'tcp.flags.fin==1' 2
    twant "$f" 'tcp.flags.reset==1' 0
done
tls_finish
