# connlib.sh - shared helpers of the tests/conn scripts. Sourced, bash only.
# Builds on ../captures/lib.sh (sourced unchanged: need_root, namespaces,
# veth with offloads off, static neighbours, cleanup trap, wait_* helpers)
# and adds the client - router - server topology of these captures plus two
# simultaneous tcpdumps (client side and server side).
#
#   client "c"  c0 192.0.2.10/24     2001:db8:1::10/64   (gw .1 / ::1)
#   router "r"  rc 192.0.2.1/24      2001:db8:1::1/64    ip_forward on
#               rs 203.0.113.1/24    2001:db8:2::1/64
#   server "s"  s0 203.0.113.20/24   2001:db8:2::20/64   (gw .1 / ::1)
#
# Packets that one side must not see are dropped (or rejected) in the router:
# a tap sees a packet before the local firewall of its own host acts on it.

. "$(dirname "${BASH_SOURCE[0]}")/../captures/lib.sh"

CONNDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPP="$CONNDIR/connapp.py"
NAME=${CONN_NAME:-$(basename "$0" .sh)}
# Captures are written in the private temp dir (OUT_C, OUT_S, set by
# caps_start) and moved beside the scripts only by conn_finish, after every
# check passed: a failed or interrupted run leaves the committed files alone.
FINAL_C="$CONNDIR/$NAME.client.pcap"
FINAL_S="$CONNDIR/$NAME.server.pcap"
OUT_C=""; OUT_S=""
C4=192.0.2.10;  R4C=192.0.2.1;  R4S=203.0.113.1;  S4=203.0.113.20
C6=2001:db8:1::10; R6C=2001:db8:1::1; R6S=2001:db8:2::1; S6=2001:db8:2::20
MAC_C=02:00:00:00:00:0a; MAC_RC=02:00:00:00:00:1a
MAC_RS=02:00:00:00:00:1b; MAC_S=02:00:00:00:00:0b
# TCP, ICMP, and ICMPv6 errors only (types < 128: no ND/MLD noise)
CAPFILTER='tcp or icmp or (icmp6 and ip6[40] < 128)'
CONN_CAPS=()

# conn_topo [v6] : the three namespaces; IPv6 only with "v6" (otherwise it is
# disabled on the veths, so IPv4 captures hold no link-local noise).
conn_topo() {
    local v6=0 nov6=noipv6
    [ "${1:-}" = v6 ] && { v6=1; nov6=""; }
    ns_new c; ns_new r; ns_new s
    veth c c0 "$MAC_C" r rc "$MAC_RC" $nov6
    veth r rs "$MAC_RS" s s0 "$MAC_S" $nov6
    in_ns r sysctl -qw net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0
    addr c c0 $C4/24; addr r rc $R4C/24; addr r rs $R4S/24; addr s s0 $S4/24
    ip -n "$(ns c)" route add default via $R4C
    ip -n "$(ns s)" route add default via $R4S
    neigh c c0 $R4C "$MAC_RC"; neigh r rc $C4 "$MAC_C"
    neigh r rs $S4 "$MAC_S";   neigh s s0 $R4S "$MAC_RS"
    if [ "$v6" = 1 ]; then
        in_ns r sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.icmp.ratelimit=0
        addr c c0 $C6/64; addr r rc $R6C/64; addr r rs $R6S/64; addr s s0 $S6/64
        ip -n "$(ns c)" -6 route add default via $R6C
        ip -n "$(ns s)" -6 route add default via $R6S
        neigh c c0 $R6C "$MAC_RC"; neigh r rc $C6 "$MAC_C"
        neigh r rs $S6 "$MAC_S";   neigh s s0 $R6S "$MAC_RS"
    fi
}

# router_nft : nftables ruleset for the router, from stdin
router_nft() { in_ns r nft -f -; }
need_nft() { command -v nft >/dev/null || { echo "SKIP: nft not installed"; exit 77; }; }

# caps_start : tcpdump on c0 (-> NAME.client.pcap) and on s0 (-> NAME.server.pcap)
# at the same time; returns when both listen. Uses lib.sh's cap_start for each
# and keeps the pids here (lib.sh tracks one capture only).
caps_start() {
    OUT_C="$SK_TMP/$NAME.client.pcap"; OUT_S="$SK_TMP/$NAME.server.pcap"
    cap_start c c0 "$OUT_C" -- "$CAPFILTER"
    CONN_CAPS+=("$SK_CAP_PID:$SK_CAP_ERR"); SK_PIDS+=("$SK_CAP_PID"); SK_CAP_PID=""
    cap_start s s0 "$OUT_S" -- "$CAPFILTER"
    CONN_CAPS+=("$SK_CAP_PID:$SK_CAP_ERR"); SK_PIDS+=("$SK_CAP_PID"); SK_CAP_PID=""
}

# caps_stop [SECONDS] : let the last packets land, stop both tcpdumps (SIGINT)
caps_stop() {
    sleep "${1:-0.5}"
    local e
    for e in "${CONN_CAPS[@]}"; do kill -INT "${e%%:*}" 2>/dev/null || true; done
    for e in "${CONN_CAPS[@]}"; do
        wait_pid "${e%%:*}" 10
        grep -E "packets captured" "${e#*:}" >&2 || true
    done
    # stopped and reaped: no longer for the exit trap to signal
    local keep=() p
    for p in "${SK_PIDS[@]}"; do
        for e in "${CONN_CAPS[@]}"; do [ "$p" = "${e%%:*}" ] && continue 2; done
        keep+=("$p")
    done
    SK_PIDS=("${keep[@]}")
    CONN_CAPS=()
}

# client ARGS... : connapp.py client in the client namespace, bounded
client() { in_ns c timeout 20 python3 "$CAPP" client "$@"; }
# server_bg ARGS... : connapp.py serve in the server namespace, background
server_bg() { bg s timeout 30 python3 "$CAPP" serve "$@"; }

# lines FILE : the capture as tcpdump prints it
lines() { tcpdump -nn -r "$1" 2>/dev/null; }
# count FILE EGREP : how many lines of the capture match
count() { lines "$1" | grep -cE -- "$2" || true; }
# want FILE EGREP N|N+ : die unless exactly N (or at least N) lines match
want() {
    local n; n=$(count "$1" "$2")
    case "$3" in
        *+) [ "$n" -ge "${3%+}" ] || die "$(basename "$1"): $n lines match '$2', want >= ${3%+}" ;;
        *)  [ "$n" -eq "$3" ]     || die "$(basename "$1"): $n lines match '$2', want $3" ;;
    esac
}

# conn_finish : summary lines (packet counts per side); empty captures are
# fine here (a side that saw nothing is the point of some scenarios)
conn_finish() {
    local f
    for f in "$OUT_C" "$OUT_S"; do [ -s "$f" ] || die "$f missing"; done
    mv -f "$OUT_C" "$FINAL_C"; mv -f "$OUT_S" "$FINAL_S"
    for f in "$FINAL_C" "$FINAL_S"; do
        chmod 0644 "$f"
        log "wrote $(basename "$f"): $(lines "$f" | wc -l) packets"
    done
}
