#!/bin/bash
# bless_tcpdump.sh - regenerate the tcpdump goldens of every capture here:
#   F.tcpdump    = TZ=UTC tcpdump -nn    -r F
#   F.tcpdump-S  = TZ=UTC tcpdump -nn -S -r F
# Nanosecond captures (classic pcap with magic a1b23c4d, or pcapng whose
# interface says if_tsresol 9, as reported by capinfos) are printed with
# --time-stamp-precision=nano. Only stdout goes in the files (tcpdump's
# "reading from file" line is on stderr). The goldens are tcpdump 4.99.x
# output; warn if another version is installed.
set -euo pipefail
cd "$(dirname "$0")"
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump not installed"; exit 77; }
ver=$(tcpdump --version 2>&1 | sed -n 's/^tcpdump version //p')
case "$ver" in 4.99.*) ;; *) echo "warning: tcpdump $ver, goldens were made with 4.99.3" >&2 ;; esac

is_nano() {
    local f=$1 magic
    magic=$(head -c4 "$f" | od -An -tx1 | tr -d ' \n')
    case "$magic" in
        4d3cb2a1|a1b23c4d) return 0 ;;          # classic pcap, nanoseconds
        d4c3b2a1|a1b2c3d4) return 1 ;;          # classic pcap, microseconds
        0a0d0d0a)                               # pcapng: ask capinfos
            command -v capinfos >/dev/null || { echo "capinfos needed for $f" >&2; exit 1; }
            capinfos -M "$f" 2>/dev/null | grep -c 'nanoseconds' >/dev/null ;;
        *) echo "$f: unknown capture format" >&2; exit 1 ;;
    esac
}

shopt -s nullglob
n=0
for f in *.pcap *.pcapng; do
    prec=()
    is_nano "$f" && prec=(--time-stamp-precision=nano)
    TZ=UTC tcpdump -nn "${prec[@]}" -r "$f" >"$f.tcpdump" 2>/dev/null
    TZ=UTC tcpdump -nn -S "${prec[@]}" -r "$f" >"$f.tcpdump-S" 2>/dev/null
    printf '%-24s %5d lines%s\n' "$f" "$(wc -l <"$f.tcpdump")" "${prec:+ (nano)}"
    n=$((n + 1))
done
echo "blessed $n captures with tcpdump $ver"
