#!/bin/bash
# bless.sh - regenerate the tcpdump goldens of the captures in this folder:
#   F.tcpdump    = TZ=UTC tcpdump -nn    -r F
#   F.tcpdump-S  = TZ=UTC tcpdump -nn -S -r F
#   F.tcpdump-e  = TZ=UTC tcpdump -nn -e -r F
# Only stdout goes in the files. All captures here are classic pcap with
# microsecond timestamps. Goldens were made with tcpdump 4.99.3.
# bless.sh [F...] blesses only the files given.
set -euo pipefail
cd "$(dirname "$0")"
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump not installed"; exit 77; }
ver=$(tcpdump --version 2>&1 | sed -n 's/^tcpdump version //p')
case "$ver" in 4.99.*) ;; *) echo "warning: tcpdump $ver, goldens were made with 4.99.3" >&2 ;; esac
shopt -s nullglob
files=("$@"); [ ${#files[@]} -gt 0 ] || files=(*.pcap)
for f in "${files[@]}"; do
    f=$(basename "$f")
    TZ=UTC tcpdump -nn    -r "$f" >"$f.tcpdump"   2>/dev/null
    TZ=UTC tcpdump -nn -S -r "$f" >"$f.tcpdump-S" 2>/dev/null
    TZ=UTC tcpdump -nn -e -r "$f" >"$f.tcpdump-e" 2>/dev/null
    printf '%-28s %5d lines\n' "$f" "$(wc -l <"$f.tcpdump")"
done
echo "blessed ${#files[@]} captures with tcpdump $ver"
