#!/bin/sh
# demo.sh SYNACK: show what synack does on the bundled sample captures.
set -e
synack=$1
caps=$(dirname "$0")/../tests/captures
for c in tls_loopback rst icmp; do
	echo "== synack print -r tests/captures/$c.pcap"
	"$synack" print -r "$caps/$c.pcap"
	echo
done
