#!/bin/bash
# warning_unrecognized_name_tls12: a WARNING alert before the ServerHello,
# then a healthy TLS 1.2 session. openssl s_server -tls1_2 -servername
# other.example.test (-cert2 for that name; the default certificate is
# certs/server.pem, www.example.test) on 203.0.113.20:443; curl --tls-max 1.2
# asks for www.example.test (SNI www.example.test). The server's SNI callback
# does not know that name and, without -servername_fatal, answers with
# SSL_TLSEXT_ERR_ALERT_WARNING: OpenSSL sends a 7-byte WARNING
# unrecognized_name(112) in clear (15 03 03 00 02 01 70) in its own segment,
# then its normal flight with the default certificate (www.example.test from
# the test CA: curl's verification passes). The handshake completes: CCS and
# Finished both ways, GET /hello.txt, 200, encrypted close_notify both ways,
# FINs, no RST; curl exit 0 and its -v log says "TLS alert, unrecognized
# name". (OpenSSL sends no such warning at TLS 1.3: no warnings there.)
# Keys in warning_unrecognized_name_tls12.keylog.
# Expect tls.established (ok, TLS 1.2) with the warning listed among the
# alerts (server, warning, unrecognized_name(112), in clear); not tls.alert:
# only a fatal alert ends a handshake. Both points.
. "$(dirname "$0")/tlslib.sh"
. "$TLSDIR/stackslib.sh"
stack_init curl
cd "$SK_TMP/www"
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_2 -WWW -quiet -servername other.example.test \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key" \
    -cert2 "$CERTS/server.pem" -key2 "$CERTS/server.key"
wait_listen s 443
caps_start
cli 10 env SSLKEYLOGFILE="$KEYLOG" curl -sS -v --tlsv1.2 --tls-max 1.2 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/hello.txt
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "curl: exit $CLI_RC, want 0"; }
client_says '^hello from the synack fixture'
client_says 'TLS alert, unrecognized name'
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    tis "$f" 'tls.handshake.type==1' tls.handshake.extensions_server_name www.example.test
    # the server's first segment: the warning alone, before its ServerHello
    p=$(tfields "$f" 'ip.src==203.0.113.20 && tcp.len>0' tcp.payload | head -1)
    [ "$p" = 15030300020170 ] || die "$(basename "$f"): the server's first segment is $p, want 15030300020170"
    twant "$f" 'tls.alert_message.level' 1                  # the warning: the only alert readable without keys
    tis "$f" 'tls.handshake.type==2' tls.handshake.version 0x0303
    tis "$f" 'tls.handshake.type==11' x509ce.dNSName www.example.test
    twant "$f" 'tls.record.content_type==20' 2                 # ChangeCipherSpec both ways
    twant "$f" 'tls.handshake.type==20' 2 "${K[@]}"            # both Finished
    twant "$f" 'http.request.method=="GET"' 1 "${K[@]}"
    twant "$f" 'ip.src==203.0.113.20 && tls.record.content_type==23' 1+   # the reply (HTTP/1.0, ends at close)
    tis "$f" 'tls.alert_message' tls.alert_message.desc 112,0,0 "${K[@]}"   # + close_notify both ways
    twant "$f" 'tcp.flags.fin==1' 2
    twant "$f" 'tcp.flags.reset==1' 0
done
tls_finish
