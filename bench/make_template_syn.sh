#!/bin/sh
# Record bench/template_syn.pcap: one real SYN that is never answered. A client
# (curl, 192.0.2.1) connects to 203.0.113.20:443; the server's namespace has an
# nftables rule that drops every SYN to that port, so the client only retries.
# The capture is on the client's veth and keeps the first packet (tcpdump -c 1):
# the client's first SYN. The flood part of bench.sh replicates it.
#
# Usage: bench/make_template_syn.sh [OUT.pcap]   (root; needs ip, ethtool, nft, tcpdump, curl)
set -eu

out=${1:-$(dirname "$0")/template_syn.pcap}
cli_ip=192.0.2.1 srv_ip=203.0.113.20 port=443
TL_NAME=make_template_syn
. "$(dirname "$0")/template_lib.sh"

tl_topology

# The server host answers ARP but drops every SYN to the port before TCP sees
# it (no RST, no SYN-ACK). The client's tap sees the SYN leave either way.
ip netns exec "$ns_s" nft -f - <<EOF || die "nft failed"
table inet synack_bench {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport $port tcp flags & (syn|ack) == syn counter drop
	}
}
EOF

ip netns exec "$ns_c" timeout 10 tcpdump -i vc --immediate-mode -U -n -c 1 \
	-w "$tmp/t.pcap" "tcp port $port" >"$tmp/tcpdump.log" 2>&1 &
dump_pid=$!
wait_for "$tmp/tcpdump.log" "listening on" 5 || die "tcpdump did not start: $(cat "$tmp/tcpdump.log")"

# curl gives up after 2 s (the kernel retries the SYN meanwhile; only the first is kept).
ip netns exec "$ns_c" timeout 5 curl -sk --connect-timeout 2 "https://$srv_ip:$port/" \
	>/dev/null 2>"$tmp/client.err" &
cli_pid=$!

# tcpdump -c 1 exits on its own after the first SYN.
i=0
while kill -0 "$dump_pid" 2>/dev/null; do
	i=$((i + 1)); [ "$i" -gt 50 ] && die "tcpdump saw no SYN"; sleep 0.1
done
wait "$dump_pid" || die "tcpdump failed: $(cat "$tmp/tcpdump.log")"
dump_pid=
rc=0
wait "$cli_pid" || rc=$?
cli_pid=
[ "$rc" -ne 0 ] || die "curl connected: the SYNs were not dropped"
drops=$(ip netns exec "$ns_s" nft list chain inet synack_bench input | sed -n 's/.*packets \([0-9]*\).*/\1/p')
[ "${drops:-0}" -ge 1 ] || die "the nft rule dropped nothing"

n_syn=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' 2>/dev/null | wc -l)
n_all=$(tcpdump -nn -r "$tmp/t.pcap" 2>/dev/null | wc -l)
[ "$n_syn" -eq 1 ] && [ "$n_all" -eq 1 ] || die "expected one SYN, got $n_all packets ($n_syn SYNs)"

cp "$tmp/t.pcap" "$out"
echo "make_template_syn: wrote $out ($(wc -c <"$out") bytes; the server dropped $drops SYNs)"
tcpdump -nn -r "$out" 2>/dev/null
