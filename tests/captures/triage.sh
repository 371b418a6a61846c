#!/bin/bash
# triage.sh BENCH_GEN: tests/captures/triage.pcap, BUILT (not captured at once): 36 connections
# to one server address on three ports, copied by bench-gen from real captures of this repository
# (each copy a rewritten client address and port, its ISNs shifted), so that the triage table has
# several failure classes and groups larger than the default 3 examples:
#   tls/tls13_ok          x12  tls.established   443  SNI localhost
#   tls/version_mismatch  x5   tls.alert         443  (protocol_version)
#   tls/sni_unknown       x4   tls.alert         443  another SNI: another group
#   tls/untrusted_cert_tls13 x1 tls.client_rejected_server
#   conn/closed_port      x8   tcp.refused       5002
#   conn/syn_dropped      x6   tcp.no_answer     5001
# Each class from its own client hosts (198.51.100.0/24), started 10 ms apart; merged in time order.
set -euo pipefail
gen=${1:?usage: triage.sh BENCH_GEN}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while read -r tpl n hosts; do
    i=$((i + 1))
    "$gen" -t "$here/../$tpl" -o "$tmp/$i.pcap" -n "$n" -H "$hosts" -g 10000000 -T $((1700000000 + i)) >/dev/null 2>&1
done <<'LIST'
tls/tls13_ok.client.pcap 12 3
tls/version_mismatch.client.pcap 5 5
tls/sni_unknown.client.pcap 4 2
tls/untrusted_cert_tls13.client.pcap 1 1
conn/closed_port.client.pcap 8 4
conn/syn_dropped.client.pcap 6 6
LIST
mergecap -F pcap -w "$here/triage.pcap" "$tmp"/*.pcap
echo "wrote $here/triage.pcap"
