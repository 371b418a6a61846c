#!/bin/bash
# reject_gnutls_expired_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); gnutls-cli 3.7.9 --x509cafile ca.pem (SNI and name check
# www.example.test, --priority NORMAL:-VERS-ALL:+VERS-TLS1.3) rejects it
# ("The certificate chain uses expired certificate", "PKI verification of
# server certificate failed", exit 1). GnuTLS encrypts its alert under the
# client handshake traffic key and does not pad it: after the server's
# flight, a 6-byte ChangeCipherSpec, then ONE application_data record of 24
# bytes on the wire (record length 19: 2 alert bytes, inner type, 16-byte
# tag) with FIN in the same segment ([FP.]). No alert in clear, no client
# Finished. Decrypted, the alert is fatal bad_certificate(42). Then either S
# FIN, or the client's [R.] (gnutls-cli closes with bytes unread; a late
# server segment may get a second RST): all seen between runs. Keys (client,
# SSLKEYLOGFILE) in reject_gnutls_expired_tls13.keylog: the server's flight
# and the alert decrypt. Expect tls.client_rejected_server (one short
# encrypted record from the client right after the server's flight, then a
# close: an inference from sizes, said to be one), tls.established false, at
# both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init gnutls-cli
reject_srv expired 13
caps_start
cli 10 env SSLKEYLOGFILE="$KEYLOG" gnutls-cli -p 443 --x509cafile "$CERTS/ca.pem" \
    --sni-hostname www.example.test --verify-hostname www.example.test \
    --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 $S4
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "client: exit $CLI_RC, want 1"; }
client_says 'verification of server certificate failed'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    flight13 "$f"
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 1   # CCS
    tis "$f" 'ip.src==192.0.2.10 && tls.record && !tls.handshake.type==1' tls.record.length 1,19   # CCS, one record
    [ "$(segs "$f" client)" = "6,24" ] || die "$(basename "$f"): client segments $(segs "$f" client), want 6,24"
    enc_alert "$f" client 19 42 0
    twant "$f" 'ip.src==192.0.2.10 && tls.handshake.type==20' 0 "${K[@]}"   # no client Finished
    only_flight "$f"
    client_closes "$f"
done
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
