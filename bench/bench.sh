#!/bin/sh
# Benchmark synack on generated captures:
#  1. print:    `synack print` against `tcpdump -nn` on two ~2M-packet captures
#               (16 and 20,000 client hosts); checks that their lines are identical;
#  2. analysis: `synack` (default text output; `--json` timed too, for comparison) against
#               `tshark -q -z conv,tcp` and `tcpdump -nn` on captures of 20,000 and 200,000
#               connections, each with 16 and 20,000 client hosts, in two sets: TLS
#               (template.pcap, 1,000 connections in flight) and TCP-only (template_http.pcap,
#               plain HTTP/1.1, at the same connection rate); checks the verdict summaries
#               and the targets (TCP-only >= 5M packets/s; time and memory flat in hosts;
#               memory flat in file length); prints the bytes of the default output;
#  3. tls:      `synack` (default text output to /dev/null and into a pipe, `| cat`;
#               `--json` timed too) against `tshark -T fields` (SNI, version, cipher, alert)
#               and `ssldump -n` on one capture of 200,000 TLS handshakes replicated
#               from real TLS 1.3, TLS 1.2 and failing (protocol_version alert)
#               templates; checks the verdict counts per template and tshark's SNI
#               and alert counts, and the targets (>= 3.5M packets/s to /dev/null, >= 3M
#               into a pipe, >= 50x faster than tshark, >= 10x faster than ssldump, peak
#               memory <= 64 MB, default text output under 64 KB);
#  4. flood:    `synack --json` (default settings) on a SYN flood: 300,000 unanswered
#               SYNs from distinct spoofed sources within 3 s of capture time, replicated
#               from one real SYN (template_syn.pcap); against tshark -q -z conv,tcp and
#               tcpdump -nn; checks that every connection is tcp.no_answer and that the
#               connections and the evictions in the summary's "bounds" account for
#               every SYN, and the target (peak memory < 128 MB);
#  5. buffers:  `synack --json` with default settings and with `--memory-limit 64M` on
#               connections that each hold a full reassembly buffer (template_bulk.pcap:
#               a real 256 KiB TLS download with the server's first data segment edited
#               out, so all after it waits behind a hole), 4,000 in flight; against
#               tshark and tcpdump; prints the connections evicted for memory, and the
#               target (with --memory-limit 64M, peak memory <= 64 MB + 32 MB overhead);
#  6. keyed:    `synack` (default text output) without and with `--keylog` on TLS 1.3
#               handshakes replicated from template_keyed.pcap, with its client's key log
#               (template_keyed.keys); checks that every connection is decrypted with both
#               Finished, and the target (issue 14: with the key log at least half the
#               packets/s of the run without it).
#
# Usage: bench/bench.sh [--strict] [SYNACK [GEN]]
#   SYNACK    the synack binary (default build/synack)
#   GEN       the capture generator built from bench/gen.c (default build/bench-gen)
#   --strict  also exit 1 when a speed or memory target is missed
# Environment (all optional):
#   BENCH_PRINT=1          0: skip the print part
#   BENCH_PACKETS=2000000  print part: packets per capture
#   BENCH_HOSTS="16 20000" client host counts, one capture each (print and analysis parts)
#   BENCH_RUNS=3           best of this many runs per tool and file ...
#   BENCH_BUDGET=30        ... but no new run once a tool has spent this many seconds on a file
#   BENCH_LINES=200000     print part: lines compared per file
#   BENCH_ANALYSIS=1       0: skip the analysis part's TLS set (captures of template.pcap)
#   BENCH_TCP=1            0: skip the analysis part's TCP-only set (captures of template_http.pcap)
#   BENCH_CONNS="20000 200000"  analysis part: connections per capture (smallest first)
#   BENCH_SYNACK_RUNS=5    analysis and tls parts: best of this many runs of each synack variant
#   BENCH_CONCURRENCY=1000 analysis (TLS set) and tls parts: connections in flight (bench-gen -k)
#   BENCH_TCP_GAP_NS=66585 analysis part, TCP-only set: a new connection every this many ns
#                          (bench-gen -g; the TLS set's rate: template.pcap's 66.6 ms / 1000)
#   BENCH_TSHARK_MAX=60    skip tshark on a file when its predicted time exceeds this many
#                          seconds (never on the smallest connection count)
#   BENCH_TARGET_PPS=5000000  analysis target: packets/s of `synack` (default output, to
#                          /dev/null) on the TCP-only captures, one core
#   BENCH_DIR              where the captures go (default: a temp dir, removed at exit)
#   BENCH_TEMPLATE         template capture of part 1 and the analysis TLS set (default bench/template.pcap)
#   BENCH_HTTP_TEMPLATE    template of the analysis TCP-only set (default bench/template_http.pcap)
#   BENCH_TLS=1            0: skip the tls part
#   BENCH_TLS_CONNS=200000 tls part: handshakes (connections) in the capture
#   BENCH_TLS_HOSTS=20000  tls part: client hosts
#   BENCH_TLS_MIX="template.pcap template_tls12.pcap template.pcap template_tls_alert.pcap
#                  template.pcap template_tls12.pcap template.pcap template.pcap"
#                          tls part: the unit the generator repeats (one bench-gen -t each;
#                          names without a / are in bench/): 5/8 TLS 1.3, 2/8 TLS 1.2, 1/8 alert
#   BENCH_TLS_TARGET_PPS=3500000       tls target: packets/s of `synack` (default output) to /dev/null
#   BENCH_TLS_TARGET_PIPE_PPS=3000000  tls target: the same into a pipe (`synack -r F | cat >/dev/null`)
#   BENCH_TLS_TARGET_TSHARK=50  tls target: tshark time / synack time at least this
#   BENCH_TLS_TARGET_SSLDUMP=10 tls target: ssldump time / synack time at least this
#   BENCH_TEXT_TARGET_KB=64     tls target: bytes of synack's default output under this many KiB
#   BENCH_TLS_TARGET_MB=64      tls target: synack peak RSS at most this many MB
#   BENCH_FLOOD=1          0: skip the flood part
#   BENCH_FLOOD_SYNS=300000  flood part: SYNs, each a connection from its own address/port
#   BENCH_FLOOD_HOSTS=100000 flood part: spoofed client addresses (bench-gen -H, at most 131070)
#   BENCH_FLOOD_SPAN_MS=3000 flood part: capture time the SYNs are spread over (bench-gen -g)
#   BENCH_FLOOD_TARGET_MB=128  flood target: synack peak RSS under this many MB
#   BENCH_BUFFERS=1        0: skip the buffers part
#   BENCH_BUFFERS_CONNS=4000        buffers part: connections in the capture
#   BENCH_BUFFERS_CONCURRENCY=4000  buffers part: connections in flight (bench-gen -k)
#   BENCH_BUFFERS_HOSTS=1000        buffers part: client hosts
#   BENCH_BUFFERS_LIMIT=64M         buffers part: the --memory-limit of the second synack run
#   BENCH_BUFFERS_OVERHEAD_MB=32    buffers target: peak RSS at most the limit plus this
#   BENCH_KEYED=1          0: skip the keyed part
#   BENCH_KEYED_CONNS=200000  keyed part: TLS 1.3 connections (copies of template_keyed.pcap)
#   BENCH_KEYED_HOSTS=20000   keyed part: client hosts (connections in flight: BENCH_CONCURRENCY)
#   BENCH_KEYED_RUNS=3        keyed part: best of this many runs of each synack variant
#   BENCH_KEYED_TARGET=0.5    keyed target: packets/s with --keylog / packets/s without, at least
#   (flood and buffers parts: tshark is run on a tenth of the capture first and skipped on the
#   whole when that time x 10 x 2 exceeds BENCH_TSHARK_MAX, or x 10 its memory MemAvailable/2)
#   TCPDUMP=tcpdump  TSHARK=tshark  SSLDUMP=ssldump
#   tshark and ssldump, when missing under their default names, are installed with
#   apt-get when running as root (noninteractive), else their part says "skipped".
# Exit: 0 ok; 1 lines differ or a verdict summary is wrong (or, with --strict, a
# speed/memory target missed); 2 setup error.
set -eu

strict=0
if [ "${1:-}" = "--strict" ]; then strict=1; shift; fi
synack=${1:-build/synack}
gen=${2:-build/bench-gen}
here=$(cd "$(dirname "$0")" && pwd)
template=${BENCH_TEMPLATE:-$here/template.pcap}
http_template=${BENCH_HTTP_TEMPLATE:-$here/template_http.pcap}
packets=${BENCH_PACKETS:-2000000}
hosts_list=${BENCH_HOSTS:-16 20000}
runs=${BENCH_RUNS:-3}
budget=${BENCH_BUDGET:-30}
nlines=${BENCH_LINES:-200000}
tcpdump=${TCPDUMP:-tcpdump}
tshark=${TSHARK:-tshark}
do_print=${BENCH_PRINT:-1}
do_analysis=${BENCH_ANALYSIS:-1}
do_tcp=${BENCH_TCP:-1}
tcp_gap=${BENCH_TCP_GAP_NS:-66585}
conns_list=$(echo "${BENCH_CONNS:-20000 200000}" | tr ' ' '\n' | sort -n | tr '\n' ' ')
concurrency=${BENCH_CONCURRENCY:-1000}
sruns=${BENCH_SYNACK_RUNS:-5}
tshark_max=${BENCH_TSHARK_MAX:-60}
target_pps=${BENCH_TARGET_PPS:-5000000}
ssldump=${SSLDUMP:-ssldump}
do_tls=${BENCH_TLS:-1}
tls_conns=${BENCH_TLS_CONNS:-200000}
tls_hosts=${BENCH_TLS_HOSTS:-20000}
tls_mix=${BENCH_TLS_MIX:-template.pcap template_tls12.pcap template.pcap template_tls_alert.pcap \
template.pcap template_tls12.pcap template.pcap template.pcap}
tls_target_x=${BENCH_TLS_TARGET_TSHARK:-50}
tls_target_ssldump=${BENCH_TLS_TARGET_SSLDUMP:-10}
tls_target_pps=${BENCH_TLS_TARGET_PPS:-3500000}
tls_target_pipe=${BENCH_TLS_TARGET_PIPE_PPS:-3000000}
text_target_kb=${BENCH_TEXT_TARGET_KB:-64}
tls_target_mb=${BENCH_TLS_TARGET_MB:-64}
do_flood=${BENCH_FLOOD:-1}
flood_syns=${BENCH_FLOOD_SYNS:-300000}
flood_hosts=${BENCH_FLOOD_HOSTS:-100000}
flood_span_ms=${BENCH_FLOOD_SPAN_MS:-3000}
flood_target_mb=${BENCH_FLOOD_TARGET_MB:-128}
do_buffers=${BENCH_BUFFERS:-1}
buf_conns=${BENCH_BUFFERS_CONNS:-4000}
buf_k=${BENCH_BUFFERS_CONCURRENCY:-4000}
buf_hosts=${BENCH_BUFFERS_HOSTS:-1000}
buf_limit=${BENCH_BUFFERS_LIMIT:-64M}
buf_overhead_mb=${BENCH_BUFFERS_OVERHEAD_MB:-32}
do_keyed=${BENCH_KEYED:-1}
keyed_conns=${BENCH_KEYED_CONNS:-200000}
keyed_hosts=${BENCH_KEYED_HOSTS:-20000}
keyed_runs=${BENCH_KEYED_RUNS:-3}
keyed_target=${BENCH_KEYED_TARGET:-0.5}

die() { echo "bench: $*" >&2; exit 2; }
[ -x "$synack" ] || die "$synack: not an executable (build it first, or pass its path)"
[ -x "$gen" ] || die "$gen: not an executable (cc -O2 bench/gen.c \$(pkg-config --cflags --libs libpcap) -o build/bench-gen)"
[ -r "$template" ] || die "$template: not readable"
[ "$do_tcp" = 0 ] || [ -r "$http_template" ] || die "$http_template: not readable"
command -v "$tcpdump" >/dev/null || die "$tcpdump: not found"
command -v python3 >/dev/null || die "python3: not found"

# The comparison tools: tshark (analysis and tls parts), ssldump (tls part). If
# one is missing under its default name, install it with apt-get when root;
# noninteractive, with wireshark-common's "non-root capture?" question answered
# no beforehand so it cannot block. Not part of `make deps`: only the bench needs them.
want=""
if [ "$do_analysis" != 0 ] || [ "$do_tcp" != 0 ] || [ "$do_tls" != 0 ] || [ "$do_flood" != 0 ] ||
   [ "$do_buffers" != 0 ]; then
	command -v "$tshark" >/dev/null || [ "$tshark" != tshark ] || want="$want tshark"
fi
if [ "$do_tls" != 0 ]; then
	command -v "$ssldump" >/dev/null || [ "$ssldump" != ssldump ] || want="$want ssldump"
fi
if [ -n "$want" ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		echo "bench: installing$want (apt-get, noninteractive)"
		echo "wireshark-common wireshark-common/install-setuid boolean false" |
			debconf-set-selections 2>/dev/null || true
		# shellcheck disable=SC2086 # one argument per package
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $want \
			</dev/null >"${TMPDIR:-/tmp}/synack-bench-apt.log" 2>&1 ||
		{ DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $want \
			</dev/null >"${TMPDIR:-/tmp}/synack-bench-apt.log" 2>&1; } ||
			echo "bench: apt-get install$want failed (${TMPDIR:-/tmp}/synack-bench-apt.log)"
	else
		echo "bench: missing:$want (not root, or no apt-get: not installing)"
	fi
fi
have_tshark=1
command -v "$tshark" >/dev/null || have_tshark=0
have_ssldump=1
command -v "$ssldump" >/dev/null || have_ssldump=0
if { [ "$do_analysis" != 0 ] || [ "$do_tcp" != 0 ]; } && [ "$have_tshark" = 0 ]; then
	die "$tshark: not found (TSHARK=..., or BENCH_ANALYSIS=0 BENCH_TCP=0)"
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

# tpl_verdict TEMPLATE: "CODE RC", synack's verdict on a one-connection template
# and its exit status (every copy must get the same).
tpl_verdict() {
	tv_rc=0
	"$synack" --json -r "$1" >"$dir/tpl.json" 2>"$dir/err" || tv_rc=$?
	python3 - "$dir/tpl.json" "$tv_rc" "$1" <<'EOF' || die "synack on the template $1: $(head -c 300 "$dir/err")"
import json, sys
summ = json.loads(open(sys.argv[1]).read().rstrip("\n").rsplit("\n", 1)[-1])
codes = summ.get("by_code") or {}
if summ.get("type") != "summary" or len(codes) != 1 or list(codes.values()) != [1]:
    sys.exit("bench: %s: not one connection with one verdict: %s" % (sys.argv[3], json.dumps(summ)))
print(list(codes)[0], sys.argv[2])
EOF
}

# atime SET FILE HOSTS CONNS PACKETS: the analysis timings on one capture of
# SET (tls or tcp). Two check runs first (they also warm the page cache):
# `synack --json` (exit status, NDJSON line count and the summary object) and
# `synack` with the default text output (exit status; the bytes it writes are
# counted). Then rounds of synack (default output), synack --json, tshark (one
# run only) and tcpdump: best of $sruns wall times for each synack, of $runs
# for tcpdump ($budget rule for all). tshark is skipped when its time predicted
# from the smallest capture of the same set with the same hosts (x packets
# ratio x 1.5, it grows faster than linearly) exceeds $tshark_max s, or its
# predicted memory exceeds half of MemAvailable. The summary must give every
# connection the template's own verdict ($tpl_code, exit status $tpl_rc).
# Appends "set file hosts conns packets tool runs best_s peak_kb cpu_s" (or
# "... tool skipped predicted_s why") to $dir/aresults (tool: synack,
# synack-json, tshark, tcpdump), "set file ok|bad why" to $dir/achecks and
# "set file conns text_bytes" to $dir/atext.
atime() {
	python3 - "$1" "$2" "$3" "$4" "$5" "$runs $sruns" "$budget" "$tshark_max" "$dir" \
		"$synack" "$tshark" "$tcpdump" "$tpl_code" "$tpl_rc" <<'EOF'
import json, os, subprocess, sys, time
aset, f, hosts, conns, npk = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
(runs, sruns), budget, tmax = map(int, sys.argv[6].split()), float(sys.argv[7]), float(sys.argv[8])
d, synack, tshark, tcpdump = sys.argv[9:13]
code, code_rc = sys.argv[13], int(sys.argv[14])
name = os.path.basename(f)
errf = os.path.join(d, "err")

def errtext():
    return open(errf, errors="replace").read(300).strip()

def stream(cmd):
    """Run cmd with its output read from a pipe: (exit status, bytes, lines, last 64 KiB)."""
    with open(errf, "w") as err:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        nb, nl, tail, ng, carry = 0, 0, b"", 0, b""
        while True:
            b = p.stdout.read(1 << 20)
            if not b:
                break
            nb += len(b)
            nl += b.count(b"\n")
            # group objects (after the connections, before the summary) are not counted
            ng += (carry + b).count(b'\n{"type":"group"')
            carry = b[-15:]
            tail = (tail + b)[-65536:]
        return p.wait(), nb, nl - ng, tail

# Check run of --json: count lines, keep the last one.
rc, _, nl, tail = stream([synack, "--json", "-r", f])
why = []
try:
    summ = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])
except ValueError:
    summ = {}
    why.append("last line is not JSON")
if rc != code_rc:
    why.append("exit status %d (expected %d, as on the template)%s" %
               (rc, code_rc, ": " + errtext() if errtext() else ""))
if summ:
    if summ.get("type") != "summary":
        why.append("last line is not the summary")
    if summ.get("connections") != conns:
        why.append("connections %s, generated %d" % (summ.get("connections"), conns))
    if summ.get("packets") != npk:
        why.append("packets %s, generated %d" % (summ.get("packets"), npk))
    if (summ.get("ok"), summ.get("failed")) != ((conns, 0) if code_rc == 0 else (0, conns)):
        why.append("ok %s failed %s" % (summ.get("ok"), summ.get("failed")))
    if summ.get("by_code") != {code: conns}:
        why.append("by_code %s" % json.dumps(summ.get("by_code"), separators=(",", ":")))
if nl != conns + 1:
    why.append("%d NDJSON lines (group objects aside), expected %d" % (nl, conns + 1))
# Check run of the default output: its exit status; the bytes it writes.
trc, tbytes, tlines, _ = stream([synack, "-r", f])
if trc != code_rc:
    why.append("default output: exit status %d (expected %d)%s" %
               (trc, code_rc, ": " + errtext() if errtext() else ""))
with open(os.path.join(d, "achecks"), "a") as out:
    out.write("%s %s %s %s\n" % (aset, name, "bad" if why else "ok", "; ".join(why) or "-"))
with open(os.path.join(d, "atext"), "a") as out:
    out.write("%s %s %d %d\n" % (aset, name, conns, tbytes))
print("  check: %s" % ("ok: " + json.dumps(summ, separators=(",", ":")) if not why
                        else "FAIL: " + "; ".join(why)))
print("  default output: %d bytes, %d lines (%.0f bytes a connection), exit status %d" %
      (tbytes, tlines, tbytes / conns, trc))

# Prediction for tshark from the smallest capture of the set with the same host count.
res = os.path.join(d, "aresults")
skip = None
base = [l.split() for l in open(res)]
base = [r for r in base if r[0] == aset and r[5] == "tshark" and r[6] != "skipped" and int(r[2]) == hosts]
if base:
    b = min(base, key=lambda r: int(r[4]))
    scale = npk / int(b[4])
    pred_s, pred_kb = float(b[7]) * scale * 1.5, int(b[8]) * scale
    avail = 0
    for l in open("/proc/meminfo"):
        if l.startswith("MemAvailable:"):
            avail = int(l.split()[1])
    if scale > 1.01 and pred_s > tmax:
        skip = "%.0f time>%gs" % (pred_s, tmax)
    elif scale > 1.01 and avail and pred_kb > avail / 2:
        skip = "%.0f memory:%.0fMB>MemAvailable/2" % (pred_s, pred_kb / 1024)

tools = {"synack": ([synack, "-r", f], sruns),
         "synack-json": ([synack, "--json", "-r", f], sruns),
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
        if rc != 0 and not (tool.startswith("synack") and rc == 1):
            sys.exit("bench: %s exited %d on %s: %s" % (tool, rc, name, errtext()))
        s["n"] += 1
        s["spent"] += t
        s["kb"] = max(s["kb"], ru.ru_maxrss)
        if s["best"] is None or t < s["best"]:
            s["best"], s["cpu"] = t, ru.ru_utime + ru.ru_stime
with open(res, "a") as out:
    for tool in ("synack", "synack-json", "tshark", "tcpdump"):
        if tool in st:
            s = st[tool]
            out.write("%s %s %d %d %d %s %d %.3f %d %.3f\n" % (aset, name, hosts, conns, npk, tool,
                      s["n"], s["best"], s["kb"], s["cpu"]))
        else:
            out.write("%s %s %d %d %d %s skipped %s\n" % (aset, name, hosts, conns, npk, tool, skip))
EOF
}

echo "synack bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"
echo "  $("$tcpdump" --version 2>&1 | head -1), $("$tcpdump" --version 2>&1 | grep -i libpcap | head -1)"
if [ "$do_analysis" != 0 ] || [ "$do_tcp" != 0 ] || [ "$do_tls" != 0 ] || [ "$do_flood" != 0 ] ||
   [ "$do_buffers" != 0 ]; then
	if [ "$have_tshark" = 1 ]; then echo "  $("$tshark" --version 2>/dev/null | head -1)"
	else echo "  tshark: not installed"; fi
fi
if [ "$do_tls" != 0 ]; then
	if [ "$have_ssldump" = 1 ]; then
		echo "  $("$ssldump" -v 2>&1 | head -1)$(dpkg-query -W -f=' (Debian package ${Version})' ssldump 2>/dev/null || true)"
	else echo "  ssldump: not installed"; fi
fi
echo "  synack: $synack    generator: $gen    template: $template"
[ "$do_tcp" = 0 ] || echo "  TCP-only template: $http_template"
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

if [ "$do_analysis" != 0 ] || [ "$do_tcp" != 0 ]; then
echo "== analysis: synack (default output; --json for comparison) vs tshark -q -z conv,tcp and tcpdump -nn =="
: >"$dir/aresults"
: >"$dir/achecks"
: >"$dir/atext"
# One capture on disk at a time: 2,888 bytes a connection with the 17-packet TLS template,
# 1,511 with the 10-packet HTTP one.
maxc=$(echo "$conns_list" | tr ' ' '\n' | sort -n | tail -1)
need_mb=$((maxc * 3 / 1000 + 100))
free_mb=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge "$need_mb" ] || die "$dir: ${free_mb} MB free, the largest capture needs about ${need_mb} MB"
sets=""
[ "$do_analysis" = 0 ] || sets="tls"
[ "$do_tcp" = 0 ] || sets="$sets tcp"
for aset in $sets; do
	if [ "$aset" = tls ]; then
		stpl=$template prefix=analysis
		set -- -k "$concurrency"
		echo "   TLS set: copies of $(basename "$template"), $concurrency connections in flight (bench-gen -k $concurrency)"
	else
		stpl=$http_template prefix=tcp
		set -- -g "$tcp_gap"
		echo "   TCP-only set: copies of $(basename "$http_template") (plain HTTP/1.1, no TLS), a new connection every"
		echo "   $tcp_gap ns (bench-gen -g $tcp_gap), the TLS set's rate: as many connections a second, fewer in flight"
	fi
	tv=$(tpl_verdict "$stpl") || exit 2
	tpl_code=${tv% *} tpl_rc=${tv#* }
	echo "   (the template's verdict, expected for every copy: $tpl_code, exit status $tpl_rc)"
	for c in $conns_list; do
		for h in $hosts_list; do
			f="$dir/$prefix-${c}c-${h}h.pcap"
			t0=$(date +%s.%N)
			"$gen" -t "$stpl" -o "$f" -n "$c" -H "$h" "$@" 2>"$dir/gen.err" ||
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
			atime "$aset" "$f" "$h" "$c" "$np" || exit 2
			[ -n "${BENCH_DIR:-}" ] || rm -f "$f"
		done
	done
done
echo

astat=0
python3 - "$dir/aresults" "$dir/achecks" "$dir/atext" "$target_pps" "$sets" <<'EOF' || astat=$?
import sys
rows = [l.split() for l in open(sys.argv[1])]
checks = [l.split(None, 3) for l in open(sys.argv[2])]
text = [l.split() for l in open(sys.argv[3])]
target = float(sys.argv[4])
sets = sys.argv[5].split()
SETNAME = {"tls": "TLS set", "tcp": "TCP-only set"}
LABEL = {"synack": "synack", "synack-json": "synack --json"}
r = {}
print("%-28s %7s %6s %9s  %-14s %4s %8s %8s %11s %8s" % ("file", "conns", "hosts", "packets", "tool",
      "runs", "seconds", "cpu s", "packets/s", "peak MB"))
for row in rows:
    aset, f, h, c, n, tool = row[0], row[1], int(row[2]), int(row[3]), int(row[4]), row[5]
    label = LABEL.get(tool, tool)
    if row[6] == "skipped":
        print("%-28s %7d %6d %9d  %-14s skipped (budget: predicted %s s%s)" % (f, c, h, n, label, row[7],
              "" if "time" in row[8] else ", " + row[8]))
        continue
    runs, s, kb, cpu = int(row[6]), float(row[7]), int(row[8]), float(row[9])
    r[(aset, c, h, tool)] = (s, kb, n)
    print("%-28s %7d %6d %9d  %-14s %4d %8.3f %8.3f %11.0f %8.1f" % (f, c, h, n, label, runs, s, cpu,
          n / s, kb / 1024))
print("(synack: the default text output; both synack rows and tshark and tcpdump write to /dev/null)")
print()
conns = sorted({k[1] for k in r})
hosts = sorted({k[2] for k in r})
print("ratios (time of the other tool / time of synack with the default output; peak memory likewise):")
for aset in sets:
    for c in conns:
        for h in hosts:
            if (aset, c, h, "synack") not in r:
                continue
            s, kb, _ = r[(aset, c, h, "synack")]
            parts = []
            for tool in ("synack-json", "tshark", "tcpdump"):
                if (aset, c, h, tool) in r:
                    o = r[(aset, c, h, tool)]
                    parts.append("%s %5.1fx time %5.1fx memory" % (LABEL.get(tool, tool), o[0] / s, o[1] / kb))
                else:
                    parts.append("%s %-24s" % (tool, "skipped"))
            print("  %-3s %6d conns %5d hosts: %s" % (aset, c, h, "   ".join(parts)))
print()
print("default text output (bytes synack writes to stdout):")
for aset, f, c, b in text:
    print("    %-28s %7s conns: %11d bytes, %6.0f a connection" % (f, c, int(b), int(b) / int(c)))
print()
miss = 0
def verdict(ok):
    global miss
    miss += not ok
    return "PASS" if ok else "FAIL"
print("targets:")
print("(a) synack (default output, to /dev/null) >= %.0f packets/s on the TCP-only captures, one core"
      " (best wall time; synack is single-threaded):" % target)
if "tcp" in sets:
    for c in conns:
        for h in hosts:
            if ("tcp", c, h, "synack") in r:
                s, kb, n = r[("tcp", c, h, "synack")]
                js = r.get(("tcp", c, h, "synack-json"))
                print("    %7d conns %6d hosts: %9.0f packets/s  %s%s" % (c, h, n / s, verdict(n / s >= target),
                      "   (--json: %.0f packets/s)" % (js[2] / js[0]) if js else ""))
else:
    print("    not measured (BENCH_TCP=0)")
print("(b) synack (default output) time and memory within 1.2x between %d and %d hosts, same file size:" %
      (hosts[0], hosts[-1]))
for aset in sets:
    if len(hosts) < 2:
        print("    (needs two host counts)")
        break
    for c in conns:
        a, b = r.get((aset, c, hosts[0], "synack")), r.get((aset, c, hosts[-1], "synack"))
        if a and b:
            tr, mr = b[0] / a[0], b[1] / a[1]
            print("    %-12s %7d conns: time %.2fx %s   memory %.2fx %s" % (SETNAME[aset], c, tr,
                  verdict(1 / 1.2 <= tr <= 1.2), mr, verdict(1 / 1.2 <= mr <= 1.2)))
    for tool in ("synack-json", "tshark", "tcpdump"):
        for c in conns:
            a, b = r.get((aset, c, hosts[0], tool)), r.get((aset, c, hosts[-1], tool))
            if a and b:
                print("    (for comparison, %-3s %-13s %7d conns: time %.2fx   memory %.2fx)" % (aset,
                      LABEL.get(tool, tool), c, b[0] / a[0], b[1] / a[1]))
print("(c) synack (default output) peak memory within 1.2x between %d and %d connections, same rate:" %
      (conns[0], conns[-1]))
for aset in sets:
    if len(conns) < 2:
        print("    (needs two connection counts)")
        break
    for h in hosts:
        a, b = r.get((aset, conns[0], h, "synack")), r.get((aset, conns[-1], h, "synack"))
        if a and b:
            mr = b[1] / a[1]
            print("    %-12s %6d hosts: %.1f MB -> %.1f MB, %.2fx  %s" % (SETNAME[aset], h, a[1] / 1024,
                  b[1] / 1024, mr, verdict(mr <= 1.2)))
    for tool in ("synack-json", "tshark", "tcpdump"):
        for h in hosts:
            a, b = r.get((aset, conns[0], h, tool)), r.get((aset, conns[-1], h, tool))
            if a and b:
                print("    (for comparison, %-3s %-13s %6d hosts: %.1f MB -> %.1f MB, %.2fx)" % (aset,
                      LABEL.get(tool, tool), h, a[1] / 1024, b[1] / 1024, b[1] / a[1]))
bad = [c for c in checks if c[2] != "ok"]
print("correctness: %d of %d captures as generated (--json summary: connections, packets, by_code only the "
      "template's code; exit status of both outputs as on the template)" % (len(checks) - len(bad), len(checks)))
for c in bad:
    print("    FAIL %s: %s" % (c[1], c[3].strip()))
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
	echo "bench: FAIL: synack's summaries or exit statuses differ from what was generated"
	status=1 ;;
*) die "analysis summary failed" ;;
esac
fi

if [ "$do_tls" != 0 ]; then
echo "== tls: synack (default output, to /dev/null and into a pipe; --json) vs tshark -T fields (SNI, version, cipher, alert) and ssldump -n =="
# The unit bench-gen repeats: one -t per entry of $tls_mix, in that order;
# connection i of the capture is a copy of entry i % (entries).
set --
for t in $tls_mix; do
	case $t in */*) ;; *) t=$here/$t ;; esac
	[ -r "$t" ] || die "$t: not readable (BENCH_TLS_MIX)"
	set -- "$@" -t "$t"
done
[ $# -gt 0 ] || die "BENCH_TLS_MIX is empty"
echo "   ($concurrency connections in flight, bench-gen -k $concurrency; $tls_hosts client hosts)"
# About 3.1 KB a connection with the default mix.
need_mb=$((tls_conns * 4 / 1000 + 100))
free_mb=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge "$need_mb" ] || die "$dir: ${free_mb} MB free, the tls capture needs about ${need_mb} MB"
f="$dir/tls-${tls_conns}hs.pcap"
t0=$(date +%s.%N)
"$gen" "$@" -o "$f" -n "$tls_conns" -H "$tls_hosts" -k "$concurrency" 2>"$dir/gen.err" ||
	die "generator failed: $(cat "$dir/gen.err")"
t1=$(date +%s.%N)
np=$(sed -n 's/^[^:]*: \([0-9]*\) packets, \([0-9]*\) connections.*/\1 \2/p' "$dir/gen.err")
[ -n "$np" ] || die "cannot read the counts from: $(cat "$dir/gen.err")"
[ "${np#* }" = "$tls_conns" ] || die "generator wrote ${np#* } connections, asked for $tls_conns"
np=${np% *}
printf 'generated %s: %s handshakes, %s packets, %s MB, in %.1f s\n' "$(basename "$f")" \
	"$tls_conns" "$np" "$(($(wc -c <"$f") / 1000000))" "$(python3 -c "print($t1 - $t0)")"
sync "$f" 2>/dev/null || sync

# Everything else in one script: what each template should give (synack's verdict
# and exit status, tshark's SNI and clear-text alert lines), the check runs of
# synack (--json: the summary; default output: exit status and bytes), the timed
# runs (synack with the default output to /dev/null, the same into `| cat
# >/dev/null`, and synack --json, best of $sruns each; tshark once, its output
# kept to count SNIs and alerts; ssldump best of $runs with the $budget rule),
# the table, the ratios, the targets and the correctness lines.
tstat=0
python3 - "$f" "$tls_conns" "$np" "$runs $sruns" "$budget" "$dir" "$synack" \
	"$([ "$have_tshark" = 1 ] && echo "$tshark")" "$([ "$have_ssldump" = 1 ] && echo "$ssldump")" \
	"$tls_target_x $tls_target_ssldump $tls_target_mb $tls_target_pps $tls_target_pipe $text_target_kb" \
	"$@" <<'EOF' || tstat=$?
import collections, json, os, subprocess, sys, time
f, conns, npk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
(runs, sruns), budget = map(int, sys.argv[4].split()), float(sys.argv[5])
d, synack, tshark, ssldump = sys.argv[6:10]
target_x, target_ssldump, target_mb, target_pps, target_pipe, target_kb = map(float, sys.argv[10].split())
mix = sys.argv[12::2]                       # after each -t
name = os.path.basename(f)
errf = os.path.join(d, "err")
TSHARK_FIELDS = ["tls.handshake.extensions_server_name", "tls.handshake.version",
                 "tls.handshake.extensions.supported_version", "tls.handshake.ciphersuite",
                 "tls.alert_message.desc"]

def errtext():
    return open(errf, errors="replace").read(300).strip()

def tshark_cmd(path):
    cmd = [tshark, "-r", path, "-T", "fields"]
    for fl in TSHARK_FIELDS:
        cmd += ["-e", fl]
    return cmd + ["-Y", "tls.handshake or tls.alert_message"]

def tshark_counts(text):
    """SNIs, clear-text alerts (a description: not an encrypted alert) and versions."""
    sni = alerts = 0
    vers = collections.Counter()
    for line in text.splitlines():
        c = line.split("\t")
        c += [""] * (5 - len(c))
        sni += c[0] != ""
        alerts += c[4] != ""
        if c[1] and not c[0]:                # a ServerHello: no SNI, a version
            vers[c[2] or c[1]] += 1
    return sni, alerts, vers

def synack_summary(path):
    with open(errf, "w") as err:
        p = subprocess.Popen([synack, "--json", "-r", path], stdout=subprocess.PIPE, stderr=err)
        nl, tail, ng, carry = 0, b"", 0, b""
        while True:
            b = p.stdout.read(1 << 20)
            if not b:
                break
            nl += b.count(b"\n")
            # group objects (after the connections, before the summary) are not counted
            ng += (carry + b).count(b'\n{"type":"group"')
            carry = b[-15:]
            tail = (tail + b)[-65536:]
        rc = p.wait()
    try:
        summ = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])
    except ValueError:
        summ = {}
    return rc, nl - ng, summ

# What each template gives on its own.
tpl = {}
for t in dict.fromkeys(mix):
    rc, nl, summ = synack_summary(t)
    codes = summ.get("by_code") or {}
    if summ.get("type") != "summary" or len(codes) != 1 or list(codes.values()) != [1]:
        sys.exit("bench: %s: not one connection with one verdict: %s" % (t, json.dumps(summ)))
    e = {"code": list(codes)[0], "rc": rc, "packets": summ.get("packets")}
    if tshark:
        out = subprocess.run(tshark_cmd(t), capture_output=True, text=True).stdout
        e["sni"], e["alerts"], _ = tshark_counts(out)
    tpl[t] = e
n = len(mix)
copies = collections.Counter()
for j, t in enumerate(mix):
    copies[t] += conns // n + (j < conns % n)
want_codes = collections.Counter()
for t, k in copies.items():
    want_codes[tpl[t]["code"]] += k
want_rc = max(tpl[t]["rc"] for t, k in copies.items() if k)
print("   unit of %d connections: %s" % (n, ", ".join(
      "%s x%d (%s, %s packets)" % (os.path.basename(t), mix.count(t), tpl[t]["code"], tpl[t]["packets"])
      for t in tpl)))

# Check run (also warms the page cache).
rc, nl, summ = synack_summary(f)
rc_json = rc
why = []
if rc != want_rc:
    why.append("exit status %d, expected %d%s" % (rc, want_rc, ": " + errtext() if errtext() else ""))
if summ.get("type") != "summary":
    why.append("last line is not the summary")
if summ.get("connections") != conns:
    why.append("connections %s, generated %d" % (summ.get("connections"), conns))
if summ.get("packets") != npk:
    why.append("packets %s, generated %d" % (summ.get("packets"), npk))
if summ.get("by_code") != dict(want_codes):
    why.append("by_code %s, expected %s" % (json.dumps(summ.get("by_code"), sort_keys=True),
               json.dumps(dict(want_codes), sort_keys=True)))
if nl != conns + 1:
    why.append("%d NDJSON lines (group objects aside), expected %d" % (nl, conns + 1))
print("  check: %s" % ("ok: " + json.dumps(summ, separators=(",", ":")) if not why
                        else "FAIL: " + "; ".join(why)))
# Check run of the default output: its exit status, the bytes it writes to stdout.
with open(errf, "w") as err:
    p = subprocess.Popen([synack, "-r", f], stdout=subprocess.PIPE, stderr=err)
    tbytes = tlines = 0
    while True:
        b = p.stdout.read(1 << 20)
        if not b:
            break
        tbytes += len(b)
        tlines += b.count(b"\n")
    trc = p.wait()
if trc != want_rc:
    why.append("default output: exit status %d, expected %d%s" % (trc, want_rc,
               ": " + errtext() if errtext() else ""))
print("  default output: %d bytes, %d lines (%.0f bytes a connection), exit status %d" %
      (tbytes, tlines, tbytes / conns, trc))

# tshark needs about 0.7 KB of memory per packet of this capture (2.3 GB for 3.4M).
skipped = {}
if not tshark:
    skipped["tshark"] = "skipped: tshark not installed"
if not ssldump:
    skipped["ssldump"] = "skipped: ssldump not installed"
avail = 0
for l in open("/proc/meminfo"):
    if l.startswith("MemAvailable:"):
        avail = int(l.split()[1])
if tshark and avail and npk * 0.75 > avail / 2:
    skipped["tshark"] = "skipped (memory: predicted %.0f MB > MemAvailable/2)" % (npk * 0.75 / 1024)
tsh_out = os.path.join(d, "tshark.out")
PIPE = "synack | cat"
tools = {"synack": ([synack, "-r", f], sruns, None),
         PIPE: ([synack, "-r", f], sruns, "|"),
         "synack --json": ([synack, "--json", "-r", f], sruns, None)}
if "tshark" not in skipped:
    tools["tshark"] = (tshark_cmd(f), 1, tsh_out)
if "ssldump" not in skipped:
    tools["ssldump"] = ([ssldump, "-n", "-r", f], runs, None)
st = {k: {"n": 0, "spent": 0.0, "best": None, "kb": 0, "cpu": None} for k in tools}
for i in range(max(runs, sruns)):
    for tool, (cmd, maxn, outp) in tools.items():
        s = st[tool]
        if s["n"] >= maxn or (i and s["spent"] >= budget):
            continue
        if outp == "|":                     # into a pipe: synack -r F | cat >/dev/null
            with open(errf, "w") as err:
                t0 = time.perf_counter()
                p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
                c = subprocess.Popen(["cat"], stdin=p.stdout, stdout=subprocess.DEVNULL)
                p.stdout.close()
                _, status, ru = os.wait4(p.pid, 0)
                c.wait()
                t = time.perf_counter() - t0
        else:
            with open(errf, "w") as err, open(outp or os.devnull, "w") as out:
                t0 = time.perf_counter()
                p = subprocess.Popen(cmd, stdout=out, stderr=err)
                _, status, ru = os.wait4(p.pid, 0)
                t = time.perf_counter() - t0
        rc = os.waitstatus_to_exitcode(status)
        if rc != 0 and not (tool.startswith("synack") and rc == 1):
            sys.exit("bench: %s exited %d on %s: %s" % (tool, rc, name, errtext()))
        s["n"] += 1
        s["spent"] += t
        s["kb"] = max(s["kb"], ru.ru_maxrss)
        if s["best"] is None or t < s["best"]:
            s["best"], s["cpu"] = t, ru.ru_utime + ru.ru_stime
print()

print("%-20s %10s %9s  %-14s %4s %8s %8s %11s %12s %8s" % ("file", "handshakes", "packets", "tool",
      "runs", "seconds", "cpu s", "packets/s", "handshakes/s", "peak MB"))
for tool in ("synack", PIPE, "synack --json", "tshark", "ssldump"):
    if tool in st:
        s = st[tool]
        print("%-20s %10d %9d  %-14s %4d %8.3f %8.3f %11.0f %12.0f %8.1f" % (name, conns, npk, tool,
              s["n"], s["best"], s["cpu"], npk / s["best"], conns / s["best"], s["kb"] / 1024))
    else:
        print("%-20s %10d %9d  %-14s %s" % (name, conns, npk, tool, skipped[tool]))
print("(synack: the default text output, to /dev/null; synack | cat: the same into a pipe to cat,\n"
      " whose output goes to /dev/null (cpu s and peak MB are synack's); the others to /dev/null,\n"
      " tshark's to a file that is counted below)")
print()
sy, sj = st["synack"], st["synack --json"]
print("ratios (time of the other tool / time of synack with the default output; peak memory likewise;\n"
      "        in brackets the same against synack --json):")
ratio, ratio_j = {}, {}
for tool in ("tshark", "ssldump"):
    if tool in st:
        ratio[tool] = (st[tool]["best"] / sy["best"], st[tool]["kb"] / sy["kb"])
        ratio_j[tool] = (st[tool]["best"] / sj["best"], st[tool]["kb"] / sj["kb"])
        print("  %-8s %7.1fx time %7.1fx memory   (--json: %.1fx time %.1fx memory)" % (tool,
              ratio[tool][0], ratio[tool][1], ratio_j[tool][0], ratio_j[tool][1]))
    else:
        print("  %-8s %s" % (tool, skipped[tool]))
print()
miss = 0
def verdict(ok):
    global miss
    miss += not ok
    return "PASS" if ok else "FAIL"
print("targets (synack with the default text output; best wall time, one core):")
pps, pps_pipe = npk / sy["best"], npk / st[PIPE]["best"]
print("(i) at least %.0f packets/s to /dev/null: %.0f packets/s  %s   (--json: %.0f packets/s)" %
      (target_pps, pps, verdict(pps >= target_pps), npk / sj["best"]))
print("(j) at least %.0f packets/s into a pipe (| cat >/dev/null): %.0f packets/s  %s" %
      (target_pipe, pps_pipe, verdict(pps_pipe >= target_pipe)))
print("(k) default text output on this %d-connection capture under %g KiB (%d bytes): %d bytes  %s" %
      (conns, target_kb, target_kb * 1024, tbytes, verdict(tbytes < target_kb * 1024)))
if "tshark" in ratio:
    print("(d) at least %gx faster than tshark -T fields: %.1fx  %s   (--json: %.1fx)" % (target_x,
          ratio["tshark"][0], verdict(ratio["tshark"][0] >= target_x), ratio_j["tshark"][0]))
else:
    print("(d) at least %gx faster than tshark -T fields: not measured (%s)" % (target_x,
          skipped["tshark"]))
if "ssldump" in ratio:
    print("(e) at least %gx faster than ssldump -n: %.1fx  %s   (--json: %.1fx)" % (target_ssldump,
          ratio["ssldump"][0], verdict(ratio["ssldump"][0] >= target_ssldump), ratio_j["ssldump"][0]))
else:
    print("(e) at least %gx faster than ssldump -n: not measured (%s)" % (target_ssldump,
          skipped["ssldump"]))
print("(f) peak memory at most %g MB: %.1f MB  %s   (--json: %.1f MB)" % (target_mb, sy["kb"] / 1024,
      verdict(sy["kb"] / 1024 <= target_mb), sj["kb"] / 1024))

bad = 0
detail = " + ".join("%d x %s" % (k, os.path.basename(t)) for t, k in copies.items())
print("correctness: synack by_code %s, exit status %d (--json) and %d (default output): %s (%s)" % (
      json.dumps(summ.get("by_code"), sort_keys=True), rc_json, trc,
      "as replicated" if not why else "FAIL: " + "; ".join(why), detail))
bad += bool(why)
if "tshark" in st:
    sni, alerts, vers = tshark_counts(open(tsh_out, errors="replace").read())
    want_sni = sum(tpl[t]["sni"] * k for t, k in copies.items())
    want_alerts = sum(tpl[t]["alerts"] * k for t, k in copies.items())
    ok = sni == want_sni == conns and alerts == want_alerts
    bad += not ok
    print("correctness: tshark printed %d SNIs for %d handshakes, %d alerts in clear (expected %d); "
          "ServerHello versions %s: %s" % (sni, conns, alerts, want_alerts,
          json.dumps(dict(sorted(vers.items()))), "ok" if ok else "FAIL"))
else:
    print("correctness: tshark's SNI count not checked (%s)" % skipped["tshark"])
sys.exit(4 if bad else 3 if miss else 0)
EOF
[ -n "${BENCH_DIR:-}" ] || rm -f "$f" "$dir/tshark.out"
echo
case $tstat in
0) ;;
3)
	if [ "$strict" -eq 1 ]; then
		echo "bench: FAIL: a tls target is missed (--strict)"
		status=1
	else
		echo "bench: tls target FAIL reported above; not fatal without --strict"
	fi ;;
4)
	echo "bench: FAIL: synack's verdicts or tshark's SNI count differ from what was generated"
	status=1 ;;
*) die "tls part failed" ;;
esac
fi

# The flood and buffers parts share these helpers (written to the bench directory).
if [ "$do_flood" != 0 ] || [ "$do_buffers" != 0 ] || [ "$do_keyed" != 0 ]; then
cat >"$dir/stresslib.py" <<'EOF'
"""Helpers of bench.sh's flood and buffers parts: check runs, timed runs, tshark's budget."""
import json, os, subprocess, sys, time


def errtext(errf):
    return open(errf, errors="replace").read(300).strip()


def synack_json(cmd, errf):
    """One run of `synack --json`, its output streamed: (exit status, lines, summary or {})."""
    with open(errf, "w") as err:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        nl, tail, ng, carry = 0, b"", 0, b""
        while True:
            b = p.stdout.read(1 << 20)
            if not b:
                break
            nl += b.count(b"\n")
            # group objects (after the connections, before the summary) are not counted
            ng += (carry + b).count(b'\n{"type":"group"')
            carry = b[-15:]
            tail = (tail + b)[-65536:]
        rc = p.wait()
    try:
        summ = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])
    except ValueError:
        summ = {}
    return rc, nl - ng, summ


def compact(o):
    return json.dumps(o, separators=(",", ":"))


def run_once(cmd, errf):
    """(wall s, cpu s, peak RSS KB from wait4(), exit status); output discarded."""
    with open(errf, "w") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        t = time.perf_counter() - t0
    return t, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, os.waitstatus_to_exitcode(status)


def run_tools(tools, budget, errf, name):
    """tools: {label: (cmd, most runs)}, run alternately in rounds; best wall time of each
    (and the CPU time of that run), peak RSS the largest of its runs; no new run once a
    tool has spent `budget` s on the file. synack may exit 1 (failed verdicts)."""
    st = {k: {"n": 0, "spent": 0.0, "best": None, "kb": 0, "cpu": None} for k in tools}
    for i in range(max([m for _, m in tools.values()] or [0])):
        for tool, (cmd, maxn) in tools.items():
            s = st[tool]
            if s["n"] >= maxn or (i and s["spent"] >= budget):
                continue
            t, cpu, kb, rc = run_once(cmd, errf)
            if rc != 0 and not (tool.startswith("synack") and rc == 1):
                sys.exit("bench: %s exited %d on %s: %s" % (tool, rc, name, errtext(errf)))
            s["n"] += 1
            s["spent"] += t
            s["kb"] = max(s["kb"], kb)
            if s["best"] is None or t < s["best"]:
                s["best"], s["cpu"] = t, cpu
    return st


def tshark_budget(cmd_for, probe, scale, tmax, errf):
    """None if tshark may run on the whole capture, else why not: its time on the probe
    (a tenth of the capture) x scale x 2 (it grows faster than linearly: measured 1.6x
    over linear on the buffers capture) over tmax s, or its memory x scale over half
    of MemAvailable."""
    t, _, kb, rc = run_once(cmd_for(probe), errf)
    if rc != 0:
        sys.exit("bench: tshark exited %d on %s: %s" % (rc, os.path.basename(probe), errtext(errf)))
    pred_s, pred_kb = t * scale * 2, kb * scale
    avail = 0
    for l in open("/proc/meminfo"):
        if l.startswith("MemAvailable:"):
            avail = int(l.split()[1])
    if pred_s > tmax:
        return "skipped (budget: predicted %.0f s > %g s)" % (pred_s, tmax)
    if avail and pred_kb > avail / 2:
        return "skipped (budget: predicted %.0f MB > MemAvailable/2)" % (pred_kb / 1024)
    return None
EOF
fi

if [ "$do_flood" != 0 ]; then
echo "== flood: synack --json on a SYN flood vs tshark -q -z conv,tcp and tcpdump -nn =="
tsyn=$here/template_syn.pcap
[ -r "$tsyn" ] || die "$tsyn: not readable"
tv=$(tpl_verdict "$tsyn") || exit 2
fgap=$((flood_span_ms * 1000000 / flood_syns))
[ "$fgap" -ge 1 ] || fgap=1
echo "   ($flood_syns SYNs, each from its own address and port among $flood_hosts spoofed hosts, one every"
echo "    $fgap ns: all within $flood_span_ms ms of capture time, so all in flight at once (idle timeout 60 s);"
echo "    none answered; synack with default settings; template: one real SYN, bench/template_syn.pcap,"
echo "    whose verdict is ${tv% *}, exit status ${tv#* })"
need_mb=$((flood_syns * 110 / 1000000 + 100))
free_mb=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge "$need_mb" ] || die "$dir: ${free_mb} MB free, the flood capture needs about ${need_mb} MB"
f="$dir/flood-${flood_syns}syn.pcap"
fprobe="$dir/flood-probe.pcap"
t0=$(date +%s.%N)
"$gen" -t "$tsyn" -o "$f" -n "$flood_syns" -H "$flood_hosts" -g "$fgap" 2>"$dir/gen.err" ||
	die "generator failed: $(cat "$dir/gen.err")"
t1=$(date +%s.%N)
np=$(sed -n 's/^[^:]*: \([0-9]*\) packets, \([0-9]*\) connections.*/\1 \2/p' "$dir/gen.err")
[ -n "$np" ] || die "cannot read the counts from: $(cat "$dir/gen.err")"
[ "${np#* }" = "$flood_syns" ] || die "generator wrote ${np#* } connections, asked for $flood_syns"
np=${np% *}
[ "$np" = "$flood_syns" ] || die "generator wrote $np packets for $flood_syns one-SYN connections"
"$gen" -t "$tsyn" -o "$fprobe" -n $(((flood_syns + 9) / 10)) -H "$flood_hosts" -g "$fgap" 2>"$dir/gen.err" ||
	die "generator failed: $(cat "$dir/gen.err")"
printf 'generated %s: %s SYNs, %s client hosts, %s MB, in %.1f s\n' "$(basename "$f")" \
	"$flood_syns" "$flood_hosts" "$(($(wc -c <"$f") / 1000000))" "$(python3 -c "print($t1 - $t0)")"
sync "$f" 2>/dev/null || sync

fstat=0
python3 - "$f" "$fprobe" "$flood_syns" "$flood_hosts" "$runs $sruns" "$budget" "$tshark_max" "$dir" \
	"$synack" "$([ "$have_tshark" = 1 ] && echo "$tshark")" "$tcpdump" "$flood_target_mb" \
	"${tv% *}" "${tv#* }" <<'EOF' || fstat=$?
import os, sys
f, probe, syns, hosts = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
(runs, sruns), budget, tmax = map(int, sys.argv[5].split()), float(sys.argv[6]), float(sys.argv[7])
d, synack, tshark, tcpdump = sys.argv[8:12]
target_mb, tpl_code, tpl_rc = float(sys.argv[12]), sys.argv[13], int(sys.argv[14])
sys.path.insert(0, d)
from stresslib import compact, errtext, run_tools, synack_json, tshark_budget
name, errf = os.path.basename(f), os.path.join(d, "err")

# Check run (default settings; it also warms the page cache).
rc, nl, summ = synack_json([synack, "--json", "-r", f], errf)
b = summ.get("bounds") or {}
conns = summ.get("connections")
why = []
if summ.get("type") != "summary":
    why.append("last line is not the summary")
if rc != tpl_rc:
    why.append("exit status %d (expected %d, as on the template)%s" % (rc, tpl_rc,
               ": " + errtext(errf) if rc > 1 else ""))
if summ.get("packets") != syns:
    why.append("packets %s, generated %d" % (summ.get("packets"), syns))
if tpl_code != "tcp.no_answer" or summ.get("by_code") != {"tcp.no_answer": conns}:
    why.append("by_code %s (template: %s), expected only tcp.no_answer" %
               (compact(summ.get("by_code")), tpl_code))
if not isinstance(conns, int) or conns + b.get("after_eviction_packets", 0) != syns:
    why.append("connections %s + after_eviction_packets %d != %d SYNs" %
               (conns, b.get("after_eviction_packets", 0), syns))
elif nl != conns + 1 - b.get("oom_reports_dropped", 0):
    why.append("%d NDJSON lines (group objects aside), expected %d" % (nl, conns + 1 - b.get("oom_reports_dropped", 0)))
print("  check: %s" % ("ok: " + compact(summ) if not why else "FAIL: " + "; ".join(why)))
if isinstance(conns, int):
    ev = b.get("evicted_table_full", 0) + b.get("evicted_memory_limit", 0)
    print("  accounting: %d SYNs = %d connections (%d reported at the end of the capture, %d early: "
          "evicted_table_full %d, evicted_memory_limit %d) + %d after_eviction_packets; evicted_forgotten %d" %
          (syns, conns, conns - ev, ev, b.get("evicted_table_full", 0), b.get("evicted_memory_limit", 0),
           b.get("after_eviction_packets", 0), b.get("evicted_forgotten", 0)))

def tshark_cmd(path):
    return [tshark, "-r", path, "-q", "-z", "conv,tcp"]

skipped = {}
if not tshark:
    skipped["tshark"] = "skipped: tshark not installed"
else:
    why_t = tshark_budget(tshark_cmd, probe, syns / max(1, (syns + 9) // 10), tmax, errf)
    if why_t:
        skipped["tshark"] = why_t
tools = {"synack": ([synack, "--json", "-r", f], sruns)}
if "tshark" not in skipped:
    tools["tshark"] = (tshark_cmd(f), 1)
tools["tcpdump"] = ([tcpdump, "-nn", "-r", f], runs)
st = run_tools(tools, budget, errf, name)
print()
print("%-22s %7s %7s %8s  %-8s %4s %8s %8s %11s %8s" % ("file", "SYNs", "hosts", "packets", "tool",
      "runs", "seconds", "cpu s", "packets/s", "peak MB"))
for tool in ("synack", "tshark", "tcpdump"):
    if tool in st:
        s = st[tool]
        print("%-22s %7d %7d %8d  %-8s %4d %8.3f %8.3f %11.0f %8.1f" % (name, syns, hosts, syns, tool,
              s["n"], s["best"], s["cpu"], syns / s["best"], s["kb"] / 1024))
    else:
        print("%-22s %7d %7d %8d  %-8s %s" % (name, syns, hosts, syns, tool, skipped[tool]))
print()
sy = st["synack"]
print("ratios (time of the other tool / time of synack --json; peak memory likewise):")
for tool in ("tshark", "tcpdump"):
    if tool in st:
        print("  %-8s %7.1fx time %7.1fx memory" % (tool, st[tool]["best"] / sy["best"], st[tool]["kb"] / sy["kb"]))
    else:
        print("  %-8s %s" % (tool, skipped[tool]))
print()
mb = sy["kb"] / 1024
ok = mb < target_mb
print("targets:")
print("(g) synack --json peak memory under %g MB on %d unanswered SYNs, default settings: %.1f MB  %s" %
      (target_mb, syns, mb, "PASS" if ok else "FAIL"))
print("correctness: every connection tcp.no_answer, connections + after_eviction_packets = SYNs: %s" %
      ("ok" if not why else "FAIL: " + "; ".join(why)))
sys.exit(4 if why else 0 if ok else 3)
EOF
[ -n "${BENCH_DIR:-}" ] || rm -f "$f" "$fprobe"
echo
case $fstat in
0) ;;
3)
	if [ "$strict" -eq 1 ]; then
		echo "bench: FAIL: the flood target is missed (--strict)"
		status=1
	else
		echo "bench: flood target FAIL reported above; not fatal without --strict"
	fi ;;
4)
	echo "bench: FAIL: synack's summary on the SYN flood does not account for every SYN as tcp.no_answer"
	status=1 ;;
*) die "flood part failed" ;;
esac
fi

if [ "$do_buffers" != 0 ]; then
echo "== buffers: synack --json (default, --memory-limit $buf_limit) on full reassembly buffers vs tshark -q -z conv,tcp and tcpdump -nn =="
tbulk=$here/template_bulk.pcap
[ -r "$tbulk" ] || die "$tbulk: not readable"
tv=$(tpl_verdict "$tbulk") || exit 2
# Is --memory-limit there? `synack --help` lists only the commands, so ask the
# analysis itself: the option given on the template must not be a usage error (2).
have_limit=1
"$synack" --json --memory-limit "$buf_limit" -r "$tbulk" >/dev/null 2>&1 || [ $? -eq 1 ] || have_limit=0
echo "   (template: bench/template_bulk.pcap, a real TLS 1.3 download of 256 KiB, EDITED: the server's first"
echo "    data segment (its ServerHello) removed, so what the server sends after it waits behind a hole,"
echo "    up to synack's 64 KiB a direction (REASM_CAP); its verdict: ${tv% *}, exit status ${tv#* };"
echo "    $buf_k connections in flight, bench-gen -k $buf_k; $buf_hosts client hosts)"
# About 283 KB a connection.
need_mb=$((buf_conns * 33 / 100 + 100))
free_mb=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge "$need_mb" ] || die "$dir: ${free_mb} MB free, the buffers capture needs about ${need_mb} MB"
f="$dir/buffers-${buf_conns}c.pcap"
fprobe="$dir/buffers-probe.pcap"
t0=$(date +%s.%N)
"$gen" -t "$tbulk" -o "$f" -n "$buf_conns" -H "$buf_hosts" -k "$buf_k" 2>"$dir/gen.err" ||
	die "generator failed: $(cat "$dir/gen.err")"
t1=$(date +%s.%N)
np=$(sed -n 's/^[^:]*: \([0-9]*\) packets, \([0-9]*\) connections.*/\1 \2/p' "$dir/gen.err")
[ -n "$np" ] || die "cannot read the counts from: $(cat "$dir/gen.err")"
[ "${np#* }" = "$buf_conns" ] || die "generator wrote ${np#* } connections, asked for $buf_conns"
np=${np% *}
"$gen" -t "$tbulk" -o "$fprobe" -n $(((buf_conns + 9) / 10)) -H "$buf_hosts" -k "$buf_k" 2>"$dir/gen.err" ||
	die "generator failed: $(cat "$dir/gen.err")"
printf 'generated %s: %s connections, %s packets, %s MB, in %.1f s\n' "$(basename "$f")" \
	"$buf_conns" "$np" "$(($(wc -c <"$f") / 1000000))" "$(python3 -c "print($t1 - $t0)")"
sync "$f" 2>/dev/null || sync

bstat=0
python3 - "$f" "$fprobe" "$buf_conns" "$np" "$runs $sruns" "$budget" "$tshark_max" "$dir" \
	"$synack" "$([ "$have_tshark" = 1 ] && echo "$tshark")" "$tcpdump" "$buf_limit" "$have_limit" \
	"$buf_overhead_mb" "${tv% *}" "${tv#* }" <<'EOF' || bstat=$?
import os, sys
f, probe, conns, npk = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
(runs, sruns), budget, tmax = map(int, sys.argv[5].split()), float(sys.argv[6]), float(sys.argv[7])
d, synack, tshark, tcpdump = sys.argv[8:12]
limit, have_limit, overhead_mb = sys.argv[12], sys.argv[13] == "1", float(sys.argv[14])
tpl_code, tpl_rc = sys.argv[15], int(sys.argv[16])
sys.path.insert(0, d)
from stresslib import compact, errtext, run_tools, synack_json, tshark_budget
name, errf = os.path.basename(f), os.path.join(d, "err")
units = {"": 1 / (1 << 20), "K": 1 / 1024, "M": 1, "G": 1024}
u = limit[-1:].upper() if limit[-1:].isalpha() else ""
try:
    limit_mb = float(limit[:len(limit) - len(u)]) * units[u]
except (KeyError, ValueError):
    sys.exit("bench: BENCH_BUFFERS_LIMIT=%s: not a size (e.g. 64M)" % limit)
LIM = "synack --memory-limit %s" % limit
runs_of = {"synack": [synack, "--json", "-r", f]}
if have_limit:
    runs_of[LIM] = [synack, "--json", "--memory-limit", limit, "-r", f]

# Check runs (they also warm the page cache). Default settings: every connection as the
# template, no bound hit. With the limit: packets all counted; every generated connection
# reported once, evicted or not; more connections than generated only where evicted ones
# were forgotten (their later packets then start new ones), at most one each.
why, lim = [], {}
for tool, cmd in runs_of.items():
    rc, nl, summ = synack_json(cmd, errf)
    b = summ.get("bounds") or {}
    c = summ.get("connections")
    w = []
    if summ.get("type") != "summary":
        w.append("last line is not the summary")
    if rc > 1 or (tool == "synack" and rc != tpl_rc):
        w.append("exit status %d (template: %d)%s" % (rc, tpl_rc, ": " + errtext(errf) if rc > 1 else ""))
    if summ.get("packets") != npk:
        w.append("packets %s, generated %d" % (summ.get("packets"), npk))
    if tool == "synack":
        if c != conns:
            w.append("connections %s, generated %d" % (c, conns))
        if summ.get("by_code") != {tpl_code: conns}:
            w.append("by_code %s, expected {\"%s\":%d}" % (compact(summ.get("by_code")), tpl_code, conns))
    elif not isinstance(c, int) or not conns <= c <= conns + b.get("evicted_forgotten", 0):
        w.append("connections %s: not between %d generated and %d (+ evicted_forgotten)" %
                 (c, conns, conns + b.get("evicted_forgotten", 0)))
    if isinstance(c, int) and nl != c + 1 - b.get("oom_reports_dropped", 0):
        w.append("%d NDJSON lines (group objects aside), expected %d" % (nl, c + 1 - b.get("oom_reports_dropped", 0)))
    print("  check %s: %s" % (tool, "ok: " + compact(summ) if not w else "FAIL: " + "; ".join(w)))
    why += ["%s: %s" % (tool, x) for x in w]
    if tool == LIM:
        lim = summ

def tshark_cmd(path):
    return [tshark, "-r", path, "-q", "-z", "conv,tcp"]

skipped = {}
if not have_limit:
    skipped[LIM] = "skipped: --memory-limit not available"
if not tshark:
    skipped["tshark"] = "skipped: tshark not installed"
else:
    why_t = tshark_budget(tshark_cmd, probe, conns / max(1, (conns + 9) // 10), tmax, errf)
    if why_t:
        skipped["tshark"] = why_t
tools = {k: (cmd, sruns) for k, cmd in runs_of.items()}
if "tshark" not in skipped:
    tools["tshark"] = (tshark_cmd(f), 1)
tools["tcpdump"] = ([tcpdump, "-nn", "-r", f], runs)
st = run_tools(tools, budget, errf, name)
order = ["synack", LIM, "tshark", "tcpdump"]
print()
print("%-20s %6s %8s  %-28s %4s %8s %8s %11s %8s" % ("file", "conns", "packets", "tool", "runs",
      "seconds", "cpu s", "packets/s", "peak MB"))
for tool in order:
    if tool in st:
        s = st[tool]
        print("%-20s %6d %8d  %-28s %4d %8.3f %8.3f %11.0f %8.1f" % (name, conns, npk, tool, s["n"],
              s["best"], s["cpu"], npk / s["best"], s["kb"] / 1024))
    else:
        print("%-20s %6d %8d  %-28s %s" % (name, conns, npk, tool, skipped[tool]))
print()
print("ratios (time of the other tool / time of synack --json; peak memory likewise):")
for base in ("synack", LIM):
    if base not in st:
        continue
    parts = []
    for tool in ("tshark", "tcpdump"):
        if tool in st:
            parts.append("%s %6.1fx time %6.1fx memory" % (tool, st[tool]["best"] / st[base]["best"],
                         st[tool]["kb"] / st[base]["kb"]))
        else:
            parts.append("%s %s" % (tool, skipped[tool]))
    print("  %-28s %s" % (base + ":", "   ".join(parts)))
print()
miss = 0
print("targets:")
if LIM in st:
    b = lim.get("bounds") or {}
    mb, cap = st[LIM]["kb"] / 1024, limit_mb + overhead_mb
    ok = mb <= cap
    miss += not ok
    print("(h) with --memory-limit %s, synack peak memory at most %g MB + %g MB overhead = %g MB: %.1f MB  %s"
          % (limit, limit_mb, overhead_mb, cap, mb, "PASS" if ok else "FAIL"))
    print("    (default settings: %.1f MB)" % (st["synack"]["kb"] / 1024))
    extra = (lim.get("connections") or 0) - conns
    print("    evicted for memory: %d of %d connections (reported early, memory_limit); %d later packets "
          "of them counted, not analyzed; %d evicted connections forgotten%s" %
          (b.get("evicted_memory_limit", 0), conns, b.get("after_eviction_packets", 0),
           b.get("evicted_forgotten", 0),
           "; %d more connections than generated (later packets of forgotten ones taken for new "
           "connections)" % extra if extra > 0 else ""))
    print("    by_code: %s" % compact(lim.get("by_code")))
    if not b.get("evicted_memory_limit"):
        print("    (the limit was not reached: more connections in flight, BENCH_BUFFERS_CONCURRENCY, would test it)")
else:
    print("(h) with --memory-limit %s, synack peak memory at most %g MB + %g MB: not measured (%s)" %
          (limit, limit_mb, overhead_mb, skipped[LIM]))
print("correctness: %s" % ("summaries as generated (default: every connection %s%s)" % (tpl_code,
      "; with the limit: every packet and connection accounted for" if LIM in st else "")
      if not why else "FAIL: " + "; ".join(why)))
sys.exit(4 if why else 3 if miss else 0)
EOF
[ -n "${BENCH_DIR:-}" ] || rm -f "$f" "$fprobe"
echo
case $bstat in
0) ;;
3)
	if [ "$strict" -eq 1 ]; then
		echo "bench: FAIL: the buffers target is missed (--strict)"
		status=1
	else
		echo "bench: buffers target FAIL reported above; not fatal without --strict"
	fi ;;
4)
	echo "bench: FAIL: synack's summaries on the buffers capture are not what was generated"
	status=1 ;;
*) die "buffers part failed" ;;
esac
fi

if [ "$do_keyed" != 0 ]; then
echo "== keyed: synack without and with --keylog on TLS 1.3 handshakes (issue 14) =="
tk=$here/template_keyed.pcap
kk=$here/template_keyed.keys
[ -r "$tk" ] && [ -r "$kk" ] || die "$tk or $kk: not readable"
tv=$(tpl_verdict "$tk") || exit 2
echo "   (template: bench/template_keyed.pcap, a real TLS 1.3 connection recorded by make_template.sh -k,"
echo "    ${tv% *}, exit status ${tv#* }; key log: bench/template_keyed.keys, the client's own (4 traffic"
echo "    secrets); bench-gen rewrites addresses, ports and sequence numbers but not the TLS bytes, so every"
echo "    copy has the template's ClientHello random and is decrypted with the same secrets, keyed afresh"
echo "    for each connection; $concurrency connections in flight, bench-gen -k $concurrency; $keyed_hosts client hosts)"
need_mb=$((keyed_conns * 3 / 1000 + 100))
free_mb=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge "$need_mb" ] || die "$dir: ${free_mb} MB free, the keyed capture needs about ${need_mb} MB"
f="$dir/keyed-${keyed_conns}c.pcap"
t0=$(date +%s.%N)
"$gen" -t "$tk" -o "$f" -n "$keyed_conns" -H "$keyed_hosts" -k "$concurrency" 2>"$dir/gen.err" ||
	die "generator failed: $(cat "$dir/gen.err")"
t1=$(date +%s.%N)
np=$(sed -n 's/^[^:]*: \([0-9]*\) packets, \([0-9]*\) connections.*/\1 \2/p' "$dir/gen.err")
[ -n "$np" ] || die "cannot read the counts from: $(cat "$dir/gen.err")"
[ "${np#* }" = "$keyed_conns" ] || die "generator wrote ${np#* } connections, asked for $keyed_conns"
np=${np% *}
printf 'generated %s: %s connections, %s packets, %s MB, in %.1f s\n' "$(basename "$f")" \
	"$keyed_conns" "$np" "$(($(wc -c <"$f") / 1000000))" "$(python3 -c "print($t1 - $t0)")"
sync "$f" 2>/dev/null || sync

kstat=0
python3 - "$f" "$kk" "$keyed_conns" "$np" "$keyed_runs" "$dir" "$synack" "$keyed_target" \
	"${tv% *}" "${tv#* }" <<'EOF' || kstat=$?
import json, os, subprocess, sys
f, keys, conns, npk, sruns, d, synack = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
    int(sys.argv[5]), sys.argv[6], sys.argv[7]
target, tpl_code, tpl_rc = float(sys.argv[8]), sys.argv[9], int(sys.argv[10])
sys.path.insert(0, d)
from stresslib import compact, errtext, run_tools
name, errf = os.path.basename(f), os.path.join(d, "err")
K = "synack --keylog"
runs_of = {"synack": [synack, "-r", f], K: [synack, "--keylog", keys, "-r", f]}
DEC, FIN = b'"decrypted":{"handshake":true', b'"finished":{"client":true,"server":true}'

# Check runs (they also warm the page cache): --json without and with the key log, every
# connection the template's verdict; with it, every connection decrypted with both Finished.
why = []
for tool, cmd in (("synack --json", [synack, "--json", "-r", f]),
                  ("synack --json --keylog", [synack, "--json", "--keylog", keys, "-r", f])):
    dec = fin = 0
    tail, rest = b"", b""
    with open(errf, "w") as err:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        while True:
            b = p.stdout.read(1 << 20)
            if not b:
                break
            # count in whole lines only, so that no match is split or counted twice
            w = rest + b
            cut = w.rfind(b"\n") + 1
            dec += w[:cut].count(DEC)
            fin += w[:cut].count(FIN)
            rest = w[cut:]
            tail = (tail + b)[-65536:]
        rc = p.wait()
    dec += rest.count(DEC)
    fin += rest.count(FIN)
    try:
        summ = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])
    except ValueError:
        summ = {}
    w = []
    if rc != tpl_rc:
        w.append("exit status %d (template: %d)%s" % (rc, tpl_rc, ": " + errtext(errf) if rc > 1 else ""))
    if summ.get("packets") != npk or summ.get("connections") != conns:
        w.append("packets %s, connections %s; generated %d, %d" % (summ.get("packets"),
                 summ.get("connections"), npk, conns))
    if summ.get("by_code") != {tpl_code: conns}:
        w.append("by_code %s, expected {\"%s\":%d}" % (compact(summ.get("by_code")), tpl_code, conns))
    keyed = "--keylog" in cmd
    if keyed and (dec != conns or fin != conns):
        w.append("%d connections decrypted, %d with both Finished, of %d" % (dec, fin, conns))
    if not keyed and dec:
        w.append("%d connections decrypted without a key log" % dec)
    print("  check %s: %s" % (tool, ("ok: " + compact(summ) + ("; %d decrypted, both Finished" % fin
          if keyed else "")) if not w else "FAIL: " + "; ".join(w)))
    why += ["%s: %s" % (tool, x) for x in w]

# Timed runs, alternately, best of sruns each (no budget: both always get sruns).
st = run_tools({k: (cmd, sruns) for k, cmd in runs_of.items()}, 1e9, errf, name)
print()
print("%-22s %7s %8s  %-16s %4s %8s %8s %11s %8s" % ("file", "conns", "packets", "tool", "runs",
      "seconds", "cpu s", "packets/s", "peak MB"))
for tool in runs_of:
    s = st[tool]
    print("%-22s %7d %8d  %-16s %4d %8.3f %8.3f %11.0f %8.1f" % (name, conns, npk, tool, s["n"],
          s["best"], s["cpu"], npk / s["best"], s["kb"] / 1024))
ratio = st["synack"]["best"] / st[K]["best"]
ok = ratio >= target
print()
print("targets (synack with the default text output, to /dev/null; best wall time):")
print("(l) with the key log (every connection decrypted) at least %g x the packets/s without it: "
      "%.0f / %.0f = %.2f x  %s" % (target, npk / st[K]["best"], npk / st["synack"]["best"], ratio,
      "PASS" if ok else "FAIL"))
print("correctness: %s" % ("every connection %s; with the key log every one decrypted, both Finished"
      % tpl_code if not why else "FAIL: " + "; ".join(why)))
sys.exit(4 if why else 0 if ok else 3)
EOF
[ -n "${BENCH_DIR:-}" ] || rm -f "$f"
echo
case $kstat in
0) ;;
3)
	if [ "$strict" -eq 1 ]; then
		echo "bench: FAIL: the keyed target is missed (--strict)"
		status=1
	else
		echo "bench: keyed target FAIL reported above; not fatal without --strict"
	fi ;;
4)
	echo "bench: FAIL: synack's summaries on the keyed capture are not what was generated and decrypted"
	status=1 ;;
*) die "keyed part failed" ;;
esac
fi

[ "$status" -ne 0 ] || echo "bench: ok"
exit "$status"
