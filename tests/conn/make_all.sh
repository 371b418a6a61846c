#!/bin/bash
# make_all.sh - regenerate every capture pair in tests/conn (NAME.client.pcap,
# NAME.server.pcap), then check them against the NAME.expect files.
# Needs root (network namespaces). Exits 77 (skip) when it cannot run.
#   make_all.sh [NAME...]     default: every scenario
set -euo pipefail
cd "$(dirname "$0")"
SCENARIOS="completed completed6 syn_dropped syn_dropped6 closed_port closed_port6
reject_rst icmp_admin icmp_port icmp_host icmp6_admin icmp6_port icmp6_host host_reject_icmp
synack_dropped midstream port_reuse port_reuse_tw reset_after_handshake
reset_after_data bad_synack"
[ $# -gt 0 ] && SCENARIOS="$*"
fail=0
for s in $SCENARIOS; do
    echo "== $s"
    rc=0
    timeout 60 "./$s.sh" || rc=$?
    if [ "$rc" = 77 ]; then echo "SKIP: $s"; exit 77; fi
    if [ "$rc" != 0 ]; then echo "FAILED: $s (exit $rc)"; fail=1; fi
done
# shellcheck disable=SC2086
./check_expect.sh $SCENARIOS || fail=1
exit "$fail"
