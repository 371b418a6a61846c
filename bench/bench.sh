#!/bin/sh
# Benchmark synack on generated captures:
#  1. print:    `synack print` against `tcpdump -nn` on two ~2M-packet captures
#               (16 and 20,000 client hosts); checks that their lines are identical;
#  2. analysis: `synack --json` against `tshark -q -z conv,tcp` and `tcpdump -nn` on
#               captures of 20,000 and 200,000 connections, each with 16 and 20,000
#               client hosts, at the same concurrency; checks the verdict summary and
#               the targets (>= 5M packets/s; time and memory flat in hosts; memory
#               flat in file length).
#
# Usage: bench/bench.sh [--strict] [SYNACK [GEN]]
#   SYNACK    the synack binary (default build/synack)
#   GEN       the capture generator built from bench/gen.c (default build/bench-gen)
#   --strict  also exit 1 when a speed or memory target is missed
# Environment (all optional):
#   BENCH_PRINT=1          0: skip the print part
#   BENCH_PACKETS=2000000  print part: packets per capture
#   BENCH_HOSTS="16 20000" client host counts, one capture each (both parts)
#   BENCH_RUNS=3           best of this many runs per tool and file ...
#   BENCH_BUDGET=30        ... but no new run once a tool has spent this many seconds on a file
#   BENCH_LINES=200000     print part: lines compared per file
#   BENCH_ANALYSIS=1       0: skip the analysis part
#   BENCH_CONNS="20000 200000"  analysis part: connections per capture (smallest first)
#   BENCH_SYNACK_RUNS=5    analysis part: best of this many runs of synack --json (cheap)
#   BENCH_CONCURRENCY=1000 analysis part: connections in flight (bench-gen -k), same for all
#   BENCH_TSHARK_MAX=60    skip tshark on a file when its predicted time exceeds this many
#                          seconds (never on the smallest connection count)
#   BENCH_TARGET_PPS=5000000  analysis target, packets/s of `synack --json` on one core
#   BENCH_DIR              where the captures go (default: a temp dir, removed at exit)
#   BENCH_TEMPLATE         template capture (default bench/template.pcap)
#   TCPDUMP=tcpdump  TSHARK=tshark
# Exit: 0 ok; 1 lines differ or a verdict summary is wrong (or, with --strict, a
# speed/memory target missed); 2 setup error.
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
tshark=${TSHARK:-tshark}
do_print=${BENCH_PRINT:-1}
do_analysis=${BENCH_ANALYSIS:-1}
conns_list=$(echo "${BENCH_CONNS:-20000 200000}" | tr ' ' '\n' | sort -n | tr '\n' ' ')
concurrency=${BENCH_CONCURRENCY:-1000}
sruns=${BENCH_SYNACK_RUNS:-5}
tshark_max=${BENCH_TSHARK_MAX:-60}
target_pps=${BENCH_TARGET_PPS:-5000000}

die() { echo "bench: $*" >&2; exit 2; }
[ -x "$synack" ] || die "$synack: not an executable (build it first, or pass its path)"
[ -x "$gen" ] || die "$gen: not an executable (cc -O2 bench/gen.c \$(pkg-config --cflags --libs libpcap) -o build/bench-gen)"
[ -r "$template" ] || die "$template: not readable"
command -v "$tcpdump" >/dev/null || die "$tcpdump: not found"
command -v python3 >/dev/null || die "python3: not found"
if [ "$do_analysis" != 0 ]; then
	command -v "$tshark" >/dev/null || die "$tshark: not found (TSHARK=..., or BENCH_ANALYSIS=0)"
fi

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

# atime FILE HOSTS CONNS PACKETS: the analysis timings on one capture. A check
# run of `synack --json` first (exit status, NDJSON line count and the summary
# object; it also warms the page cache), then rounds of synack --json, tshark
# (one run only) and tcpdump: best of $sruns wall times for synack, of $runs
# for tcpdump ($budget rule for both). tshark is skipped when its time predicted from the smallest
# capture with the same hosts (x packets ratio x 1.5, it grows faster than
# linearly) exceeds $tshark_max s, or its predicted memory exceeds half of
# MemAvailable. Appends "file hosts conns packets tool runs best_s peak_kb cpu_s"
# (or "... tool skipped predicted_s why") to $dir/aresults and
# "file ok|bad why" to $dir/achecks.
atime() {
	python3 - "$1" "$2" "$3" "$4" "$runs $sruns" "$budget" "$tshark_max" "$dir" \
		"$synack" "$tshark" "$tcpdump" <<'EOF'
import json, os, subprocess, sys, time
f, hosts, conns, npk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
(runs, sruns), budget, tmax = map(int, sys.argv[5].split()), float(sys.argv[6]), float(sys.argv[7])
d, synack, tshark, tcpdump = sys.argv[8:12]
name = os.path.basename(f)
errf = os.path.join(d, "err")

def errtext():
    return open(errf, errors="replace").read(300).strip()

# Check run: stream the NDJSON, count lines, keep the last one.
with open(errf, "w") as err:
    p = subprocess.Popen([synack, "--json", "-r", f], stdout=subprocess.PIPE, stderr=err)
    nl, tail = 0, b""
    while True:
        b = p.stdout.read(1 << 20)
        if not b:
            break
        nl += b.count(b"\n")
        tail = (tail + b)[-65536:]
    rc = p.wait()
why = []
try:
    summ = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])
except ValueError:
    summ = {}
    why.append("last line is not JSON")
if rc != 0:
    why.append("exit status %d (expected 0: every handshake healthy)%s" %
               (rc, ": " + errtext() if errtext() else ""))
if summ:
    if summ.get("type") != "summary":
        why.append("last line is not the summary")
    if summ.get("connections") != conns:
        why.append("connections %s, generated %d" % (summ.get("connections"), conns))
    if summ.get("packets") != npk:
        why.append("packets %s, generated %d" % (summ.get("packets"), npk))
    if summ.get("ok") != conns or summ.get("failed") != 0:
        why.append("ok %s failed %s" % (summ.get("ok"), summ.get("failed")))
    if summ.get("by_code") != {"tcp.completed": conns}:
        why.append("by_code %s" % json.dumps(summ.get("by_code"), separators=(",", ":")))
if nl != conns + 1:
    why.append("%d NDJSON lines, expected %d" % (nl, conns + 1))
with open(os.path.join(d, "achecks"), "a") as out:
    out.write("%s %s %s\n" % (name, "bad" if why else "ok", "; ".join(why) or "-"))
print("  check: %s" % ("ok: " + json.dumps(summ, separators=(",", ":")) if not why
                        else "FAIL: " + "; ".join(why)))

# Prediction for tshark from the smallest capture with the same host count.
res = os.path.join(d, "aresults")
skip = None
base = [l.split() for l in open(res)]
base = [r for r in base if r[4] == "tshark" and r[5] != "skipped" and int(r[1]) == hosts]
if base:
    b = min(base, key=lambda r: int(r[3]))
    scale = npk / int(b[3])
    pred_s, pred_kb = float(b[6]) * scale * 1.5, int(b[7]) * scale
    avail = 0
    for l in open("/proc/meminfo"):
        if l.startswith("MemAvailable:"):
            avail = int(l.split()[1])
    if scale > 1.01 and pred_s > tmax:
        skip = "%.0f time>%gs" % (pred_s, tmax)
    elif scale > 1.01 and avail and pred_kb > avail / 2:
        skip = "%.0f memory:%.0fMB>MemAvailable/2" % (pred_s, pred_kb / 1024)

tools = {"synack": ([synack, "--json", "-r", f], sruns),
         "tshark": ([tshark, "-r", f, "-q", "-z", "conv,tcp"], 1),
         "tcpdump": ([tcpdump, "-nn", "-r", f], runs)}
if skip:
    del tools["tshark"]
st = {k: {"n": 0, "spent": 0.0, "best": None, "kb": 0, "cpu": None} for k in tools}
for i in range(max(runs, sruns)):
    for tool, (cmd, maxn) in tools.items():
        s = st[tool]
        if s["n"] >= maxn or (i and s["spent"] >= budget):
            continue
        with open(errf, "w") as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
            _, status, ru = os.wait4(p.pid, 0)
            t = time.perf_counter() - t0
        rc = os.waitstatus_to_exitcode(status)
        if rc != 0 and not (tool == "synack" and rc == 1):
            sys.exit("bench: %s exited %d on %s: %s" % (tool, rc, name, errtext()))
        s["n"] += 1
        s["spent"] += t
        s["kb"] = max(s["kb"], ru.ru_maxrss)
        if s["best"] is None or t < s["best"]:
            s["best"], s["cpu"] = t, ru.ru_utime + ru.ru_stime
with open(res, "a") as out:
    for tool in ("synack", "tshark", "tcpdump"):
        if tool in st:
            s = st[tool]
            out.write("%s %d %d %d %s %d %.3f %d %.3f\n" % (name, hosts, conns, npk, tool,
                      s["n"], s["best"], s["kb"], s["cpu"]))
        else:
            out.write("%s %d %d %d %s skipped %s\n" % (name, hosts, conns, npk, tool, skip))
EOF
}

echo "synack bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"
echo "  $("$tcpdump" --version 2>&1 | head -1), $("$tcpdump" --version 2>&1 | grep -i libpcap | head -1)"
[ "$do_analysis" = 0 ] || echo "  $("$tshark" --version 2>/dev/null | head -1)"
echo "  synack: $synack    generator: $gen    template: $template"
echo

status=0
if [ "$do_print" != 0 ]; then
echo "== print: synack print vs tcpdump -nn =="
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
if [ "$diffs_total" -ne 0 ]; then
	echo "bench: FAIL: $diffs_total lines differ between synack print and tcpdump -nn"
	status=1
fi
if [ "$speed" -eq 3 ]; then
	if [ "$strict" -eq 1 ]; then
		echo "bench: FAIL: synack print is not 2x faster than tcpdump -nn (--strict)"
		status=1
	else
		echo "bench: print speed FAIL reported above; not fatal without --strict"
	fi
elif [ "$speed" -ne 0 ]; then
	die "summary failed"
fi
echo
fi

if [ "$do_analysis" != 0 ]; then
echo "== analysis: synack --json vs tshark -q -z conv,tcp and tcpdump -nn =="
echo "   (every capture: $concurrency connections in flight, bench-gen -k $concurrency)"
: >"$dir/aresults"
: >"$dir/achecks"
# One capture on disk at a time: 2,888 bytes a connection with the 17-packet template.
maxc=$(echo "$conns_list" | tr ' ' '\n' | sort -n | tail -1)
need_mb=$((maxc * 3 / 1000 + 100))
free_mb=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge "$need_mb" ] || die "$dir: ${free_mb} MB free, the largest capture needs about ${need_mb} MB"
for c in $conns_list; do
	for h in $hosts_list; do
		f="$dir/analysis-${c}c-${h}h.pcap"
		t0=$(date +%s.%N)
		"$gen" -t "$template" -o "$f" -n "$c" -H "$h" -k "$concurrency" 2>"$dir/gen.err" ||
			die "generator failed: $(cat "$dir/gen.err")"
		t1=$(date +%s.%N)
		np=$(sed -n 's/^[^:]*: \([0-9]*\) packets, \([0-9]*\) connections.*/\1 \2/p' "$dir/gen.err")
		[ -n "$np" ] || die "cannot read the counts from: $(cat "$dir/gen.err")"
		gc=${np#* }
		np=${np% *}
		[ "$gc" = "$c" ] || die "generator wrote $gc connections, asked for $c"
		printf 'generated %s: %s connections, %s packets, %s MB, in %.1f s\n' "$(basename "$f")" \
			"$c" "$np" "$(($(wc -c <"$f") / 1000000))" "$(python3 -c "print($t1 - $t0)")"
		sync "$f" 2>/dev/null || sync       # no writeback of the new file during the timings
		atime "$f" "$h" "$c" "$np" || exit 2
		[ -n "${BENCH_DIR:-}" ] || rm -f "$f"
	done
done
echo

astat=0
# shellcheck disable=SC2086 # one argument per count
python3 - "$dir/aresults" "$dir/achecks" "$target_pps" <<'EOF' || astat=$?
import sys
rows = [l.split() for l in open(sys.argv[1])]
checks = [l.split(None, 2) for l in open(sys.argv[2])]
target = float(sys.argv[3])
r = {}
print("%-28s %7s %6s %9s  %-8s %4s %8s %8s %11s %8s" % ("file", "conns", "hosts", "packets", "tool",
      "runs", "seconds", "cpu s", "packets/s", "peak MB"))
for row in rows:
    f, h, c, n, tool = row[0], int(row[1]), int(row[2]), int(row[3]), row[4]
    if row[5] == "skipped":
        print("%-28s %7d %6d %9d  %-8s skipped (budget: predicted %s s%s)" % (f, c, h, n, tool, row[6],
              "" if "time" in row[7] else ", " + row[7]))
        continue
    runs, s, kb, cpu = int(row[5]), float(row[6]), int(row[7]), float(row[8])
    r[(c, h, tool)] = (s, kb, n)
    print("%-28s %7d %6d %9d  %-8s %4d %8.3f %8.3f %11.0f %8.1f" % (f, c, h, n, tool, runs, s, cpu,
          n / s, kb / 1024))
print()
conns = sorted({k[0] for k in r})
hosts = sorted({k[1] for k in r})
print("ratios (time of the other tool / time of synack --json; peak memory likewise):")
for c in conns:
    for h in hosts:
        if (c, h, "synack") not in r:
            continue
        s, kb, _ = r[(c, h, "synack")]
        parts = []
        for tool in ("tshark", "tcpdump"):
            if (c, h, tool) in r:
                o = r[(c, h, tool)]
                parts.append("%s %6.1fx time %6.1fx memory" % (tool, o[0] / s, o[1] / kb))
            else:
                parts.append("%s %-26s" % (tool, "skipped"))
        print("  %7d conns %6d hosts: %s" % (c, h, "   ".join(parts)))
print()
miss = 0
def verdict(ok):
    global miss
    miss += not ok
    return "PASS" if ok else "FAIL"
print("targets:")
print("(a) synack --json >= %.0f packets/s on one core (best wall time; synack is single-threaded):" % target)
for c in conns:
    for h in hosts:
        if (c, h, "synack") in r:
            s, kb, n = r[(c, h, "synack")]
            print("    %7d conns %6d hosts: %9.0f packets/s  %s" % (c, h, n / s, verdict(n / s >= target)))
print("(b) synack time and memory within 1.2x between %d and %d hosts, same file size:" % (hosts[0], hosts[-1]))
if len(hosts) >= 2:
    for c in conns:
        a, b = r.get((c, hosts[0], "synack")), r.get((c, hosts[-1], "synack"))
        if a and b:
            tr, mr = b[0] / a[0], b[1] / a[1]
            ok = 1 / 1.2 <= tr <= 1.2
            okm = 1 / 1.2 <= mr <= 1.2
            print("    %7d conns: time %.2fx %s   memory %.2fx %s" % (c, tr, verdict(ok), mr, verdict(okm)))
    for tool in ("tshark", "tcpdump"):
        for c in conns:
            a, b = r.get((c, hosts[0], tool)), r.get((c, hosts[-1], tool))
            if a and b:
                print("    (for comparison, %-7s %7d conns: time %.2fx   memory %.2fx)" % (tool, c,
                      b[0] / a[0], b[1] / a[1]))
else:
    print("    (needs two host counts)")
print("(c) synack peak memory within 1.2x between %d and %d connections at the same concurrency:" %
      (conns[0], conns[-1]))
if len(conns) >= 2:
    for h in hosts:
        a, b = r.get((conns[0], h, "synack")), r.get((conns[-1], h, "synack"))
        if a and b:
            mr = b[1] / a[1]
            print("    %6d hosts: %.1f MB -> %.1f MB, %.2fx  %s" % (h, a[1] / 1024, b[1] / 1024, mr,
                  verdict(mr <= 1.2)))
    for tool in ("tshark", "tcpdump"):
        for h in hosts:
            a, b = r.get((conns[0], h, tool)), r.get((conns[-1], h, tool))
            if a and b:
                print("    (for comparison, %-7s %6d hosts: %.1f MB -> %.1f MB, %.2fx)" % (tool, h,
                      a[1] / 1024, b[1] / 1024, b[1] / a[1]))
else:
    print("    (needs two connection counts)")
bad = [c for c in checks if c[1] != "ok"]
print("correctness: %d of %d summaries as generated (connections, packets, by_code only tcp.completed)" %
      (len(checks) - len(bad), len(checks)))
for c in bad:
    print("    FAIL %s: %s" % (c[0], c[2].strip()))
sys.exit(4 if bad else 3 if miss else 0)
EOF
echo
case $astat in
0) ;;
3)
	if [ "$strict" -eq 1 ]; then
		echo "bench: FAIL: an analysis target is missed (--strict)"
		status=1
	else
		echo "bench: analysis target FAIL reported above; not fatal without --strict"
	fi ;;
4)
	echo "bench: FAIL: synack --json summaries differ from what was generated"
	status=1 ;;
*) die "analysis summary failed" ;;
esac
fi

[ "$status" -ne 0 ] || echo "bench: ok"
exit "$status"
