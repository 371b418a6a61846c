#!/bin/sh
# conformance.sh SYNACK: synack print against tcpdump's own lines (see conformance.py).
command -v python3 >/dev/null || { echo "SKIP: python3 is needed for the conformance test"; exit 77; }
exec python3 "$(dirname "$0")/conformance.py" "$1"
