#!/bin/bash
# vxlan.pcap, vxlan6.pcap: fully real VXLAN (RFC 7348). Two namespaces
# joined by a veth underlay; in each a kernel vxlan device (VNI 42, UDP
# port 4789, remote = the peer's underlay address) holds the inner
# addresses. Inner Ethernet, ARP/ND and TCP/TLS are the kernel's own.
#   vxlan.pcap : outer 203.0.113.1 <-> 203.0.113.2; inner 192.0.2.1 ->
#                192.0.2.2 (TLS 4433, closed 4434, dropped 4435) and TLS
#                over IPv6 inner 2001:db8:1::1 -> [2001:db8:1::2]:4433
#   vxlan6.pcap: outer 2001:db8:ff::1 <-> ::2; inner IPv4 as above
# Captured on the client's underlay veth (u0), no filter.
. "$(dirname "$0")/common.sh"
need_root; sk_init; need_tools openssl nft

# run OUTER(4|6) OUT : one capture
run() {
    local v=$1 out=$2 a=a$1 b=b$1 la lb
    ns_new "$a"; ns_new "$b"
    if [ "$v" = 4 ]; then
        veth "$a" u0 "$MAC_A" "$b" u0 "$MAC_B" noipv6
        la=203.0.113.1; lb=203.0.113.2
        addr "$a" u0 $la/24; addr "$b" u0 $lb/24
    else
        veth "$a" u0 "$MAC_A" "$b" u0 "$MAC_B"
        la=2001:db8:ff::1; lb=2001:db8:ff::2
        addr "$a" u0 $la/64; addr "$b" u0 $lb/64
    fi
    neigh "$a" u0 $lb "$MAC_B"; neigh "$b" u0 $la "$MAC_A"
    local h l r m
    for h in "$a" "$b"; do
        if [ "$h" = "$a" ]; then l=$la r=$lb m=02:00:00:00:01:0a; else l=$lb r=$la m=02:00:00:00:01:0b; fi
        ip -n "$(ns "$h")" link add vx0 address $m type vxlan id 42 dstport 4789 \
            local $l remote $r dev u0
        in_ns "$h" sysctl -qw net.ipv6.conf.vx0.accept_dad=0 net.ipv6.conf.vx0.router_solicitations=0
        [ "$v" = 6 ] && in_ns "$h" sysctl -qw net.ipv6.conf.vx0.disable_ipv6=1
        offload_off "$h" vx0
        ip -n "$(ns "$h")" link set vx0 up
    done
    addr "$a" vx0 192.0.2.1/24; addr "$b" vx0 192.0.2.2/24
    if [ "$v" = 4 ]; then addr "$a" vx0 2001:db8:1::1/64; addr "$b" vx0 2001:db8:1::2/64; fi
    settle
    cap_start "$a" u0 "$out"
    if [ "$v" = 4 ]; then
        inner_traffic "$a" "$b" vx0 192.0.2.2 2001:db8:1::2
    else
        inner_traffic "$a" "$b" vx0 192.0.2.2
    fi
    cap_stop
    finish "$out"
}

case "${1:-all}" in
    4) run 4 "$ENCDIR/vxlan.pcap" ;;
    6) run 6 "$ENCDIR/vxlan6.pcap" ;;
    all) run 4 "$ENCDIR/vxlan.pcap"; run 6 "$ENCDIR/vxlan6.pcap" ;;
    *) die "usage: $0 [4|6|all]" ;;
esac
