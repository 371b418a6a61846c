#!/bin/bash
# reject_python_expired_tls13: TLS 1.3, openssl s_server -tls1_3 shows
# certs/expired.pem (www.example.test from the test CA, notAfter
# 2025-01-01); python3's ssl module (OpenSSL 3.0.19; clients/tlsclient.py:
# create_default_context(cafile=ca.pem), server_hostname www.example.test,
# TLS 1.3 only) rejects it ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate
# verify failed: certificate has expired", exit 1). OpenSSL sends its alert
# IN CLEAR at TLS 1.3 (it rejects the certificate before switching its write
# side to the handshake keys): ONE 7-byte segment, 15 03 03 00 02 02 2d, no
# ChangeCipherSpec, after the server's encrypted flight. The alert: fatal
# certificate_expired(45). Then the client's [R.] (python closes with
# received bytes unread), with or without an S FIN before it: both seen.
# Keys (client, SSLContext.keylog_filename) in
# reject_python_expired_tls13.keylog: only the server handshake secret
# (OpenSSL logs no more for a rejected handshake): the server's flight
# decrypts. Expect tls.client_rejected_server with the alert named
# (certificate_expired(45)), at both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init
reject_srv expired 13
caps_start
cli 10 python3 "$CLIENTS/tlsclient.py" $S4 443 www.example.test "$CERTS/ca.pem" 1.3 "$KEYLOG"
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 1 ] || { cli_log; die "client: exit $CLI_RC, want 1"; }
client_says 'CERTIFICATE_VERIFY_FAILED.*certificate has expired.*OpenSSL 3'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    flight13 "$f"
    twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 0   # no CCS
    [ "$(segs "$f" client)" = "7" ] || die "$(basename "$f"): client segments $(segs "$f" client), want 7"
    clear_alert "$f" client 45
    twant "$f" 'ip.src==192.0.2.10 && tls.handshake.type==20' 0 "${K[@]}"   # no client Finished
    only_flight "$f"
    client_closes "$f"
done
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
