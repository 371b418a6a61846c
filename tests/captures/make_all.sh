#!/bin/bash
# make_all.sh - regenerate every capture in tests/captures, then the tcpdump
# goldens. Needs root (network namespaces). Exits 77 (skip) when it cannot run.
set -euo pipefail
cd "$(dirname "$0")"
SCRIPTS="tls_loopback ipv6 wscale sack rst vlan qinq sll sll2 nano snaplen null raw icmp ip_options_frag hostile"
fail=0
for s in $SCRIPTS; do
    echo "== $s"
    rc=0
    timeout 120 "./$s.sh" || rc=$?
    if [ "$rc" = 77 ]; then echo "SKIP: $s"; exit 77; fi
    if [ "$rc" != 0 ]; then echo "FAILED: $s (exit $rc)"; fail=1; fi
done
[ "$fail" = 0 ] || { echo "some captures failed; goldens not regenerated" >&2; exit 1; }
./bless_tcpdump.sh
./encap/make_all.sh    # tunnel and link-type captures, their own goldens (encap/README.md)
