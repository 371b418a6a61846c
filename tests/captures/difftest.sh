#!/bin/bash
# difftest.sh - differential test of `synack print` against tcpdump on hostile packets.
#   difftest.sh SYNACK_BINARY [N [SEED]]
# Makes N (default 20000) mutated TCP packets with mutate.py (seed SEED,
# default 1) from the captures here, into a temp dir, one file per link type.
# Runs `TZ=UTC tcpdump -nn [-S] -r F` and `synack print [-S] -r F` on each and
# compares, line by line, every line on which tcpdump's TCP printer ran: it
# has " Flags [", or " [bad hdr length ", or ends in " [|tcp]". Both lines
# are cut after the first ", length N" (tcpdump decodes the payload after
# it). Prints the differing pairs (at most 20 per file and mode) and exits 1
# if any differ or the line counts differ; 0 otherwise; 77 without tcpdump.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: difftest.sh SYNACK_BINARY [N [SEED]]" >&2; exit 2; }
synack=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
n=${2:-20000}
seed=${3:-1}
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump not installed"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/mutate.py" --seed "$seed" --count "$n" --outdir "$tmp" --prefix m \
	$(ls "$here"/*.pcap | grep -v /hostile) 2>"$tmp/mutate.log" || { cat "$tmp/mutate.log" >&2; exit 2; }

status=0
for f in "$tmp"/m*.pcap; do
	for mode in "" -S; do
		TZ=UTC tcpdump -nn $mode -r "$f" >"$f.td$mode" 2>/dev/null || true
		TZ=UTC "$synack" print $mode -r "$f" >"$f.sy$mode" 2>/dev/null || true
		python3 - "$f.td$mode" "$f.sy$mode" "$(basename "$f") ${mode:-rel}" <<'EOF' || status=1
import re, sys
td = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
sy = open(sys.argv[2], encoding="utf-8", errors="replace").read().splitlines()
name = sys.argv[3]
cut = re.compile(r", length \d+")

def is_tcp(line):
    return " Flags [" in line or " [bad hdr length " in line or line.endswith(" [|tcp]")

def clip(line):
    m = cut.search(line)
    return line[:m.end()] if m else line

bad = ntcp = 0
for i, (a, b) in enumerate(zip(td, sy)):
    if not (is_tcp(a) or is_tcp(b)):
        continue
    ntcp += 1
    if clip(a) != clip(b):
        bad += 1
        if bad <= 20:
            print(f"{name} line {i + 1}:\n  tcpdump: {clip(a)}\n  synack:  {clip(b)}")
if len(td) != len(sy):
    print(f"{name}: tcpdump printed {len(td)} lines, synack {len(sy)}")
    bad += 1
print(f"{name}: {len(td)} lines, {ntcp} TCP lines compared, {bad} differ")
sys.exit(1 if bad else 0)
EOF
	done
done
exit $status
