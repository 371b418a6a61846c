#!/bin/bash
# untrusted_cert_tls13: TLS 1.3, the server (openssl s_server -tls1_3) shows
# certs/selfsigned.pem (www.example.test, self-signed, not from the test CA);
# gnutls-cli --x509cafile ca.pem (SNI and name check www.example.test)
# rejects it. GnuTLS sends its alert ENCRYPTED under the client handshake
# traffic key: after the server's flight the client sends a 6-byte
# ChangeCipherSpec (middlebox compatibility) and then ONE application_data
# record of 24 bytes on the wire (5 header + 19: 2 alert bytes, 1 inner type,
# 16 tag) carrying FIN in the same segment. Decrypted with
# untrusted_cert_tls13.keylog it is fatal bad_certificate(42). Then either
# the server's FIN (s_server closes) or, in some runs, an immediate [R.] from
# the client (gnutls-cli closing with unread bytes): both seen here.
# Expect tls.client_rejected_server (inference: one short encrypted record
# from the client right after the server's certificate flight, then close)
# at both points. With the keylog: tls.alert (client, bad_certificate(42)).
. "$(dirname "$0")/tlslib.sh"
tls_init gnutls-cli
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_3 -WWW -quiet \
    -cert "$CERTS/selfsigned.pem" -key "$CERTS/selfsigned.key"
wait_listen s 443
caps_start
cli 10 env SSLKEYLOGFILE="$KEYLOG" gnutls-cli -p 443 --x509cafile "$CERTS/ca.pem" \
    --sni-hostname www.example.test --verify-hostname www.example.test \
    --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 $S4
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "gnutls-cli: exit $CLI_RC, want 1"; }
client_says 'verification of server certificate failed'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==2' tls.handshake.extensions.supported_version 0x0304
    twant "$f" 'tls.alert_message' 0            # no alert in clear
    # client: CCS (6 bytes), then one 24-byte application_data record + FIN
    tis "$f" 'ip.src==192.0.2.10 && tcp.len>0 && !tls.handshake.type==1' tcp.len 6,24
    tis "$f" 'ip.src==192.0.2.10 && tls.record.opaque_type==23' tls.record.length 19
    twant "$f" 'ip.src==192.0.2.10 && tls.record.opaque_type==23 && tcp.flags.fin==1' 1
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.reset==1' 0
    r=$(tcount "$f" 'ip.src==192.0.2.10 && tcp.flags.reset==1')
    if [ "$r" = 0 ]; then twant "$f" 'ip.src==203.0.113.20 && tcp.flags.fin==1' 1
    else [ "$r" = 1 ] || die "$r client RSTs"; fi
    # decrypted: the server's Certificate, the client's alert 42, no client Finished
    twant "$f" 'tls.handshake.type==11' 1 "${K[@]}"
    tis "$f" 'tls.alert_message' tls.alert_message.desc 42 "${K[@]}"
    twant "$f" 'ip.src==192.0.2.10 && tls.handshake.type==20' 0 "${K[@]}"
done
tls_finish
