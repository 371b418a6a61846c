#!/bin/bash
# make_all.sh - regenerate every capture of tests/keylog (NAME.pcap,
# NAME.keys, NAME.expect; then dsb.sh: tls13_aes128gcm_dsb.pcapng). Each
# NAME.sh checks its own capture with tshark before moving it in place.
# certs/rsa.pem is NOT remade (certs/make_rsa_cert.sh). Needs root (network
# namespaces), about 1.5 minutes. Each scenario is bounded (timeout 60).
# A scenario that cannot run here (exit 77) is reported and the others go
# on; the exit status is 1 if any failed, else 77 if any was skipped, else 0.
#   make_all.sh [NAME...]     default: every scenario
set -euo pipefail
cd "$(dirname "$0")"
SCENARIOS="tls13_aes128gcm tls13_aes256gcm tls13_chacha20 tls13_curl tls13_gnutls tls13_go
hello_retry resumption_psk key_update untrusted_sclient untrusted_gnutls expired_sclient
expired_accepted cert_required tls12_aead tls12_cbc_etm tls12_cbc_noetm dsb"
[ $# -gt 0 ] && SCENARIOS="$*"
fail=0; skip=0
for s in $SCENARIOS; do
    echo "== $s"
    rc=0
    timeout 60 "./$s.sh" || rc=$?
    if [ "$rc" = 77 ]; then echo "SKIP: $s"; skip=1; continue; fi
    if [ "$rc" != 0 ]; then echo "FAILED: $s (exit $rc)"; fail=1; fi
done
for f in *.pcap *.pcapng; do
    tcpdump -nn -r "$f" >/dev/null 2>&1 || { echo "FAILED: tcpdump -nn -r $f"; fail=1; }
done
[ "$fail" = 0 ] && [ "$skip" = 1 ] && exit 77
exit "$fail"
