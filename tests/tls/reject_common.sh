#!/bin/bash
# reject_common.sh - body of the reject_<stack>_<untrusted|expired>_tls<13|12>
# scenarios (not a scenario itself). Each reject_*.sh wrapper says in its
# header what the wire shows and execs this with:
#   CONN_NAME  the scenario's name (NAME.client.pcap, NAME.server.pcap, NAME.keylog)
#   REJ_STACK  the client: gnutls (gnutls-cli), java (clients/TlsClient.java),
#              go (clients/tlsclient.go), python (clients/tlsclient.py),
#              sclient (openssl s_client), curl
#   REJ_CERT   untrusted (certs/selfsigned.pem) | expired (certs/expired.pem)
#   REJ_TLS    13 | 12: the one version both ends speak
#   REJ_SAYS   ERE the client's output must match (its verification error)
#   REJ_ALERT  the description of the client's one fatal alert (decimal)
# openssl s_server -naccept 1 shows the certificate (reject_srv); the client
# rejects it with one alert right after the server's flight (one segment)
# and the server sends nothing more. What depends on the stack (the table
# below): how the client is run, its exit status, at TLS 1.3 whether its
# alert is in clear (7 bytes, no CCS) or encrypted after a CCS (the client's
# segments, the record length, its padding), and how the connection closes.
: "${CONN_NAME:?set by the reject_* wrapper} ${REJ_STACK:?} ${REJ_CERT:?} ${REJ_TLS:?} ${REJ_SAYS:?} ${REJ_ALERT:?}"
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
case $REJ_TLS in 13|12) ;; *) die "REJ_TLS '$REJ_TLS', want 13 or 12" ;; esac
v=1.${REJ_TLS#1}        # 1.3 or 1.2
t13() { [ "$REJ_TLS" = 13 ]; }
# KL: the client's key log arguments (TLS 1.3 only; none for a rejected 1.2
# handshake); SRVKEY: the server logs the keys instead (JSSE cannot)
KL=() SRVKEY=""
# the client's wire shape: SEGS its segments after the ClientHello; ENC
# "RECLEN PAD" of an encrypted alert after a CCS, empty for a 7-byte alert
# in clear and no CCS; PADS the padding of every decrypted record (if checked)
SEGS=7 ENC="" PADS=""
CLI_WANT=1 CLOSE=fin_each_way
case $REJ_STACK in
    gnutls)
        stack_init gnutls-cli
        t13 && { KL=(env SSLKEYLOGFILE="$KEYLOG"); SEGS=6,24 ENC="19 0"; }
        CLI=(10 "${KL[@]}" gnutls-cli -p 443 --x509cafile "$CERTS/ca.pem"
             --sni-hostname www.example.test --verify-hostname www.example.test
             --priority "NORMAL:-VERS-ALL:+VERS-TLS$v" "$S4")
        CLOSE=client_closes ;;
    java)
        stack_init java javac keytool
        java_build TlsClient
        t13 && { SRVKEY=$KEYLOG SEGS=6,40 ENC="35 16" PADS=0,0,0,0,16; }
        CLI=(15 java -cp "$JDIR" TlsClient "$S4" 443 www.example.test "$JDIR/trust.p12" changeit "TLSv$v") ;;
    go)
        stack_init go
        go_build tlsclient
        t13 && { KL=(-keylog "$KEYLOG"); SEGS=30 ENC="19 0"; }
        CLI=(10 "$GOBIN_OUT" -addr "$S4:443" -sni www.example.test -ca "$CERTS/ca.pem" -tls "$v" "${KL[@]}") ;;
    python)
        stack_init
        t13 && KL=("$KEYLOG")
        CLI=(10 python3 "$CLIENTS/tlsclient.py" "$S4" 443 www.example.test "$CERTS/ca.pem" "$v" "${KL[@]}")
        CLOSE=client_closes ;;
    sclient)
        stack_init
        t13 && KL=(-keylogfile "$KEYLOG")
        CLI=(10 openssl s_client -connect "$S4:443" "-tls1_${REJ_TLS#1}" -verify_return_error -CAfile "$CERTS/ca.pem"
             -servername www.example.test -verify_hostname www.example.test "${KL[@]}") ;;
    curl)
        stack_init curl
        if t13; then CLI=(10 env SSLKEYLOGFILE="$KEYLOG" curl -sS --tlsv1.3)
        else CLI=(10 curl -sS --tlsv1.2 --tls-max 1.2); fi
        CLI+=(--cacert "$CERTS/ca.pem" --resolve "www.example.test:443:$S4" https://www.example.test/hello.txt)
        CLI_WANT=60 CLOSE=client_closes ;;
    *) die "REJ_STACK '$REJ_STACK'" ;;
esac
read -r ENC_LEN ENC_PAD <<<"$ENC" || true
reject_srv "$REJ_CERT" "$REJ_TLS" ${SRVKEY:+"$SRVKEY"}
caps_start
cli "${CLI[@]}"
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = "$CLI_WANT" ] || { cli_log; die "client: exit $CLI_RC, want $CLI_WANT"; }
client_says "$REJ_SAYS"
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    if t13; then flight13 "$f"; else flight12 "$f" "$REJ_CERT"; fi
    if [ -n "$ENC" ]; then
        twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 1   # CCS
        tis "$f" 'ip.src==192.0.2.10 && tls.record && !tls.handshake.type==1' tls.record.length "1,$ENC_LEN"   # CCS, one record
    else
        twant "$f" 'ip.src==192.0.2.10 && tls.record.content_type==20' 0   # no CCS
    fi
    [ "$(segs "$f" client)" = "$SEGS" ] || die "$(basename "$f"): client segments $(segs "$f" client), want $SEGS"
    if [ -n "$ENC" ]; then enc_alert "$f" client "$ENC_LEN" "$REJ_ALERT" "$ENC_PAD"
    else clear_alert "$f" client "$REJ_ALERT"; fi
    [ -z "$PADS" ] || [ "$(rec_pads "$f")" = "$PADS" ] ||
        die "$(basename "$f"): padding of the decrypted records $(rec_pads "$f"), want $PADS"
    if t13; then twant "$f" 'ip.src==192.0.2.10 && tls.handshake.type==20' 0 "${K[@]}"; fi   # no client Finished
    only_flight "$f"
    "$CLOSE" "$f"
done
log "closing: $(closing "$OUT_C") (client side), $(closing "$OUT_S") (server side)"
tls_finish
