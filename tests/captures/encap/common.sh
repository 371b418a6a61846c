# common.sh - shared helpers of the tunnel captures in tests/captures/encap.
# Sourced after ../lib.sh (namespaces, veth, capture, cleanup). Bash only.
#
# inner_traffic makes the same three inner connections in every capture:
#   1. TLS 1.3 to SERVER:4433 (openssl s_server -rev, self-signed P-256 cert
#      made on the spot; openssl s_client sends one line, reads it reversed,
#      closes): tcp.completed + tls.established;
#   2. a SYN to the closed port SERVER:4434: RST from the server (refused);
#   3. a SYN to SERVER:4435, dropped by nftables on the server's inner
#      interface (the capture on the underlay still shows it): no answer.
#      The client namespace has tcp_syn_retries=1: the SYN and one retry.

ENCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$ENCDIR/../lib.sh"

PORT_TLS=4433 PORT_CLOSED=4434 PORT_DROP=4435

need_tools() {
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
    done
}

# make_cert : self-signed P-256 certificate for synack.test in $SK_TMP
make_cert() {
    [ -s "$SK_TMP/cert.pem" ] && return 0
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$SK_TMP/key.pem" -out "$SK_TMP/cert.pem" -days 30 \
        -subj "/CN=synack.test" -addext "subjectAltName=DNS:synack.test" 2>/dev/null
}

# drop_port SERVER_NS INNER_IF PORT : nftables drops TCP to PORT arriving on INNER_IF
drop_port() {
    in_ns "$1" nft -f - <<NFT
table inet synack_drop {
    chain input {
        type filter hook input priority 0; policy accept;
        iifname "$2" tcp dport $3 drop
    }
}
NFT
}

# hp ADDR PORT : host:port, IPv6 in brackets
hp() { case "$1" in *:*) printf '[%s]:%s' "$1" "$2" ;; *) printf '%s:%s' "$1" "$2" ;; esac; }

# tls_once CLIENT_NS SERVER_NS SERVER_ADDR : one TLS 1.3 session, checked
tls_once() {
    local c=$1 s=$2 ip=$3 tag
    make_cert
    tag=$(printf '%s' "$ip" | tr -c '0-9a-zA-Z' _)
    bg "$s" timeout 30 openssl s_server -accept "$(hp "$ip" $PORT_TLS)" -naccept 1 -rev -tls1_3 \
        -cert "$SK_TMP/cert.pem" -key "$SK_TMP/key.pem" -quiet >"$SK_TMP/server.$tag.out" 2>&1
    local srv=$SK_LAST_PID
    wait_listen "$s" $PORT_TLS
    ( printf 'hello from synack fixture\n'; sleep 1 ) | \
        in_ns "$c" timeout 20 openssl s_client -connect "$(hp "$ip" $PORT_TLS)" -tls1_3 \
            -servername synack.test -quiet -no_ign_eof >"$SK_TMP/client.$tag.out" 2>"$SK_TMP/client.$tag.err" || true
    wait_pid "$srv" 5
    grep -q 'erutxif kcanys morf olleh' "$SK_TMP/client.$tag.out" || {
        cat "$SK_TMP/client.$tag.err" >&2; die "no TLS answer from $ip"; }
}

# inner_traffic CLIENT_NS SERVER_NS SERVER_INNER_IF SERVER_ADDR [TLS_ONLY_ADDR...]
# The three connections to SERVER_ADDR, then one TLS session to each extra
# address (e.g. the IPv6 inner address).
inner_traffic() {
    local c=$1 s=$2 ifc=$3 ip=$4; shift 4
    in_ns "$c" sysctl -qw net.ipv4.tcp_syn_retries=1
    drop_port "$s" "$ifc" $PORT_DROP
    tls_once "$c" "$s" "$ip"
    sleep 0.3
    app "$c" client "$ip" $PORT_CLOSED --refused
    sleep 0.3
    app "$c" client "$ip" $PORT_DROP --refused
    local x
    for x in "$@"; do
        sleep 0.3
        tls_once "$c" "$s" "$x"
    done
}

# settle : let the kernel's unsolicited IPv6 MLD reports (sent when an
# interface comes up) go out before the capture starts.
settle() { sleep "${1:-2.5}"; }
