#!/bin/bash
# reject_go_expired_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); a Go crypto/tls client (go1.19, clients/tlsclient.go built
# here, standard library only; RootCAs ca.pem, ServerName www.example.test,
# TLS 1.3 only) rejects it ("x509: certificate has expired or is not yet
# valid", exit 1). Go encrypts its alert under the client handshake traffic
# key and does not pad it: ChangeCipherSpec and ONE application_data record
# of 24 bytes (record length 19) together in ONE 30-byte segment, then the
# client's FIN in its own segment. No alert in clear, no client Finished.
# Decrypted, the alert is fatal bad_certificate(42). Then one FIN each way
# (either first; no RST). Keys (client, tls.Config.KeyLogWriter) in
# reject_go_expired_tls13.keylog: the server's flight and the alert decrypt.
# Expect tls.client_rejected_server (one short encrypted record from the
# client right after the server's flight, then a close: an inference from
# sizes, said to be one), tls.established false, at both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init go
go_build tlsclient
reject_srv expired 13
caps_start
cli 10 "$GOBIN_OUT" -addr $S4:443 -sni www.example.test -ca "$CERTS/ca.pem" -tls 1.3 -keylog "$KEYLOG"
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "client: exit $CLI_RC, want 1"; }
client_says 'certificate has expired or is not yet valid'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    flight13 "$f"
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 1   # CCS
    tis "$f" 'ip.src==192.0.2.10 && tls.record && !tls.handshake.type==1' tls.record.length 1,19   # CCS, one record
    [ "$(segs "$f" client)" = "30" ] || die "$(basename "$f"): client segments $(segs "$f" client), want 30"
    enc_alert "$f" client 19 42 0
    twant "$f" 'ip.src==192.0.2.10 && tls.handshake.type==20' 0 "${K[@]}"   # no client Finished
    only_flight "$f"
    fin_each_way "$f"
done
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
