#!/bin/sh
# demo.sh SYNACK: synack on bundled captures of the classic cases, each made from
# real traffic in network namespaces (tests/conn/*.sh): a completed handshake,
# SYNs with no answer, a reset from the peer, and an ICMP reject by a router;
# then TLS (tests/tls/*.sh): a completed TLS 1.3 handshake, a version mismatch,
# and a large ClientHello that a router drops; then a TLS 1.3 failure that only
# the client's key log explains (tests/keylog/cert_required.sh), without and with it.
synack=$1
conn=$(dirname "$0")/../tests/conn
for c in completed syn_dropped closed_port icmp_admin; do
	echo "== synack -r tests/conn/$c.client.pcap"
	"$synack" -r "$conn/$c.client.pcap"
	echo "(exit status $?)"
	echo
done
echo "== the same attempt seen at both ends: synack_dropped (server side, then client side)"
"$synack" -r "$conn/synack_dropped.server.pcap" | head -n 3
"$synack" -r "$conn/synack_dropped.client.pcap" | head -n 3
echo
tls=$(dirname "$0")/../tests/tls
for c in tls13_ok version_mismatch large_hello_dropped; do
	echo "== synack -r tests/tls/$c.client.pcap"
	"$synack" -r "$tls/$c.client.pcap"
	echo "(exit status $?)"
	echo
done
keys=$(dirname "$0")/../tests/keylog
echo "== synack -r tests/keylog/cert_required.pcap (no keys: the alert is only inferred)"
"$synack" -r "$keys/cert_required.pcap" | head -n 3
echo "== synack --keylog tests/keylog/cert_required.keys -r tests/keylog/cert_required.pcap"
"$synack" --keylog "$keys/cert_required.keys" -r "$keys/cert_required.pcap" | head -n 20
echo
echo "== synack --json -r tests/conn/closed_port.client.pcap"
"$synack" --json -r "$conn/closed_port.client.pcap" | head -c 600
echo " ..."
exit 0
