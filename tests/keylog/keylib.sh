# shellcheck shell=bash disable=SC2034
# keylib.sh - shared parts of the tests/keylog capture scripts. Sourced, bash
# only. Reuses ../tls/tlslib.sh and ../tls/stackslib.sh unchanged (which
# source ../conn/connlib.sh and ../captures/lib.sh): the client "c"
# 192.0.2.10 - router "r" - server "s" 203.0.113.20:443 namespaces, IPv4
# only, offloads off, static neighbours, bounded servers and clients
# (srv, cli, cli_in), tshark checks (twant, tis), the Go build (go_build),
# cleanup of namespaces and background processes on any exit (trap).
# What it adds: ONE capture per scenario, taken on the client's veth (c0),
# NAME.pcap; the client's key log NAME.keys; NAME.expect, written by
# mkexpect.py from tshark (the oracle) plus the verdict lines the scenario
# script gives on stdin to key_finish. Nothing is moved beside the script
# until every check passed (a failed run leaves the committed files alone).

. "$(dirname "${BASH_SOURCE[0]}")/../tls/tlslib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../tls/stackslib.sh"

KEYDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KCERTS="$KEYDIR/certs"       # rsa.pem/rsa.key (TLS 1.2 ECDHE-RSA); the others are $CERTS (tests/tls/certs)
FINAL_P="$KEYDIR/$NAME.pcap"
FINAL_KEYS="$KEYDIR/$NAME.keys"
FINAL_E="$KEYDIR/$NAME.expect"
OUT_P=""
GET='GET /hello.txt HTTP/1.0\r\nHost: www.example.test\r\n\r\n'
K=()                         # tshark options to decrypt with this run's key log (set by key_init)

# key_init [tools...] : root check, namespaces, temp dir, empty key log,
# www/hello.txt (the working directory of every s_server -WWW from here on)
key_init() {
    stack_init "$@"
    K=(-o "tls.keylog_file:$KEYLOG")
    cd "$SK_TMP/www" || die "cd $SK_TMP/www"
}

# kcap_start : tcpdump on the client's veth (c0) -> $OUT_P, returns when it listens
kcap_start() {
    OUT_P="$SK_TMP/$NAME.pcap"; OUT_C=$OUT_P; OUT_S=""
    cap_start c c0 "$OUT_P" -- "$CAPFILTER"
}
# kcap_stop [SECONDS] : let the last packets land, stop tcpdump
kcap_stop() { cap_stop "${1:-0.5}"; }

# s_srv ARGS... : openssl s_server -accept 203.0.113.20:443 ARGS in the
# server namespace (at most 20 s), waits until it listens
s_srv() {
    srv openssl s_server -accept $S4:443 "$@"
    wait_listen s 443
}

# keys_only_ours FILE : die unless every key log line is a known label (the
# RFC 9850 ones, and the CLIENT/SERVER_TRAFFIC_SECRET_N that OpenSSL 3.0
# writes at a KeyUpdate: the updated secret, not an RFC 9850 label) whose
# client random is the random of a ClientHello in FILE (the key log holds
# secrets of these test connections only); prints the labels found
keys_only_ours() {
    local r bad
    r=$(tfields "$1" 'tls.handshake.type==1' tls.handshake.random | tr -d : | sort -u)
    bad=$(awk -v rs="$r" 'BEGIN { n = split(rs, a, "\n"); for (i = 1; i <= n; i++) ok[tolower(a[i])] = 1 }
        /^#/ || NF == 0 { next }
        $1 !~ /^(CLIENT_RANDOM|CLIENT_EARLY_TRAFFIC_SECRET|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET|CLIENT_TRAFFIC_SECRET_N|SERVER_TRAFFIC_SECRET_N)$/ || NF != 3 || !(tolower($2) in ok) { print NR ": " $1 }' "$KEYLOG")
    [ -z "$bad" ] || die "key log lines not of this capture: $bad"
    [ -s "$KEYLOG" ] || die "empty key log"
}

# key_finish : checks the capture opens, the key log holds only this
# capture's secrets; writes NAME.expect (mkexpect.py: tshark with and
# without the keys, then the verdict lines read from stdin); moves NAME.pcap,
# NAME.keys, NAME.expect beside the scripts.
key_finish() {
    tcpdump -nn -r "$OUT_P" >/dev/null 2>&1 || die "tcpdump cannot read $OUT_P"
    keys_only_ours "$OUT_P"
    cp -f "$KEYLOG" "$SK_TMP/$NAME.keys"
    (cd "$SK_TMP" && python3 "$KEYDIR/mkexpect.py" "$NAME.pcap" "$NAME.keys") >"$SK_TMP/$NAME.expect" ||
        die "mkexpect.py failed"
    cat >>"$SK_TMP/$NAME.expect"
    log "client exit $CLI_RC: $(grep -m1 -hiE 'alert|error|curl: |fail|verify' "$SK_TMP/cli.err" "$SK_TMP/cli.out" 2>/dev/null || true)"
    mv -f "$OUT_P" "$FINAL_P"; mv -f "$SK_TMP/$NAME.keys" "$FINAL_KEYS"; mv -f "$SK_TMP/$NAME.expect" "$FINAL_E"
    chmod 0644 "$FINAL_P" "$FINAL_KEYS" "$FINAL_E"
    log "wrote $NAME.pcap ($(lines "$FINAL_P" | wc -l) packets), $NAME.keys ($(grep -c . "$FINAL_KEYS") lines), $NAME.expect"
}
