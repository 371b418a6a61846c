#!/bin/bash
# make_all.sh - regenerate every capture pair in tests/tls (NAME.client.pcap,
# NAME.server.pcap, and NAME.keylog where the client logged keys). Each
# NAME.sh checks its own captures (tcpdump/tshark) before moving them in
# place. The certificates in certs/ are NOT remade (certs/make_certs.sh).
# Needs root (network namespaces). A scenario that cannot run here (exit 77,
# e.g. gnutls-cli missing) is reported and the others go on; the exit status
# is 1 if any failed, else 77 if any was skipped, else 0.
#   make_all.sh [NAME...]     default: every scenario
set -euo pipefail
cd "$(dirname "$0")"
SCENARIOS="tls13_ok tls12_ok version_mismatch no_common_cipher http_on_tls_port
plaintext_client close_after_hello reset_after_hello no_answer_tls
expired_cert_tls12 untrusted_cert_tls13 untrusted_cert_tls13_plainalert
hello_retry large_hello_dropped cert_required_tls12 cert_required_tls13 sni_unknown
padded_chain_tls12 padded_chain_control_tls12 no_client_hello injected_reset
expired_accepted_tls12 alpn_mismatch
reject_gnutls_expired_tls13 reject_gnutls_untrusted_tls12 reject_gnutls_expired_tls12
reject_java_untrusted_tls13 reject_java_expired_tls13 reject_java_untrusted_tls12 reject_java_expired_tls12
reject_go_untrusted_tls13 reject_go_expired_tls13 reject_go_untrusted_tls12 reject_go_expired_tls12
reject_python_untrusted_tls13 reject_python_expired_tls13 reject_python_untrusted_tls12 reject_python_expired_tls12
reject_sclient_untrusted_tls13 reject_sclient_expired_tls13 reject_sclient_untrusted_tls12
reject_curl_expired_tls13 reject_curl_untrusted_tls12 reject_curl_expired_tls12
certreq_gnutls_tls13 certreq_go_tls13 certreq_java_tls13 warning_unrecognized_name_tls12"
[ $# -gt 0 ] && SCENARIOS="$*"
fail=0; skip=0
for s in $SCENARIOS; do
    echo "== $s"
    rc=0
    timeout 60 "./$s.sh" || rc=$?
    if [ "$rc" = 77 ]; then echo "SKIP: $s"; skip=1; continue; fi
    if [ "$rc" != 0 ]; then echo "FAILED: $s (exit $rc)"; fail=1; fi
done
for s in $SCENARIOS; do
    for f in "$s.client.pcap" "$s.server.pcap"; do
        tcpdump -nn -r "$f" >/dev/null 2>&1 || { echo "FAILED: tcpdump -nn -r $f"; fail=1; }
    done
done
[ "$fail" = 0 ] && [ "$skip" = 1 ] && exit 77
exit "$fail"
