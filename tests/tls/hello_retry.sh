#!/bin/bash
# hello_retry: TLS 1.3 with a HelloRetryRequest. The server (openssl
# s_server -tls1_3 -groups X25519) gets a first ClientHello from curl
# --tlsv1.3 --curves P-256:X25519 (OpenSSL sends a key share for the first
# group only: secp256r1), answers with a HelloRetryRequest (a ServerHello
# whose random is SHA-256("HelloRetryRequest") = cf21ad74...8c5e079e09e2c8a8339c,
# key_share selecting x25519), gets a second ClientHello with an x25519 share,
# and the handshake completes: GET /hello.txt, close_notify both ways.
# Keys in hello_retry.keylog.
# Expect tls.hello_retry (group secp256r1 -> x25519, one extra round trip),
# then established, at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
mkdir "$SK_TMP/www"; printf 'hello from the synack fixture.\n\n' >"$SK_TMP/www/hello.txt"
cd "$SK_TMP/www"
srv openssl s_server -accept $S4:443 -naccept 1 -tls1_3 -groups X25519 -WWW -quiet -num_tickets 0 \
    -cert "$CERTS/server.pem" -key "$CERTS/server.key"
wait_listen s 443
caps_start
cli 10 env SSLKEYLOGFILE="$KEYLOG" curl -sS --tlsv1.3 --curves P-256:X25519 --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/hello.txt
wait_pid "$SRV" 5
caps_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "curl failed"; }
client_says '^hello from the synack fixture'
HRR=cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c
K=(-o "tls.keylog_file:$KEYLOG")
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 2
    twant "$f" 'tls.handshake.type==2' 2
    tis "$f" 'tls.handshake.type==2' tls.handshake.random "$HRR,$(tfields "$f" 'tls.handshake.type==2' tls.handshake.random | tail -1)"
    [ "$(tfields "$f" 'tls.handshake.type==2' tls.handshake.random | tail -1)" != "$HRR" ] || die "two HRRs"
    # first ClientHello: share secp256r1 (23); HRR selects x25519 (29); second: x25519
    tis "$f" 'tls.handshake.type==1' tls.handshake.extensions_key_share_group 23,29
    tis "$f" 'tls.handshake.extensions_key_share_selected_group' tls.handshake.extensions_key_share_selected_group 29
    tis "$f" 'tls.handshake.type==2 && tls.handshake.extensions_key_share_group' tls.handshake.extensions_key_share_group 29
    twant "$f" 'tcp.flags.reset==1' 0
    twant "$f" 'tls.handshake.type==20' 2 "${K[@]}"
    twant "$f" 'http.request.method=="GET"' 1 "${K[@]}"
done
tls_finish
