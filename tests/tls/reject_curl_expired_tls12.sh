#!/bin/bash
# reject_curl_expired_tls12: TLS 1.2, openssl s_server -tls1_2 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); curl 7.88 (OpenSSL 3.0) --cacert ca.pem, www.example.test,
# TLS 1.2 only rejects it ("SSL certificate problem: certificate has
# expired", exit 60). At TLS 1.2 the certificate is in clear and the
# client's alert too: ONE 7-byte segment, 15 03 03 00 02 02 2d, right after
# the server's flight (ServerHello, Certificate, ServerKeyExchange,
# ServerHelloDone); no ClientKeyExchange, no ChangeCipherSpec. The alert:
# fatal certificate_expired(45). Then the client's [R.] (curl closes with
# received bytes unread), with or without an S FIN, sometimes a second
# client RST: all seen. No key log (a TLS 1.2 handshake rejected before the
# ClientKeyExchange has no master secret to log). Expect tls.certificate
# (the certificate sent in clear is expired (2025-01-01); the client
# rejected it with certificate_expired(45)), at both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init curl
reject_srv expired 12
caps_start
cli 10 curl -sS --tlsv1.2 --tls-max 1.2 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/hello.txt
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 60 ] || { cli_log; die "client: exit $CLI_RC, want 60"; }
client_says 'SSL certificate problem: certificate has expired'
for f in "$OUT_C" "$OUT_S"; do
    flight12 "$f" expired
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 0   # no CCS
    [ "$(segs "$f" client)" = "7" ] || die "$(basename "$f"): client segments $(segs "$f" client), want 7"
    clear_alert "$f" client 45
    only_flight "$f"
    client_closes "$f"
done
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
