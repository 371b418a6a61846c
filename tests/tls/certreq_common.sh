#!/bin/bash
# certreq_common.sh - body of the certreq_<stack>_tls13 scenarios (not a
# scenario itself). Each certreq_*.sh wrapper says in its header what the
# wire shows and execs this with:
#   CONN_NAME    the scenario's name (NAME.client.pcap, NAME.server.pcap, NAME.keylog)
#   CR_STACK     the server: gnutls (gnutls-serv), go (clients/tlsserver.go),
#                java (clients/TlsServer.java); mutual TLS 1.3 with
#                certs/server.pem, client certificates from certs/ca.pem required
#   CR_ALERT     the description of the server's one (encrypted) fatal alert
#   CR_SAYS      ERE s_client's output must match
#   CR_SRV_SAYS  what the server must have logged (grep pattern)
# The client is openssl s_client -tls1_3 -keylogfile without a certificate,
# its stdin held open 2 s. certreq_checks decrypts the handshake and checks
# the alert; what depends on the stack (the table below): how the server is
# run and stopped, the alert record's length and padding (and, JSSE, that
# of every record), and how the connection closes.
: "${CONN_NAME:?set by the certreq_* wrapper} ${CR_STACK:?} ${CR_ALERT:?} ${CR_SAYS:?} ${CR_SRV_SAYS:?}"
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
# one_server_fin FILE : the server's one FIN (gnutls-serv also resets)
one_server_fin() {
    [ "$(fins "$1" server)" = 1 ] || die "$(basename "$1"): closing '$(closing "$1")', want one server FIN"
}
# REC PAD: the alert record's length and padding; PADS the padding of every
# decrypted record (if checked); SRV_OUT the server's output, SRV_TAG its
# name in messages; srv_said (when its message is missing) and srv_summary
# (the log line) show what it said
REC=19 PAD=0 PADS="" CLOSE=fin_each_way
srv_said() { cat "$SRV_OUT"; }
srv_summary() { cat "$SRV_OUT"; }
case $CR_STACK in
    gnutls)
        stack_init gnutls-serv
        SRV_OUT="$SK_TMP/srv.out" SRV_TAG=gnutls-serv CLOSE=one_server_fin
        srv_said() { tail -3 "$SRV_OUT"; }
        srv_summary() { grep -m1 -iE 'error|fail' "$SRV_OUT"; }
        cd "$SK_TMP/www"
        srv gnutls-serv -p 443 --x509certfile "$CERTS/server.pem" --x509keyfile "$CERTS/server.key" \
            --x509cafile "$CERTS/ca.pem" --require-client-cert --verify-client-cert \
            --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 --http >"$SRV_OUT" 2>&1 ;;
    go)
        stack_init go
        go_build tlsserver
        SRV_OUT="$SK_TMP/srv.err" SRV_TAG=tlsserver
        srv "$GOBIN_OUT" -addr $S4:443 -cert "$CERTS/server.pem" -key "$CERTS/server.key" \
            -ca "$CERTS/ca.pem" -tls 1.3 2>"$SRV_OUT" ;;
    java)
        stack_init java javac keytool
        java_build TlsServer
        java_keystore server
        SRV_OUT="$SK_TMP/srv.err" SRV_TAG=TlsServer REC=35 PAD=16 PADS=16,16,16,16,16,0,0,16
        srv java -cp "$JDIR" TlsServer $S4 443 "$JDIR/server.p12" "$JDIR/trust.p12" changeit TLSv1.3 2>"$SRV_OUT" ;;
    *) die "CR_STACK '$CR_STACK'" ;;
esac
wait_listen s 443
caps_start
cli_in 10 2 '' openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG"
if [ "$CR_STACK" = gnutls ]; then
    caps_stop
    kill -TERM "$SRV" 2>/dev/null || true     # gnutls-serv serves until stopped
    wait_pid "$SRV" 5
else
    wait_pid "$SRV" 5                          # one connection, then it exits
    caps_stop
fi
[ "$CLI_RC" = 1 ] || { cli_log; die "s_client: exit $CLI_RC, want 1"; }
client_says "$CR_SAYS"
grep -q -- "$CR_SRV_SAYS" "$SRV_OUT" || die "$SRV_TAG said: $(srv_said)"
for f in "$OUT_C" "$OUT_S"; do
    certreq_checks "$f" "$REC" "$CR_ALERT" "$PAD"
    [ -z "$PADS" ] || [ "$(rec_pads "$f")" = "$PADS" ] ||
        die "$(basename "$f"): padding of the decrypted records $(rec_pads "$f"), want $PADS"
    "$CLOSE" "$f"
done
log "$SRV_TAG: $(srv_summary)"
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
