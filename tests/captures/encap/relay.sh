#!/bin/bash
# relay.sh [MODE...]: one capture MODE.pcap per encapsulation mode of
# encaprelay.py (all modes when none is given). Real inner traffic, the
# encapsulation written by encaprelay.py:
#   two namespaces a (client) and b (server) joined by a veth underlay u0
#   (02:00:00:00:00:0a <-> 0b, no addresses, IPv6 off: the kernel never sees
#   the tunnel); in each, encaprelay.py MODE creates t0 (TUN or TAP, MTU 1400,
#   PPPoE 1492; TAP MACs 02:00:00:00:01:0a / 0b) and relays it over u0.
#   Inner 192.0.2.1 -> 192.0.2.2 (TLS 4433, closed 4434, dropped 4435; see
#   common.sh), or 2001:db8:1::1 -> 2001:db8:1::2 for the modes carrying
#   IPv6 (gre6, 6in4, 6in6); pppoe, geneve_opt and mpls_mc add a TLS session over the
#   IPv6 inner pair. Captured on a's u0, no filter.
. "$(dirname "$0")/common.sh"
need_root; sk_init; need_tools openssl nft
[ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun"; exit 77; }
ALL="geneve geneve_opt gre gre_key_seq gre_csum gre6 gretap erspan1 erspan2 erspan3 wccp mpls1 mpls2 mpls_pw mpls_mc gre_mpls ipip 6in4 4in6 6in6 pppoe"

run() {
    local m=$1 out="$ENCDIR/$1.pcap" a="a_$1" b="b_$1" h fam mtu=1400
    case $m in gre6|6in4|6in6) fam=6 ;; pppoe|geneve_opt|mpls_mc) fam=46 ;; *) fam=4 ;; esac
    [ "$m" = pppoe ] && mtu=1492
    log "== $m"
    ns_new "$a"; ns_new "$b"
    veth "$a" u0 "$MAC_A" "$b" u0 "$MAC_B" noipv6
    local go="$SK_TMP/go.$m" pids=()
    for h in a b; do
        bg "${h}_$m" timeout 90 python3 "$ENCDIR/encaprelay.py" "$m" "$h" t0 u0 \
            --lifetime 80 --go "$go" --ready "$SK_TMP/ready.$m.$h"
        pids+=("$SK_LAST_PID")
    done
    for h in "$a" "$b"; do
        for i in $(seq 1 50); do in_ns "$h" ip link show t0 >/dev/null 2>&1 && break; sleep 0.1; done
        in_ns "$h" ip link show t0 >/dev/null 2>&1 || die "$m: relay did not create t0 in $h"
        in_ns "$h" sysctl -qw net.ipv6.conf.t0.accept_dad=0 net.ipv6.conf.t0.router_solicitations=0
        [ "$fam" = 4 ] && in_ns "$h" sysctl -qw net.ipv6.conf.t0.disable_ipv6=1
        ip -n "$(ns "$h")" link set t0 mtu $mtu
    done
    if ip -n "$(ns "$a")" -d link show t0 | grep -q 'tap'; then
        ip -n "$(ns "$a")" link set t0 address 02:00:00:00:01:0a
        ip -n "$(ns "$b")" link set t0 address 02:00:00:00:01:0b
    fi
    for h in "$a" "$b"; do offload_off "$h" t0; ip -n "$(ns "$h")" link set t0 up; done
    case $fam in *4*) addr "$a" t0 192.0.2.1/24; addr "$b" t0 192.0.2.2/24 ;; esac
    case $fam in *6*) addr "$a" t0 2001:db8:1::1/64; addr "$b" t0 2001:db8:1::2/64 ;; esac
    settle
    cap_start "$a" u0 "$out"
    touch "$go"
    for i in $(seq 1 100); do [ -e "$SK_TMP/ready.$m.a" ] && [ -e "$SK_TMP/ready.$m.b" ] && break; sleep 0.1; done
    [ -e "$SK_TMP/ready.$m.a" ] || die "$m: tunnel not up within 10 s"
    case $fam in
        4) inner_traffic "$a" "$b" t0 192.0.2.2 ;;
        6) inner_traffic "$a" "$b" t0 2001:db8:1::2 ;;
        46) inner_traffic "$a" "$b" t0 192.0.2.2 2001:db8:1::2 ;;
    esac
    cap_stop
    finish "$out"
    for h in "${pids[@]}"; do kill -TERM "$h" 2>/dev/null || true; done
    for h in "${pids[@]}"; do wait_pid "$h" 5; done
    ip netns del "$(ns "$a")"; ip netns del "$(ns "$b")"
}

for m in ${@:-$ALL}; do
    case " $ALL " in *" $m "*) run "$m" ;; *) die "unknown mode $m (one of: $ALL)" ;; esac
done
