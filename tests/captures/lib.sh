# lib.sh - shared helpers for the capture scripts in tests/captures.
# Sourced (not executed) by every NAME.sh. Bash only.
#
# All traffic stays on loopback or inside network namespaces created here,
# with TEST-NET / documentation addresses only (192.0.2.0/24, 198.51.100.0/24,
# 203.0.113.0/24, 2001:db8::/32). Everything created is removed on exit.

set -euo pipefail

CAPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APP="$CAPDIR/tcpapp.py"
SK="sk$$"                 # prefix of every namespace this run creates
SK_NS=()                  # namespaces to delete on exit
SK_PIDS=()                # background processes to stop on exit
SK_TMP=""                 # private temp dir (created by sk_init)
SK_CAP_PID=""
SK_CAP_ERR=""

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "SKIP: need root to create network namespaces"; exit 77
    fi
    local probe="${SK}probe"
    if ! ip netns add "$probe" 2>/dev/null; then
        echo "SKIP: ip netns does not work here"; exit 77
    fi
    ip netns del "$probe" 2>/dev/null || true
    local t
    for t in tcpdump python3 ethtool timeout; do
        command -v "$t" >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
    done
}

sk_cleanup() {
    local rc=$?
    set +e
    local p i
    if [ -n "$SK_CAP_PID" ]; then kill -INT "$SK_CAP_PID" 2>/dev/null; fi
    for p in "${SK_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for i in $(seq 1 20); do
        local alive=0
        for p in "${SK_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for p in "${SK_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    wait 2>/dev/null
    for p in "${SK_NS[@]}"; do ip netns del "$p" 2>/dev/null; done
    [ -n "$SK_TMP" ] && rm -rf "$SK_TMP"
    exit "$rc"
}

# sk_init: call once, after need_root.
sk_init() {
    SK_TMP=$(mktemp -d "/tmp/synack-cap.$$.XXXXXX")
    trap sk_cleanup EXIT
    trap 'exit 130' INT TERM HUP
}

# ns_new NAME -> creates namespace ${SK}NAME with lo up; prints nothing.
# Use "$(ns NAME)" to get the real name.
ns() { printf '%s%s' "$SK" "$1"; }
ns_new() {
    local n; n=$(ns "$1")
    ip netns add "$n"
    SK_NS+=("$n")
    ip -n "$n" link set lo up
    # quiet, deterministic: no IPv6 router solicitations / MLD / DAD
    ip netns exec "$n" sysctl -qw net.ipv6.conf.default.accept_ra=0 \
        net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.dad_transmits=0 \
        net.ipv6.conf.all.dad_transmits=0 net.ipv6.conf.default.router_solicitations=0 \
        net.ipv6.conf.all.router_solicitations=0 >/dev/null 2>&1 || true
}

# in_ns NAME cmd... : run a command inside namespace NAME (short name).
in_ns() { local n; n=$(ns "$1"); shift; ip netns exec "$n" "$@"; }

# offload_off NS IF : wire-sized packets on veth
offload_off() {
    in_ns "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || \
        in_ns "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1 || true
}

# veth NS1 IF1 MAC1 NS2 IF2 MAC2 [noipv6] : veth pair between two namespaces,
# fixed MACs, offloads off, up. With "noipv6", IPv6 is disabled on both ends
# (no link-local noise in IPv4-only captures).
veth() {
    local n1 n2; n1=$(ns "$1"); n2=$(ns "$4")
    ip link add "$2" netns "$n1" address "$3" type veth peer name "$5" netns "$n2" address "$6"
    if [ "${7:-}" = noipv6 ]; then
        in_ns "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
        in_ns "$4" sysctl -qw "net.ipv6.conf.$5.disable_ipv6=1"
    else
        in_ns "$1" sysctl -qw "net.ipv6.conf.$2.accept_dad=0" "net.ipv6.conf.$2.router_solicitations=0"
        in_ns "$4" sysctl -qw "net.ipv6.conf.$5.accept_dad=0" "net.ipv6.conf.$5.router_solicitations=0"
    fi
    offload_off "$1" "$2"; offload_off "$4" "$5"
    ip -n "$n1" link set "$2" up
    ip -n "$n2" link set "$5" up
}

# addr NS IF CIDR : add an address (IPv6 gets nodad)
addr() {
    case "$3" in
        *:*) ip -n "$(ns "$1")" addr add "$3" dev "$2" nodad ;;
        *)   ip -n "$(ns "$1")" addr add "$3" dev "$2" ;;
    esac
}

# neigh NS IF IP MAC : permanent neighbour entry (no ARP/ND in captures)
neigh() { ip -n "$(ns "$1")" neigh replace "$3" lladdr "$4" dev "$2" nud permanent; }

# bg NS cmd... : start a background command inside a namespace, remember pid
bg() {
    local n; n=$(ns "$1"); shift
    ip netns exec "$n" "$@" &
    SK_PIDS+=("$!")
    SK_LAST_PID=$!
}

# wait_listen NS PORT [tcp|udp] : wait (max 10 s) until something listens
wait_listen() {
    local i opt=-ltn
    [ "${3:-tcp}" = udp ] && opt=-lun
    for i in $(seq 1 100); do
        if in_ns "$1" ss -H "$opt" "sport = :$2" 2>/dev/null | grep -c . >/dev/null; then return 0; fi
        sleep 0.1
    done
    die "nothing listening on port $2 in $1"
}

# wait_pid PID [SECONDS] : wait for a background process, bounded
wait_pid() {
    local p=$1 s=${2:-15} i
    for i in $(seq 1 $((s * 10))); do
        kill -0 "$p" 2>/dev/null || { wait "$p" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    log "process $p still running after ${s}s, killing it"
    kill -TERM "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
}

# cap_start NS IF FILE [tcpdump options...] [-- FILTER...]
# Starts tcpdump in the background and waits until it really listens.
cap_start() {
    local n; n=$(ns "$1"); local ifc=$2 file=$3; shift 3
    local opts=() filt=()
    while [ $# -gt 0 ]; do
        if [ "$1" = -- ]; then shift; filt=("$@"); break; fi
        opts+=("$1"); shift
    done
    SK_CAP_ERR="$SK_TMP/tcpdump.$RANDOM.err"
    rm -f "$file"
    ip netns exec "$n" tcpdump -i "$ifc" --immediate-mode -U -nn "${opts[@]}" -w "$file" "${filt[@]}" \
        2>"$SK_CAP_ERR" &
    SK_CAP_PID=$!
    local i
    for i in $(seq 1 100); do
        grep -q "listening on" "$SK_CAP_ERR" 2>/dev/null && { sleep 0.2; return 0; }
        kill -0 "$SK_CAP_PID" 2>/dev/null || { cat "$SK_CAP_ERR" >&2; die "tcpdump failed to start"; }
        sleep 0.1
    done
    cat "$SK_CAP_ERR" >&2
    die "tcpdump did not start listening within 10 s"
}

# cap_stop : let the last packets land, stop tcpdump with SIGINT, wait for it
cap_stop() {
    [ -n "$SK_CAP_PID" ] || return 0
    sleep "${1:-0.5}"
    kill -INT "$SK_CAP_PID" 2>/dev/null || true
    local p=$SK_CAP_PID; SK_CAP_PID=""
    wait_pid "$p" 10
    grep -E "packets (captured|received|dropped)" "$SK_CAP_ERR" >&2 || true
}

# two_hosts A_IP B_IP [noipv6] : namespaces "a" and "b" joined by veth a0<->b0,
# MACs 02:00:00:00:00:0a / 0b, addresses given as CIDR, static neighbours.
MAC_A=02:00:00:00:00:0a
MAC_B=02:00:00:00:00:0b
two_hosts() {
    ns_new a; ns_new b
    veth a a0 "$MAC_A" b b0 "$MAC_B" "${3:-}"
    addr a a0 "$1"; addr b b0 "$2"
    neigh a a0 "${2%/*}" "$MAC_B"; neigh b b0 "${1%/*}" "$MAC_A"
}

# app NS args... : run tcpapp.py in a namespace in the foreground, bounded
app() { local n=$1; shift; in_ns "$n" timeout 30 python3 "$APP" "$@"; }
# app_bg NS args... : same, in the background
app_bg() { local n=$1; shift; bg "$n" timeout 60 python3 "$APP" "$@"; }

# finish FILE : print a one-line summary of the produced capture
finish() {
    local f
    for f in "$@"; do
        [ -s "$f" ] || die "$f is empty"
        log "wrote $(basename "$f"): $(tcpdump -nn -r "$f" 2>/dev/null | wc -l) packets, $(stat -c %s "$f") bytes"
    done
}

# routed [noipv6] : three namespaces, client "a" - router "r" - server "b".
#   a0 192.0.2.1/24      2001:db8:1::1/64   (gw .254 / ::fe)
#   r: ra 192.0.2.254/24 2001:db8:1::fe/64,  rb 198.51.100.254/24 2001:db8:2::fe/64
#   b0 198.51.100.1/24   2001:db8:2::1/64   (gw .254 / ::fe)
# Static neighbours everywhere, forwarding on in r. Anything that must be
# hidden from one side is dropped in r (a tap sees packets before the local
# firewall acts, so dropping at the end host would still show them).
MAC_RA=02:00:00:00:00:1a
MAC_RB=02:00:00:00:00:1b
routed() {
    local v6=1; [ "${1:-}" = noipv6 ] && v6=0
    ns_new a; ns_new r; ns_new b
    veth a a0 "$MAC_A" r ra "$MAC_RA" "${1:-}"
    veth r rb "$MAC_RB" b b0 "$MAC_B" "${1:-}"
    in_ns r sysctl -qw net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0
    addr a a0 192.0.2.1/24; addr r ra 192.0.2.254/24
    addr r rb 198.51.100.254/24; addr b b0 198.51.100.1/24
    ip -n "$(ns a)" route add default via 192.0.2.254
    ip -n "$(ns b)" route add default via 198.51.100.254
    neigh a a0 192.0.2.254 "$MAC_RA"; neigh r ra 192.0.2.1 "$MAC_A"
    neigh r rb 198.51.100.1 "$MAC_B"; neigh b b0 198.51.100.254 "$MAC_RB"
    if [ "$v6" = 1 ]; then
        in_ns r sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.icmp.ratelimit=0
        addr a a0 2001:db8:1::1/64; addr r ra 2001:db8:1::fe/64
        addr r rb 2001:db8:2::fe/64; addr b b0 2001:db8:2::1/64
        ip -n "$(ns a)" -6 route add default via 2001:db8:1::fe
        ip -n "$(ns b)" -6 route add default via 2001:db8:2::fe
        neigh a a0 2001:db8:1::fe "$MAC_RA"; neigh r ra 2001:db8:1::1 "$MAC_A"
        neigh r rb 2001:db8:2::1 "$MAC_B"; neigh b b0 2001:db8:2::fe "$MAC_RB"
    fi
}

# vlan_bpf NS IF egress|ingress push TPID VID [TPID VID...] | pop COUNT
# Attach a tc eBPF program (vlanbpf.py) that pushes/pops VLAN tags on IF.
# The bpffs used for pinning is mounted on a temp dir inside the private
# mount namespace of this one "ip netns exec" (nothing is left mounted).
vlan_bpf() {
    local n=$1 ifc=$2 dir=$3; shift 3
    local d="$SK_TMP/bpffs.$n.$ifc.$dir"
    mkdir -p "$d"
    in_ns "$n" tc qdisc replace dev "$ifc" clsact
    in_ns "$n" bash -c 'set -e; mount -t bpf bpf "$1"; d=$1 ifc=$2 dir=$3 py=$4; shift 4
        python3 "$py" "$1" "$d/prog" "${@:2}"
        tc filter add dev "$ifc" "$dir" bpf da object-pinned "$d/prog"' \
        _ "$d" "$ifc" "$dir" "$CAPDIR/vlanbpf.py" "$@"
}
