#!/bin/bash
# icmp.pcap: ICMP and ICMPv6 errors answering TCP SYNs (and UDP), seen at the
# client. Client a (192.0.2.1, 2001:db8:1::1) - router r - server b
# (198.51.100.1, 2001:db8:2::1). nftables in the router rejects forwarded
# SYNs by destination port:
#   81 -> ICMP admin-prohibited (type 3 code 13) / ICMPv6 admin-prohibited (1/1)
#   82 -> ICMP host-unreachable (3/1)             / ICMPv6 addr-unreachable (1/3)
#   83 -> ICMP port-unreachable (3/3)             / ICMPv6 port-unreachable (1/4)
#   84 -> ICMP net-unreachable (3/0)              / ICMPv6 no-route (1/0)
#   85 -> TCP RST from the router (reject with tcp reset)
# then one UDP datagram (v4 and v6) to closed port 9999 on b: the HOST
# answers ICMP port unreachable itself. The client tries each v4 port, then
# each v6 port, one connect each (Linux aborts SYN_SENT on these errors).
. "$(dirname "$0")/lib.sh"
need_root; sk_init
command -v nft >/dev/null || { echo "SKIP: nft not installed"; exit 77; }
OUT="$CAPDIR/icmp.pcap"
routed
in_ns r nft -f - <<'NFT'
table inet skreject {
    chain forward {
        type filter hook forward priority 0; policy accept;
        meta nfproto ipv4 tcp dport 81 reject with icmp type admin-prohibited
        meta nfproto ipv4 tcp dport 82 reject with icmp type host-unreachable
        meta nfproto ipv4 tcp dport 83 reject with icmp type port-unreachable
        meta nfproto ipv4 tcp dport 84 reject with icmp type net-unreachable
        meta nfproto ipv6 tcp dport 81 reject with icmpv6 type admin-prohibited
        meta nfproto ipv6 tcp dport 82 reject with icmpv6 type addr-unreachable
        meta nfproto ipv6 tcp dport 83 reject with icmpv6 type port-unreachable
        meta nfproto ipv6 tcp dport 84 reject with icmpv6 type no-route
        tcp dport 85 reject with tcp reset
    }
}
NFT
# ICMPv6 errors only (types < 128): no MLD/ND noise
cap_start a a0 "$OUT" -- 'tcp or udp or icmp or (icmp6 and ip6[40] < 128)'
for dst in 198.51.100.1 2001:db8:2::1; do
    for port in 81 82 83 84 85; do
        app a client "$dst" "$port" --refused
        sleep 0.1
    done
    app a udpsend "$dst" 9999 --size 64
    sleep 0.1
done
cap_stop
finish "$OUT"
