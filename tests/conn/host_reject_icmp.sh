#!/bin/bash
# host_reject_icmp: the SERVER's own host firewall (nft in the server
# namespace, input hook) rejects the SYN to tcp/5001 with ICMP type 3 code 13
# (administratively prohibited), sent from the server's own address 203.0.113.20.
# A tap sees a packet before its host's firewall acts on it: the server-side
# capture holds the SYN and the server host's ICMP error. Client side: the same
# error, one router further (TTL 63). Expect tcp.icmp_unreachable at both, sent
# by the destination itself; at the server the next step is that host's
# firewall, not a traceroute (issue 12, item 4).
. "$(dirname "$0")/connlib.sh"
need_root; sk_init; need_nft
conn_topo
in_ns s nft -f - <<'NFT'
table ip host {
    chain input {
        type filter hook input priority 0; policy accept;
        tcp dport 5001 counter reject with icmp type admin-prohibited
    }
}
NFT
server_bg "$S4" 5001 --accept-timeout 5
wait_listen s 5001
caps_start
client "$S4" 5001 --outcome unreachable --timeout 3.5
caps_stop
want "$OUT_C" 'Flags \[S\],' 1
want "$OUT_C" "^[0-9:.]+ IP $S4 > 192.0.2.10: ICMP host $S4 unreachable - admin prohibited filter" 1
want "$OUT_S" 'Flags \[S\],' 1
want "$OUT_S" "^[0-9:.]+ IP $S4 > 192.0.2.10: ICMP host $S4 unreachable - admin prohibited filter" 1
conn_finish
