#!/bin/bash
# tls_loopback.pcap: a real TLS 1.3 session over 127.0.0.1 on lo inside a
# fresh namespace (nothing else on that lo). openssl s_server (self-signed
# EC P-256 certificate made on the fly, CN=synack.test, -rev: answers every
# line reversed) on port 4433, openssl s_client -tls1_3 -servername
# synack.test sends one line, reads the answer, then closes (close_notify,
# FIN). The server accepts one connection (-naccept 1).
. "$(dirname "$0")/lib.sh"
need_root; sk_init
command -v openssl >/dev/null || { echo "SKIP: openssl not installed"; exit 77; }
OUT="$CAPDIR/tls_loopback.pcap"
ns_new a
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$SK_TMP/key.pem" -out "$SK_TMP/cert.pem" -days 30 \
    -subj "/CN=synack.test" -addext "subjectAltName=DNS:synack.test" 2>/dev/null
bg a timeout 30 openssl s_server -accept 127.0.0.1:4433 -naccept 1 -rev -tls1_3 \
    -cert "$SK_TMP/cert.pem" -key "$SK_TMP/key.pem" -quiet >"$SK_TMP/server.out" 2>&1
SRV=$SK_LAST_PID
wait_listen a 4433
cap_start a lo "$OUT" -- tcp
( printf 'hello from synack fixture\n'; sleep 1 ) | \
    in_ns a timeout 20 openssl s_client -connect 127.0.0.1:4433 -tls1_3 \
        -servername synack.test -quiet -no_ign_eof >"$SK_TMP/client.out" 2>"$SK_TMP/client.err" || true
wait_pid "$SRV" 5
cap_stop
grep -q 'erutxif kcanys morf olleh' "$SK_TMP/client.out" || { cat "$SK_TMP/client.err" >&2; die "no TLS answer"; }
finish "$OUT"
