#!/bin/sh
# demo.sh SYNACK: synack on bundled captures of the classic cases, each made from
# real traffic in network namespaces (tests/conn/*.sh): a completed handshake,
# SYNs with no answer, a reset from the peer, and an ICMP reject by a router;
# then TLS (tests/tls/*.sh): a completed TLS 1.3 handshake, a version mismatch,
# and a large ClientHello that a router drops.
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
echo "== synack --json -r tests/conn/closed_port.client.pcap"
"$synack" --json -r "$conn/closed_port.client.pcap" | head -c 600
echo " ..."
exit 0
