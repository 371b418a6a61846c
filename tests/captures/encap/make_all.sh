#!/bin/bash
# make_all.sh - regenerate every capture in tests/captures/encap, then their
# tcpdump goldens (bless.sh). Needs root (network namespaces); exits 77
# (skip) when it cannot run. About 4 minutes, mostly idle waits.
set -euo pipefail
cd "$(dirname "$0")"
fail=0
for s in vxlan plain relay; do
    echo "== $s"
    rc=0
    timeout 600 "./$s.sh" || rc=$?
    if [ "$rc" = 77 ]; then echo "SKIP: $s"; exit 77; fi
    if [ "$rc" != 0 ]; then echo "FAILED: $s (exit $rc)"; fail=1; fi
done
[ "$fail" = 0 ] || { echo "some captures failed; goldens not regenerated" >&2; exit 1; }
echo "== relink_types (built from plain.pcap)"
python3 ./relink_types.py all . plain.pcap
./bless.sh
