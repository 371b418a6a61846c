# shellcheck shell=bash disable=SC2034
# tlslib.sh - shared parts of the tests/tls capture scripts. Sourced, bash only.
# Reuses ../conn/connlib.sh unchanged (which sources ../captures/lib.sh): the
# client "c" 192.0.2.10 - router "r" - server "s" 203.0.113.20 namespaces,
# offloads off, static neighbours, two simultaneous tcpdumps (client side and
# server side), cleanup on exit. Adds: the output paths in tests/tls, the
# certificates, bounded client/server runners and tshark checks.

. "$(dirname "${BASH_SOURCE[0]}")/../conn/connlib.sh"

TLSDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CERTS="$TLSDIR/certs"
TAPP="$TLSDIR/tlsapp.py"
# connlib.sh points these at tests/conn: the captures of this directory go here
FINAL_C="$TLSDIR/$NAME.client.pcap"
FINAL_S="$TLSDIR/$NAME.server.pcap"
FINAL_K="$TLSDIR/$NAME.keylog"
KEYLOG=""   # set by tls_init: SSLKEYLOGFILE of this run (kept beside the captures if non-empty)

need_tls() {
    local t
    for t in openssl tshark "$@"; do
        command -v "$t" >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
    done
}

# tls_init [tools...] : root check, temp dir, namespaces (IPv4 only), keylog path
tls_init() {
    need_root; need_tls "$@"; sk_init; conn_topo
    KEYLOG="$SK_TMP/$NAME.keylog"; : >"$KEYLOG"
}

# srv CMD... : a server in the server namespace, in the background, at most 20 s
srv() { bg s timeout 20 "$@"; SRV=$SK_LAST_PID; }
# cli SECONDS CMD... : a client in the client namespace, foreground, bounded;
# its exit status is in CLI_RC (never fatal), stdout/stderr in $SK_TMP/cli.{out,err}
cli() {
    local t=$1; shift
    CLI_RC=0
    in_ns c timeout "$t" "$@" >"$SK_TMP/cli.out" 2>"$SK_TMP/cli.err" </dev/null || CLI_RC=$?
}
# cli_in SECONDS HOLD INPUT CMD... : same, with INPUT (printf %b) on the
# client's stdin, which is then held open HOLD more seconds before EOF
cli_in() {
    local t=$1 h=$2 in=$3; shift 3
    CLI_RC=0
    { printf '%b' "$in"; sleep "$h"; } | \
        in_ns c timeout "$t" "$@" >"$SK_TMP/cli.out" 2>"$SK_TMP/cli.err" || CLI_RC=$?
}
cli_log() { log "client exit $CLI_RC"; sed 's/^/  client: /' "$SK_TMP/cli.out" "$SK_TMP/cli.err" | head -40 >&2; }
# client_says EREGEX : die unless the client's output matches
client_says() { grep -qE -- "$1" "$SK_TMP/cli.out" "$SK_TMP/cli.err" || { cli_log; die "client output lacks /$1/"; }; }

# tsh FILE [tshark args...] : tshark on a capture (port 443 is TLS by default)
tsh() {
    local f=$1; shift
    tshark -n -r "$f" -o tcp.desegment_tcp_streams:TRUE "$@" 2>"$SK_TMP/tshark.err" || \
        die "tshark $* on $(basename "$f"): $(grep -v 'Running as' "$SK_TMP/tshark.err" | head -3)"
}
# tcount FILE DISPLAYFILTER [tshark args] : number of frames matching
tcount() { local f=$1 y=$2; shift 2; tsh "$f" -Y "$y" "$@" | wc -l; }
# tfields FILE DISPLAYFILTER FIELD [tshark args] : the field's values, one frame a line
tfields() { local f=$1 y=$2 e=$3; shift 3; tsh "$f" -Y "$y" -T fields -e "$e" "$@"; }
# twant FILE DISPLAYFILTER N|N+ [tshark args] : die unless N (at least N) frames match
twant() {
    local n; n=$(tcount "$1" "$2" "${@:4}")
    case "$3" in
        *+) [ "$n" -ge "${3%+}" ] || die "$(basename "$1"): $n frames match '$2', want >= ${3%+}" ;;
        *)  [ "$n" -eq "$3" ]     || die "$(basename "$1"): $n frames match '$2', want $3" ;;
    esac
}
# tis FILE DISPLAYFILTER FIELD VALUE [tshark args] : die unless the field's
# values (all matching frames, comma-joined) are exactly VALUE
tis() {
    local v; v=$(tfields "$1" "$2" "$3" "${@:5}" | paste -sd, -)
    [ "$v" = "$4" ] || die "$(basename "$1"): $3 of '$2' is '$v', want '$4'"
}

# router_drop_over BYTES : the router drops every forwarded packet to
# 203.0.113.20:443 whose IP length is over BYTES (counted: router_drops)
router_drop_over() {
    need_nft
    router_nft <<NFT
table inet tls {
    chain forward {
        type filter hook forward priority 0; policy accept;
        ip daddr 203.0.113.20 tcp dport 443 ip length > $1 counter drop
    }
}
NFT
}
# router_drops : how many packets router_drop_over's rule dropped
router_drops() { in_ns r nft list chain inet tls forward | grep -oE 'packets [0-9]+' | grep -oE '[0-9]+'; }

# later_packet : one UDP datagram from the client to a closed port of the
# server (not captured: the capture filter is TCP and ICMP), which draws an
# ICMP port unreachable that both captures hold: a packet after a silence, as
# other traffic would give a real capture (a file has no record of the quiet
# after its last packet)
later_packet() {
    in_ns c timeout 5 python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"x", ("203.0.113.20", 9))
time.sleep(0.3)' || die "udp datagram failed"
}

# tls_finish : move the captures (and a non-empty keylog) in place; print a
# summary. Every check must have passed before this is called.
tls_finish() {
    local f
    for f in "$OUT_C" "$OUT_S"; do tcpdump -nn -r "$f" >/dev/null 2>&1 || die "tcpdump cannot read $f"; done
    log "client exit $CLI_RC: $(grep -m1 -hiE 'alert|error|curl: |fail' "$SK_TMP/cli.err" "$SK_TMP/cli.out" || true)"
    conn_finish
    if [ -s "$KEYLOG" ]; then cp -f "$KEYLOG" "$FINAL_K"; chmod 0644 "$FINAL_K"; log "wrote $(basename "$FINAL_K")"
    else rm -f "$FINAL_K"; fi
}

# TLS_KEEP=DIR: when a check fails, copy that run's captures and keylog to DIR
# (for a look at what happened; the committed files stay untouched)
die() {
    log "error: $*"
    if [ -n "${TLS_KEEP:-}" ] && [ -n "$OUT_C" ]; then
        mkdir -p "$TLS_KEEP"; cp -f "$OUT_C" "$OUT_S" "$KEYLOG" "$TLS_KEEP/" 2>/dev/null || true
        log "captures of this run copied to $TLS_KEEP"
    fi
    exit 1
}

# padded_chain DIR N : in DIR, leaf.pem/leaf.key (self-signed, valid only
# from 2099, CN and SAN leaf.example.test: three problems for a client that
# asks for www.example.test) and pad.pem, N padding certificates of about
# 13.6 KB each (self-signed, a 13,000-byte private extension) for s_server's
# -cert_chain: a chain of about 0.6 + 13.6 N KB. Keys are made on each run.
padded_chain() {
    local d=$1 n=$2 i fill
    mkdir -p "$d/new"; : >"$d/index.txt"; echo 2001 >"$d/serial"
    cat >"$d/ca.cnf" <<CNF
[ ca ]
default_ca = tca
[ tca ]
dir = $d
database = $d/index.txt
new_certs_dir = $d/new
serial = $d/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ v3_leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:leaf.example.test
CNF
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/leaf.key" 2>/dev/null
    openssl req -new -key "$d/leaf.key" -subj "/CN=leaf.example.test" -out "$d/leaf.csr"
    openssl ca -batch -config "$d/ca.cnf" -selfsign -keyfile "$d/leaf.key" -in "$d/leaf.csr" \
        -startdate 20990101000000Z -enddate 21000101000000Z -extensions v3_leaf -notext \
        -out "$d/leaf.pem" >"$d/ca.log" 2>&1 || die "leaf certificate: $(tail -3 "$d/ca.log")"
    fill=$(head -c 13000 /dev/zero | tr '\0' 'p')
    : >"$d/pad.pem"
    for i in $(seq 1 "$n"); do
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/pad$i.key" \
            -subj "/CN=synack padding $i" -days 3650 \
            -addext "1.3.6.1.4.1.55555.1=ASN1:UTF8String:$fill" -out "$d/pad$i.pem" 2>/dev/null ||
            die "padding certificate $i"
        cat "$d/pad$i.pem" >>"$d/pad.pem"
    done
}
