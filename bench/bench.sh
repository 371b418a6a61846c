#!/bin/sh
# Benchmark `synack print` against `tcpdump -nn` on two generated ~2M-packet
# captures (16 and 20,000 client hosts), and check that their lines are identical.
#
# Usage: bench/bench.sh [--strict] [SYNACK [GEN]]
#   SYNACK    the synack binary (default build/synack)
#   GEN       the capture generator built from bench/gen.c (default build/bench-gen)
#   --strict  also exit 1 when synack is not at least 2x faster than tcpdump
# Environment (all optional):
#   BENCH_PACKETS=2000000  packets per capture
#   BENCH_HOSTS="16 20000" client host counts, one capture each (same connection count)
#   BENCH_RUNS=3           best of this many runs per tool and file ...
#   BENCH_BUDGET=30        ... but no new run once a tool has spent this many seconds on a file
#   BENCH_LINES=200000     lines compared per file
#   BENCH_DIR              where the captures go (default: a temp dir, removed at exit)
#   BENCH_TEMPLATE         template capture (default bench/template.pcap)
#   TCPDUMP=tcpdump
# Exit: 0 ok; 1 lines differ (or, with --strict, synack under 2x faster); 2 setup error.
set -eu

strict=0
if [ "${1:-}" = "--strict" ]; then strict=1; shift; fi
synack=${1:-build/synack}
gen=${2:-build/bench-gen}
here=$(cd "$(dirname "$0")" && pwd)
template=${BENCH_TEMPLATE:-$here/template.pcap}
packets=${BENCH_PACKETS:-2000000}
hosts_list=${BENCH_HOSTS:-16 20000}
runs=${BENCH_RUNS:-3}
budget=${BENCH_BUDGET:-30}
nlines=${BENCH_LINES:-200000}
tcpdump=${TCPDUMP:-tcpdump}

die() { echo "bench: $*" >&2; exit 2; }
[ -x "$synack" ] || die "$synack: not an executable (build it first, or pass its path)"
[ -x "$gen" ] || die "$gen: not an executable (cc -O2 bench/gen.c \$(pkg-config --cflags --libs libpcap) -o build/bench-gen)"
[ -r "$template" ] || die "$template: not readable"
command -v "$tcpdump" >/dev/null || die "$tcpdump: not found"
command -v python3 >/dev/null || die "python3: not found"

if [ -n "${BENCH_DIR:-}" ]; then
	dir=$BENCH_DIR
	mkdir -p "$dir"
	# shellcheck disable=SC2317 # called by the trap
	cleanup() { :; }
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/synack-bench.XXXXXX")
	# shellcheck disable=SC2317 # called by the trap
	cleanup() { rm -rf "$dir"; }
fi
trap cleanup EXIT
trap 'exit 130' INT TERM

# timeit FILE: run synack print and tcpdump on FILE alternately, best of $runs
# wall times each (no new run once a tool has spent $budget s on the file);
# peak RSS from wait4(). Appends "file tool runs best_s peak_kb" to $dir/results.
timeit() {
	python3 - "$1" "$runs" "$budget" "$dir/err" "$synack" "$tcpdump" >>"$dir/results" <<'EOF'
import os, subprocess, sys, time
f, runs, budget = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
errf, synack, tcpdump = sys.argv[4:7]
tools = {"synack": [synack, "print", "-r", f], "tcpdump": [tcpdump, "-nn", "-r", f]}
st = {k: {"n": 0, "spent": 0.0, "best": None, "kb": 0} for k in tools}
for i in range(runs):
    for tool, cmd in tools.items():
        s = st[tool]
        if i and s["spent"] >= budget:
            continue
        with open(errf, "w") as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
            _, status, ru = os.wait4(p.pid, 0)
            t = time.perf_counter() - t0
        rc = os.waitstatus_to_exitcode(status)
        if rc != 0 and not (tool == "synack" and rc == 1):
            sys.exit("bench: %s exited %d on %s: %s" % (tool, rc, os.path.basename(f),
                     open(errf, errors="replace").read(300).strip()))
        s["n"] += 1
        s["spent"] += t
        s["kb"] = max(s["kb"], ru.ru_maxrss)
        s["best"] = t if s["best"] is None else min(s["best"], t)
for tool, s in st.items():
    print(os.path.basename(f), tool, s["n"], "%.3f" % s["best"], s["kb"])
EOF
}

# linecheck FILE: compare the first $nlines lines of both tools; print the count
# that differ (tcpdump appends application decodes after ", length N": cut them).
linecheck() {
	TZ=UTC "$synack" print -r "$1" 2>"$dir/err.s" | head -n "$nlines" >"$dir/lines.synack" || true
	TZ=UTC "$tcpdump" -nn -r "$1" 2>/dev/null | head -n "$nlines" |
		sed -E 's/(, length [0-9]+).*/\1/' >"$dir/lines.tcpdump" || true
	if [ ! -s "$dir/lines.synack" ]; then
		echo "  synack printed nothing: $(head -c 300 "$dir/err.s")" >&2
	fi
	python3 - "$dir/lines.synack" "$dir/lines.tcpdump" <<'EOF'
import sys
a = open(sys.argv[1], errors="replace").read().splitlines()
b = open(sys.argv[2], errors="replace").read().splitlines()
bad = [i for i in range(max(len(a), len(b)))
       if i >= len(a) or i >= len(b) or a[i] != b[i]]
for i in bad[:3]:
    print("  line %d:\n    synack:  %s\n    tcpdump: %s" % (i + 1,
          a[i] if i < len(a) else "<missing>", b[i] if i < len(b) else "<missing>"),
          file=sys.stderr)
print(len(bad))
EOF
}

echo "synack bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"
echo "  $("$tcpdump" --version 2>&1 | head -1), $("$tcpdump" --version 2>&1 | grep -i libpcap | head -1)"
echo "  synack: $synack    generator: $gen    template: $template"
echo

: >"$dir/results"
: >"$dir/packets"
diffs_total=0
for h in $hosts_list; do
	f="$dir/bench-$h-hosts.pcap"
	t0=$(date +%s.%N)
	"$gen" -t "$template" -o "$f" -P "$packets" -H "$h" 2>"$dir/gen.err" ||
		die "generator failed: $(cat "$dir/gen.err")"
	t1=$(date +%s.%N)
	np=$(sed -n 's/^[^:]*: \([0-9]*\) packets.*/\1/p' "$dir/gen.err")
	[ -n "$np" ] || die "cannot read the packet count from: $(cat "$dir/gen.err")"
	echo "$(basename "$f") $np" >>"$dir/packets"
	printf 'generated %s: %s packets, %s MB, in %.1f s\n' "$(basename "$f")" "$np" \
		"$(($(wc -c <"$f") / 1000000))" "$(python3 -c "print($t1 - $t0)")"

	d=$(linecheck "$f")
	echo "  first $nlines lines: $d differ between synack print and tcpdump -nn"
	diffs_total=$((diffs_total + d))

	timeit "$f" || exit 2
	[ -n "${BENCH_DIR:-}" ] || rm -f "$f"      # keep one capture at a time in the temp dir
done
echo

speed=0
# shellcheck disable=SC2086 # one argument per host count
python3 - "$dir/results" "$dir/packets" $hosts_list <<'EOF' || speed=$?
import sys
res = [l.split() for l in open(sys.argv[1])]
pk = dict(l.split() for l in open(sys.argv[2]))
hosts = sys.argv[3:]
t = {}
print("%-24s %9s  %-8s %4s %8s %11s %8s" % ("file", "packets", "tool", "runs", "seconds", "packets/s", "peak MB"))
for f, tool, n, s, kb in res:
    s = float(s)
    t[(f, tool)] = s
    print("%-24s %9s  %-8s %4s %8.3f %11.0f %8.1f" % (f, pk[f], tool, n, s, int(pk[f]) / s, int(kb) / 1024))
print()
slow = 0
files = ["bench-%s-hosts.pcap" % h for h in hosts]
for f in files:
    r = t[(f, "tcpdump")] / t[(f, "synack")]
    slow += r < 2
    print("%-24s tcpdump/synack time: %6.2fx  %s" % (f, r, "ok (>= 2x)" if r >= 2 else "FAIL (synack under 2x faster)"))
if len(files) >= 2:
    a, b = files[0], files[-1]
    for tool in ("synack", "tcpdump"):
        print("%-8s time %s / %s: %6.2fx" % (tool, b, a, t[(b, tool)] / t[(a, tool)]))
sys.exit(3 if slow else 0)
EOF
echo
status=0
if [ "$diffs_total" -ne 0 ]; then
	echo "bench: FAIL: $diffs_total lines differ between synack print and tcpdump -nn"
	status=1
fi
if [ "$speed" -eq 3 ]; then
	if [ "$strict" -eq 1 ]; then
		echo "bench: FAIL: synack print is not 2x faster than tcpdump -nn (--strict)"
		status=1
	else
		echo "bench: speed FAIL reported above; not fatal without --strict"
	fi
elif [ "$speed" -ne 0 ]; then
	die "summary failed"
fi
[ "$status" -ne 0 ] || echo "bench: ok"
exit "$status"
