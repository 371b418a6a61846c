#!/bin/bash
# reject_gnutls_untrusted_tls12: TLS 1.2, openssl s_server -tls1_2 shows
# certs/selfsigned.pem (www.example.test, self-signed, not from the test
# CA); gnutls-cli 3.7.9 --x509cafile ca.pem (SNI and name check
# www.example.test, --priority NORMAL:-VERS-ALL:+VERS-TLS1.2) rejects it
# ("PKI verification of server certificate failed", exit 1). At TLS 1.2 the
# certificate is in clear and the client's alert too: ONE 7-byte segment, 15
# 03 03 00 02 02 2a, right after the server's flight (ServerHello,
# Certificate, ServerKeyExchange, ServerHelloDone); no ClientKeyExchange, no
# ChangeCipherSpec. The alert: fatal bad_certificate(42). Then either S FIN,
# or the client's [R.] (gnutls-cli closes with bytes unread; a late server
# segment may get a second RST): all seen between runs. No key log (a TLS
# 1.2 handshake rejected before the ClientKeyExchange has no master secret
# to log). Expect tls.certificate (the certificate sent in clear is self-
# signed; the client rejected it with bad_certificate(42)), at both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init gnutls-cli
reject_srv untrusted 12
caps_start
cli 10 gnutls-cli -p 443 --x509cafile "$CERTS/ca.pem" \
    --sni-hostname www.example.test --verify-hostname www.example.test \
    --priority NORMAL:-VERS-ALL:+VERS-TLS1.2 $S4
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "client: exit $CLI_RC, want 1"; }
client_says 'verification of server certificate failed'
for f in "$OUT_C" "$OUT_S"; do
    flight12 "$f" untrusted
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 0   # no CCS
    [ "$(segs "$f" client)" = "7" ] || die "$(basename "$f"): client segments $(segs "$f" client), want 7"
    clear_alert "$f" client 42
    only_flight "$f"
    client_closes "$f"
done
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
