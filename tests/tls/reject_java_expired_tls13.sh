#!/bin/bash
# reject_java_expired_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); a Java JSSE client (OpenJDK 17, clients/TlsClient.java
# compiled here; trust store from ca.pem; SNI and endpoint identification
# www.example.test; TLSv1.3 only) rejects it ("SSLHandshakeException: PKIX
# path validation failed: ... validity check failed", exit 1). JSSE encrypts
# its alert AND pads it: after the server's flight, a 6-byte
# ChangeCipherSpec, then ONE application_data record of 40 bytes on the wire
# (record length 35: 2 alert bytes, inner type, 16 zero bytes of padding,
# 16-byte tag); its FIN in the same segment or the next. No alert in clear,
# no client Finished. Decrypted, the alert is fatal certificate_unknown(46).
# Then one FIN each way (either first; no RST). JSSE cannot write a key log:
# reject_java_expired_tls13.keylog is the SERVER's (s_server -keylogfile);
# with it the server's flight and the alert decrypt. Expect
# tls.client_rejected_server (one short encrypted record from the client
# right after the server's flight, then a close: an inference from sizes,
# said to be one), tls.established false, at both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init java javac keytool
java_build TlsClient
reject_srv expired 13 "$KEYLOG"
caps_start
cli 15 java -cp "$JDIR" TlsClient $S4 443 www.example.test "$JDIR/trust.p12" changeit TLSv1.3
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "client: exit $CLI_RC, want 1"; }
client_says 'PKIX path validation failed.*validity check failed'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    flight13 "$f"
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 1   # CCS
    tis "$f" 'ip.src==192.0.2.10 && tls.record && !tls.handshake.type==1' tls.record.length 1,35   # CCS, one record
    [ "$(segs "$f" client)" = "6,40" ] || die "$(basename "$f"): client segments $(segs "$f" client), want 6,40"
    enc_alert "$f" client 35 46 16
    [ "$(rec_pads "$f")" = 0,0,0,0,16 ] || die "$(basename "$f"): padding of the decrypted records $(rec_pads "$f"), want 0,0,0,0,16"
    twant "$f" 'ip.src==192.0.2.10 && tls.handshake.type==20' 0 "${K[@]}"   # no client Finished
    only_flight "$f"
    fin_each_way "$f"
done
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
