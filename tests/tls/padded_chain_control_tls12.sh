#!/bin/bash
# padded_chain_control_tls12: the control of padded_chain_tls12: the same bad
# certificate (self-signed, not valid before 2099, named leaf.example.test)
# with a chain padded to about 41 KB (three padding certificates), well
# within what synack always held. Expect what padded_chain_tls12 expects:
# tls.established, the three problems among the certificate findings.
export CONN_NAME=padded_chain_control_tls12 PADS=3 MIN=30000 MAX=65535
exec "$(dirname "$0")/padded_chain_tls12.sh" "$@"
