#!/bin/bash
# key_update: TLS 1.3 KeyUpdate both ways after application data. openssl
# s_server -tls1_3 (no -WWW: it sends what its stdin gives, 3 s after it
# starts); openssl s_client sends "hello 1", then its interactive command
# "K" (SSL_key_update, update_requested), then "hello 2" under
# CLIENT_TRAFFIC_SECRET_1; the server, asked to update, sends its own
# KeyUpdate (update_not_requested) before its next data ("server line")
# under SERVER_TRAFFIC_SECRET_1; the client's stdin ends, close_notify
# under CLIENT_TRAFFIC_SECRET_1. Suite TLS_AES_256_GCM_SHA384 (Hash.length
# 48): secret_1 = HKDF-Expand-Label(secret_0, "traffic upd", "", 48).
# key_update.keys is the key log as s_client wrote it: OpenSSL 3.0 also
# logs the updated secrets, under the labels CLIENT_TRAFFIC_SECRET_N and
# SERVER_TRAFFIC_SECRET_N (not RFC 9850 labels; checked here to equal the
# derivation above). key_update.rfc.keys is the same without those two
# lines: the RFC 9850 labels only, so a reader must derive secret_1 itself
# (tshark does; checked).
. "$(dirname "$0")/keylib.sh"
key_init
srv bash -c '{ sleep 3; printf "server line\n"; sleep 5; } | openssl s_server -accept "$1:443" -naccept 1 -tls1_3 \
    -num_tickets 0 -cert "$2/server.pem" -key "$2/server.key"' _ $S4 "$CERTS"
wait_listen s 443
kcap_start
CLI_RC=0
{ printf 'hello 1\n'; sleep 0.5; printf 'K\n'; sleep 0.5; printf 'hello 2\n'; sleep 3; } |
    in_ns c timeout 10 openssl s_client -connect $S4:443 -tls1_3 -CAfile "$CERTS/ca.pem" -verify_return_error \
        -ciphersuites TLS_AES_256_GCM_SHA384 -servername www.example.test -keylogfile "$KEYLOG" >"$SK_TMP/cli.out" 2>"$SK_TMP/cli.err" || CLI_RC=$?
wait_pid "$SRV" 5
kcap_stop
[ "$CLI_RC" = 0 ] || { cli_log; die "s_client failed"; }
client_says 'KEYUPDATE'
client_says '^server line'
twant "$OUT_P" 'tls.handshake.type==24' 2 "${K[@]}"
twant "$OUT_P" 'ip.src==192.0.2.10 && tls.handshake.type==24' 1 "${K[@]}"
twant "$OUT_P" 'tls.handshake.type==20' 2 "${K[@]}"
grep -q '^CLIENT_TRAFFIC_SECRET_N ' "$KEYLOG" && grep -q '^SERVER_TRAFFIC_SECRET_N ' "$KEYLOG" || die "no _N lines"
python3 - "$KEYLOG" <<'PY' || die "the _N secrets are not the traffic upd derivation"
import hashlib, hmac, sys
L = {l.split()[0]: bytes.fromhex(l.split()[2]) for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")}
def expand_label(secret, label, n):
    full = b"tls13 " + label
    info = n.to_bytes(2, "big") + bytes([len(full)]) + full + b"\0"
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = hmac.new(secret, t + info + bytes([i]), hashlib.sha384).digest(); out += t; i += 1
    return out[:n]
for s in ("CLIENT", "SERVER"):
    assert expand_label(L[s + "_TRAFFIC_SECRET_0"], b"traffic upd", 48) == L[s + "_TRAFFIC_SECRET_N"], s
PY
grep -v '^[A-Z]*_TRAFFIC_SECRET_N ' "$KEYLOG" >"$SK_TMP/rfc.keys"
R=(-o "tls.keylog_file:$SK_TMP/rfc.keys")
twant "$OUT_P" 'tls.handshake.type==24' 2 "${R[@]}"
twant "$OUT_P" 'tls.alert_message.desc==0' 2 "${R[@]}"
twant "$OUT_P" 'tls.record.content_type==23' 3 "${R[@]}"
tis "$OUT_P" 'tls.handshake.type==2' tls.handshake.ciphersuite 0x1302
key_finish <<EXP
verdict 1 tcp.completed tls.established
note 1 KeyUpdate from the client (update_requested) then from the server (update_not_requested); records after each are under *_TRAFFIC_SECRET_1 = HKDF-Expand-Label(*_TRAFFIC_SECRET_0, "traffic upd", "", 48) (SHA-384); the close_notify after them decrypts only with the updated keys
note 1 key_update.rfc.keys (no _N lines) must decrypt everything key_update.keys does
EXP
cp -f "$SK_TMP/rfc.keys" "$KEYDIR/key_update.rfc.keys"; chmod 0644 "$KEYDIR/key_update.rfc.keys"
