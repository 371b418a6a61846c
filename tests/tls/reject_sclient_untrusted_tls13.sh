#!/bin/bash
# reject_sclient_untrusted_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/selfsigned.pem (www.example.test, self-signed, not from the test
# CA); openssl s_client -tls1_3 -verify_return_error -CAfile ca.pem
# -servername www.example.test -verify_hostname www.example.test rejects it
# ("verify error:num=18:self-signed certificate", exit 1). OpenSSL sends its
# alert IN CLEAR at TLS 1.3 (it rejects the certificate before switching its
# write side to the handshake keys): ONE 7-byte segment, 15 03 03 00 02 02
# 30, no ChangeCipherSpec, after the server's encrypted flight. The alert:
# fatal unknown_ca(48). Then one FIN each way (either first; no RST). Keys
# (client, -keylogfile) in reject_sclient_untrusted_tls13.keylog: only the
# server handshake secret: the server's flight decrypts. Expect
# tls.client_rejected_server with the alert named (unknown_ca(48)), at both
# points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init
reject_srv untrusted 13
caps_start
cli 10 openssl s_client -connect $S4:443 -tls1_3 -verify_return_error -CAfile "$CERTS/ca.pem" \
    -servername www.example.test -verify_hostname www.example.test -keylogfile "$KEYLOG"
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "client: exit $CLI_RC, want 1"; }
client_says 'verify error:num=18:self-signed certificate'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    flight13 "$f"
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 0   # no CCS
    [ "$(segs "$f" client)" = "7" ] || die "$(basename "$f"): client segments $(segs "$f" client), want 7"
    clear_alert "$f" client 48
    twant "$f" 'ip.src==192.0.2.10 && tls.handshake.type==20' 0 "${K[@]}"   # no client Finished
    only_flight "$f"
    fin_each_way "$f"
done
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
