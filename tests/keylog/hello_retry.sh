#!/bin/bash
# hello_retry: TLS 1.3 with a HelloRetryRequest. openssl s_server -tls1_3
# -groups P-256 -WWW; openssl s_client -groups X25519:P-256 sends a key share
# for x25519 only; the server answers with a HelloRetryRequest (a
# ServerHello whose random is SHA-256("HelloRetryRequest")) selecting
# secp256r1; the client's second ClientHello (same random: the key log's
# lines apply to both) shares secp256r1; completed, GET /hello.txt.
# Key log: s_client -keylogfile.
. "$(dirname "$0")/keylib.sh"
key_init
s_srv -naccept 1 -tls1_3 -groups P-256 -WWW -quiet -cert "$CERTS/server.pem" -key "$CERTS/server.key"
kcap_start
cli_in 10 1 "$GET" openssl s_client -connect $S4:443 -tls1_3 -groups X25519:P-256 -CAfile "$CERTS/ca.pem" \
    -verify_return_error -servername www.example.test -keylogfile "$KEYLOG"
wait_pid "$SRV" 5
kcap_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "s_client failed"; }
client_says '^hello from the synack fixture'
HRR=cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c
twant "$OUT_P" 'tls.handshake.type==1' 2
tis "$OUT_P" 'tls.handshake.type==1' tls.handshake.extensions_key_share_group 29,23
[ "$(tfields "$OUT_P" 'tls.handshake.type==2' tls.handshake.random | head -1 | tr -d :)" = $HRR ] || die "no HRR"
[ "$(tfields "$OUT_P" 'tls.handshake.type==1' tls.handshake.random | sort -u | wc -l)" = 1 ] || die "two randoms"
twant "$OUT_P" 'tls.handshake.type==20' 2 "${K[@]}"
key_finish <<EXP
verdict 1 tcp.completed tls.hello_retry
note 1 HelloRetryRequest: the client shared x25519, the server selected secp256r1; one extra round trip, then established (both Finished decrypt, under the secrets logged for the one client random of both ClientHellos)
EXP
