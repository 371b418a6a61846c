#!/bin/bash
# tests/cli/analyze.sh: `synack [OPTIONS] [EXPRESSION]`, the analysis command:
# exit statuses, usage errors, the NDJSON schema and its counts, evidence lines
# against `synack print`, text layout and color, --packets, --max-flows,
# --idle-timeout, -c, BPF, -w, and live verdicts (-G, SIGINT) on lo.
#
#   tests/cli/analyze.sh SYNACK_BINARY
#
# One line per check ("ok - name", "not ok - name: detail", "skip - name: why"),
# then "N passed, M failed[, K skipped]". Exit 1 if any check failed, else 0.
# Live-capture checks need root and `ip netns`; they are skipped otherwise.
set -u

NAME=analyze
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh" "$@"
# why_differs A B: first differing line of two files
why_differs() {
	if ! cmp -s "$1" "$2"; then
		echo "output differs ($(nlines "$1") vs $(nlines "$2") lines): $(diff "$1" "$2" | grep -m 1 '^[<>]' | cut -c 1-200)"
	fi
}
# why_status WANT: the last run exited WANT with nothing on stderr and something on stdout
why_status() {
	[ "$RC" = "$1" ] || echo "exit $RC, want $1 (stderr: $(first "$ERR"))"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
	[ -s "$OUT" ] || echo "stdout is empty"
}
mode() { stat -c %a "$1" 2>/dev/null; }

IS_ROOT=0
[ "$(id -u)" = 0 ] && IS_ROOT=1
HAVE_TCPDUMP=0
command -v tcpdump >/dev/null 2>&1 && HAVE_TCPDUMP=1
if ! command -v python3 >/dev/null 2>&1; then
	echo "$0: python3 is needed" >&2
	exit 77
fi

COMPLETED=$CONN/completed.client.pcap
SYNDROP=$CONN/syn_dropped.client.pcap
RST=$CAP/rst.pcap
NANO=$CAP/nano.pcapng
for f in "$COMPLETED" "$SYNDROP" "$RST" "$NANO" "$CAP/nano_pcap.pcap" \
	"$CONN/syn_dropped6.client.pcap" "$CONN/synack_dropped.client.pcap" "$CONN/closed_port.client.pcap"; do
	if [ ! -r "$f" ]; then
		echo "$0: fixture $f missing" >&2
		exit 2
	fi
done

# ---------------------------------------------------------------------------
# Helpers in Python: the NDJSON validator, text layout, a pcap merger.

# validate.py JSON RC PRINT_LINES [--nano|--micro|--hostile] [--packets] [--all-evidence] [--no-print]
# Prints what is wrong (one problem a line, at most 5), nothing if all is well.
#   --nano/--micro  timestamps have 9/6 decimals, first_ts <= last_ts
#   --hostile       a mutated capture: timestamps may be anything, and a
#                   connection's SYN-ACKs may disagree with print's table
#   --all-evidence  every evidence line = print's (for -S)
#   --no-print      PRINT_LINES unknown (live): no frame checks
cat >"$T/validate.py" <<'EOF'
import json, re, sys
from collections import Counter

path, rc, print_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
flags = set(sys.argv[4:])
problems = []
def bad(msg):
    problems.append(msg)

with open(print_path, encoding="utf-8", errors="surrogateescape") as f:
    plines = f.read().split("\n")
if plines and plines[-1] == "":
    plines.pop()
with open(path, "rb") as f:
    raw = f.read()

objs, rawlines = [], []
if raw and not raw.endswith(b"\n"):
    bad("output does not end with a newline")
for i, l in enumerate(raw.split(b"\n")[:-1] if raw.endswith(b"\n") else raw.split(b"\n")):
    try:
        s = l.decode("utf-8")
    except UnicodeDecodeError as e:
        bad(f"line {i + 1} is not UTF-8: {e}")
        continue
    try:
        o = json.loads(s)
    except ValueError as e:
        bad(f"line {i + 1} is not JSON: {e}: {s[:100]}")
        continue
    if not isinstance(o, dict):
        bad(f"line {i + 1} is not an object")
        continue
    objs.append(o)
    rawlines.append(s)

def keys(o, want, where):
    if not isinstance(o, dict):
        bad(f"{where} is not an object: {o!r}")
        return False
    miss = [k for k in want if k not in o]
    if miss:
        bad(f"{where} lacks {','.join(miss)}")
        return False
    return True

def isint(x):
    return isinstance(x, int) and not isinstance(x, bool)

ts_re = re.compile(r"^\d\d:\d\d:\d\d\.(\d+) ")
if not objs:
    bad("no output objects")
else:
    summ = objs[-1]
    if summ.get("type") != "summary":
        bad(f"last object is not the summary: type {summ.get('type')!r}")
    if sum(1 for o in objs if o.get("type") == "summary") != 1:
        bad("not exactly one summary object")
    keys(summ, ["type", "connections", "ok", "failed", "by_code", "packets", "elapsed_s"], "summary")
    conns = [o for o in objs[:-1] if o.get("type") == "connection"]
    pkts = [o for o in objs[:-1] if o.get("type") == "packet"]
    other = [o.get("type") for o in objs[:-1] if o.get("type") not in ("connection", "packet")]
    if other:
        bad(f"objects of unknown type {other[:3]}")
    if pkts and "--packets" not in flags:
        bad(f"{len(pkts)} packet objects without --packets")
    if "--packets" in flags:
        frames = [p.get("frame") for p in pkts]
        if frames != list(range(1, len(plines) + 1)):
            bad(f"packet frames are not 1..{len(plines)} in order: {frames[:8]}")
        for p in pkts:
            fr = p.get("frame")
            if isint(fr) and 1 <= fr <= len(plines) and p.get("line") != plines[fr - 1]:
                bad(f"packet frame {fr}: {p.get('line')!r} is not print's {plines[fr - 1]!r}")
                break
    if summ.get("connections") != len(conns):
        bad(f"summary.connections {summ.get('connections')} but {len(conns)} connection objects")
    codes = Counter()
    nok = nfail = 0
    ids = []
    pk_total = 0
    for n, c in enumerate(conns):
        w = f"connection #{n + 1}"
        if not keys(c, ["type", "id", "transport", "client", "server", "first_ts", "last_ts", "packets",
                        "payload_bytes", "tcp", "tls", "verdict", "evidence"], w):
            continue
        ids.append(c["id"])
        if c["transport"] != "tcp":
            bad(f"{w}: transport {c['transport']!r}")
        for side in ("client", "server"):
            if keys(c[side], ["ip", "port"], f"{w}.{side}"):
                if not isinstance(c[side]["ip"], str) or not isint(c[side]["port"]):
                    bad(f"{w}.{side}: types {c[side]!r}")
        for k in ("packets", "payload_bytes"):
            if keys(c[k], ["client", "server"], f"{w}.{k}"):
                if not (isint(c[k]["client"]) and isint(c[k]["server"])):
                    bad(f"{w}.{k}: not integers")
        if isint(c["packets"].get("client")) and isint(c["packets"].get("server")):
            pk_total += c["packets"]["client"] + c["packets"]["server"]
        if not (isinstance(c["first_ts"], (int, float)) and isinstance(c["last_ts"], (int, float))
                and (c["first_ts"] <= c["last_ts"] or "--hostile" in flags)):
            bad(f"{w}: first_ts {c['first_ts']!r} last_ts {c['last_ts']!r}")
        t = c["tcp"]
        if keys(t, ["handshake", "syn_count", "syn_intervals_ms", "synack_count", "rtt_ms", "close",
                    "icmp", "conn_state", "history"], f"{w}.tcp"):
            keys(t["rtt_ms"], ["syn_to_synack", "synack_to_ack"], f"{w}.tcp.rtt_ms")
            if not isinstance(t["syn_intervals_ms"], list):
                bad(f"{w}.tcp.syn_intervals_ms is not a list")
            if not isint(t["syn_count"]) or not isint(t["synack_count"]):
                bad(f"{w}.tcp: syn_count/synack_count not integers")
            if not isinstance(t["conn_state"], str) or not isinstance(t["history"], str):
                bad(f"{w}.tcp: conn_state/history not strings")
        if c["tls"] is not None:
            keys(c["tls"], ["client_hello", "server_hello", "alerts", "certificates", "established",
                            "version", "cipher"], f"{w}.tls")
        v = c["verdict"]
        if keys(v, ["code", "layer", "ok", "summary", "explanation", "next_step"], f"{w}.verdict"):
            if not isinstance(v["ok"], bool):
                bad(f"{w}.verdict.ok is not a boolean")
            for k in ("code", "layer", "summary", "explanation", "next_step"):
                if not isinstance(v[k], str) or not v[k]:
                    bad(f"{w}.verdict.{k} is empty or not a string")
            if isinstance(v["code"], str) and not re.fullmatch(r"(tcp|tls)\.[a-z_]+", v["code"]):
                bad(f"{w}: verdict code {v['code']!r}")
            codes[v["code"]] += 1
            if v["ok"] is True:
                nok += 1
            else:
                nfail += 1
        ev = c["evidence"]
        if not isinstance(ev, list) or not ev:
            bad(f"{w}: evidence is empty or not a list")
            continue
        frames = []
        for e in ev:
            if not keys(e, ["frame", "line"], f"{w}.evidence[]"):
                break
            frames.append(e["frame"])
            fr = e["frame"]
            noprint = "--no-print" in flags
            if not isint(fr) or (not noprint and not 1 <= fr <= len(plines)):
                bad(f"{w}: evidence frame {fr!r} not in 1..{len(plines)}")
                break
            m = ts_re.match(e["line"]) if isinstance(e["line"], str) else None
            if "--hostile" in flags:
                pass
            elif not m:
                bad(f"{w}: evidence line without a timestamp: {e['line'][:80]!r}")
            elif "--nano" in flags and len(m.group(1)) != 9:
                bad(f"{w}: evidence timestamp not 9 decimals: {e['line'][:30]!r}")
            elif "--micro" in flags and len(m.group(1)) != 6:
                bad(f"{w}: evidence timestamp not 6 decimals: {e['line'][:30]!r}")
            # print's relative sequence table is one per file, ours one per
            # connection: they agree when the SYN-ACK is in the file (or with -S)
            if noprint:
                continue
            if ("--all-evidence" in flags or (t.get("synack_count", 0) > 0 and "--hostile" not in flags)) \
                    and e["line"] != plines[fr - 1]:
                bad(f"{w}: evidence frame {fr}: {e['line']!r} != print's {plines[fr - 1]!r}")
        if frames != sorted(set(frames)):
            bad(f"{w}: evidence frames not ascending and unique: {frames[:10]}")
    if len(set(map(str, ids))) != len(ids):
        bad("connection ids are not unique")
    if summ.get("by_code") != dict(codes):
        bad(f"summary.by_code {summ.get('by_code')} but verdicts {dict(codes)}")
    if summ.get("ok") != nok or summ.get("failed") != nfail:
        bad(f"summary ok/failed {summ.get('ok')}/{summ.get('failed')} but verdicts {nok}/{nfail}")
    if "--no-print" in flags:
        pass
    elif summ.get("packets") != len(plines):
        bad(f"summary.packets {summ.get('packets')} but print has {len(plines)} lines")
    if pk_total > len(plines) and "--no-print" not in flags:
        bad(f"connections hold {pk_total} packets, the file has {len(plines)}")
    want_rc = 0 if nfail == 0 else 1
    if rc != want_rc:
        bad(f"exit status {rc}, want {want_rc} ({nfail} failed)")
    for k in ("--nano", "--micro"):
        if k in flags:
            nd = 9 if k == "--nano" else 6
            for s in rawlines:
                for m in re.finditer(r'"(first_ts|last_ts)":(\d+)(?:\.(\d+))?', s):
                    if len(m.group(3) or "") != nd:
                        bad(f"{m.group(0)}: want {nd} decimals")
                        break
for p in problems[:5]:
    print(p[:300])
EOF

# text.py FILE: what a text report holds, as "ESC n", "EVIDENCE n" (lines),
# "BLOCKS n" (verdicts), "WIDE n" (lines over 80 columns, evidence excepted)
# text.py --lint FILE...: "FILE: problem" for escapes and lines over 80 columns
cat >"$T/text.py" <<'EOF'
import os, re, sys
if sys.argv[1] == "--lint":
    for fn in sys.argv[2:]:
        text = open(fn, "rb").read().decode("utf-8", "replace")
        if "\x1b" in text:
            print(f"{os.path.basename(fn)}: escape bytes")
        for l in text.split("\n"):
            if len(l) > 80 and not re.match(r"^  (frames| {6}) +[0-9]+  ", l):
                print(f"{os.path.basename(fn)}: {len(l)} columns: {l[:100]}")
                break
    sys.exit(0)
data = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
ev = re.compile(r"^  (frames| {6}) +[0-9]+  ")
esc = data.count("\x1b")
plain = re.sub(r"\x1b\[[0-9;]*m", "", data)
wide, nev, blocks = [], 0, 0
for l in plain.split("\n"):
    if ev.match(l):
        nev += 1
        continue
    if re.match(r"^\[(ok|FAIL)\] ", l):
        blocks += 1
    if len(l) > 80:
        wide.append(l)
print("ESC", esc)
print("EVIDENCE", nev)
print("BLOCKS", blocks)
print("WIDE", len(wide))
for l in wide[:2]:
    print("wide:", len(l), l[:120])
EOF
# textfact FILE KEY: one number from text.py's answer
textfact() { python3 "$T/text.py" "$1" | awk -v k="$2" '$1 == k { print $2 }'; }

# merge.py OUT IN:SHIFT_S ...: one Ethernet microsecond pcap of several,
# each shifted to start SHIFT_S seconds after the first file's first packet
cat >"$T/merge.py" <<'EOF'
import struct, sys
out, pkts, base = sys.argv[1], [], None
for arg in sys.argv[2:]:
    fn, shift = arg.rsplit(":", 1)
    d = open(fn, "rb").read()
    magic, _, _, _, _, snap, link = struct.unpack("<IHHiIII", d[:24])
    assert magic == 0xa1b2c3d4 and link == 1, fn
    off, first = 24, None
    while off + 16 <= len(d):
        s, us, incl, orig = struct.unpack("<IIII", d[off:off + 16])
        t = s * 1000000 + us
        if first is None:
            first = t
        if base is None:
            base = t
        nt = base + (t - first) + int(float(shift) * 1e6)
        pkts.append((nt, len(pkts), d[off + 16:off + 16 + incl], orig))
        off += 16 + incl
pkts.sort()
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    for t, _, data, orig in pkts:
        f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(data), orig) + data)
EOF

# jq-like one-liners over an NDJSON file
jsum() {   # FILE PYEXPR over conns (list of connection objects) and summ
	python3 -c '
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
conns = [o for o in objs if o.get("type") == "connection"]
summ = objs[-1] if objs else {}
print(eval(sys.argv[2]))' "$@" 2>&1
}

# ---------------------------------------------------------------------------
# Exit statuses and usage errors.

run "$SYNACK" -r "$COMPLETED"
check "completed.client.pcap: exit 0" "$(why_status 0)"
run "$SYNACK" -r "$SYNDROP"
check "syn_dropped.client.pcap: exit 1" "$(why_status 1)"
run "$SYNACK" -r "$COMPLETED" --json
check "completed.client.pcap --json: exit 0" "$(why_status 0)"
run "$SYNACK" -r "$SYNDROP" --json
check "syn_dropped.client.pcap --json: exit 1" "$(why_status 1)"
run "$SYNACK" -r "$CONN/closed_port.client.pcap"
check "closed_port.client.pcap: exit 1" "$(why_status 1)"
run "$SYNACK" -r - <"$SYNDROP"
check "-r - (stdin): exit 1 for syn_dropped" "$(why_status 1)"

expect_error "missing file" 2 'nosuch\.pcap: No such file' "$SYNACK" -r "$T/nosuch.pcap"
expect_error "missing file, --json" 2 'nosuch\.pcap: No such file' "$SYNACK" --json -r "$T/nosuch.pcap"
python3 -c 'import random, sys; r = random.Random(7); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(2048)))' >"$T/random.bin"
expect_error "random bytes" 2 'random\.bin: not a capture' "$SYNACK" -r "$T/random.bin"
expect_error "bad filter 'tcp port'" 2 'filter' "$SYNACK" -r "$COMPLETED" tcp port
expect_error "bad filter 'port 99999'" 2 'filter' "$SYNACK" -r "$COMPLETED" port 99999
expect_error "neither -r nor -i" 2 'no input' "$SYNACK" --json
for v in 0 -1 abc '' 1x nan inf 1e99 1e-300 0.0009; do
	expect_error "bad --idle-timeout '$v'" 2 '^synack: --idle-timeout: ' \
		"$SYNACK" -r "$COMPLETED" --idle-timeout "$v"
done
expect_error "bad --idle-timeout=abc" 2 '^synack: --idle-timeout: ' "$SYNACK" -r "$COMPLETED" --idle-timeout=abc
for v in 0 -1 abc '' 1x 1.5 99999999999999999999999; do
	expect_error "bad --max-flows '$v'" 2 '^synack: --max-flows: ' \
		"$SYNACK" -r "$COMPLETED" --max-flows "$v"
done
for v in bogus '' ALWAYS yes; do
	expect_error "bad --color='$v'" 2 '^synack: --color: ' "$SYNACK" -r "$COMPLETED" "--color=$v"
done
for v in 0 abc -1; do
	expect_error "bad -c '$v'" 2 '^synack: -c: ' "$SYNACK" -c "$v" -r "$COMPLETED"
done
expect_error "-G with -r" 2 '^synack: -G: ' "$SYNACK" -G 3 -r "$COMPLETED"
expect_error "-w - refused" 2 '^synack: -w -: ' "$SYNACK" -r "$COMPLETED" -w -
expect_error "-w - refused, --json" 2 '^synack: -w -: ' "$SYNACK" --json -r "$COMPLETED" -w -
mkdir "$T/wfail"
expect_error "-w with a bad filter" 2 'filter' "$SYNACK" -r "$COMPLETED" -w "$T/wfail/out.pcap" tcp port
expect_error "-w with a missing input" 2 'No such file' "$SYNACK" -r "$T/nosuch.pcap" -w "$T/wfail/out.pcap"
check "failed -w runs leave nothing behind" "$(ls -A "$T/wfail" | sed 's/^/left behind: /' | head -n 1)"

# usage_error NAME ARGS...: exit 2, stdout empty, a "synack: " line then the
# hint to --help on stderr: two lines
usage_error() {
	local name=$1
	shift
	run "$SYNACK" "$@"
	check "$name" "$(
		[ "$RC" = 2 ] || echo "exit $RC, want 2"
		[ -s "$OUT" ] && echo "stdout: $(first "$OUT")"
		[ "$(nlines "$ERR")" = 2 ] || echo "stderr is $(nlines "$ERR") lines, want 2"
		head -n 1 "$ERR" | grep -q '^synack: ' || echo "stderr's first line: $(first "$ERR")"
		[ "$(sed -n 2p "$ERR")" = "Try 'synack --help' for more." ] || echo "no hint after the error line")"
}
usage_error "unknown long option: exit 2, error then hint" --bogus -r "$COMPLETED"
usage_error "unknown short option: exit 2, error then hint" -x -r "$COMPLETED"
usage_error "--json=1: exit 2, error then hint" --json=1 -r "$COMPLETED"
usage_error "--idle-timeout without a value: exit 2, error then hint" -r "$COMPLETED" --idle-timeout
for h in --help -h; do
	run "$SYNACK" $h
	check "$h: exit 0, usage on stdout" "$(
		[ "$RC" = 0 ] || echo "exit $RC"
		grep -q '^usage: synack' "$OUT" || echo "stdout: $(first "$OUT")"
		[ -s "$ERR" ] && echo "stderr: $(first "$ERR")")"
done
run "$SYNACK" -r "$COMPLETED" --help
check "--help after options: exit 0, the analysis usage on stdout" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	grep -q -- '--idle-timeout' "$OUT" || echo "no --idle-timeout in: $(first "$OUT")"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")")"

# ---------------------------------------------------------------------------
# --json on every capture: valid NDJSON, schema, counts, evidence = print lines.

captures=()
for f in "$CONN"/*.pcap "$CAP"/*.pcap "$CAP"/*.pcapng; do
	[ -r "$f" ] && captures+=("$f")
done
[ "${#captures[@]}" -ge 40 ] || not_ok "fixtures" "only ${#captures[@]} captures found"
prec_of() {   # the timestamp precision flag for the validator
	case $1 in
	*hostile*) echo --hostile ;;
	*nano*) echo --nano ;;
	*) echo --micro ;;
	esac
}
for f in "${captures[@]}"; do
	b=${f##*/tests/}
	timeout 20 "$SYNACK" print -r "$f" >"$T/print" 2>/dev/null
	run "$SYNACK" -r "$f" --json
	check "--json $b: valid NDJSON, schema, counts, evidence = print" "$(
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC (stderr: $(first "$ERR"))"
		[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
		python3 "$T/validate.py" "$OUT" "$RC" "$T/print" "$(prec_of "$f")" 2>&1)"
done
# -S: absolute sequence numbers agree with print -S for every connection
for f in "$CAP"/hostile*.pcap "$RST" "$CONN/port_reuse.client.pcap" "$CONN/midstream.client.pcap" \
	"$CONN/synack_dropped.server.pcap" "$NANO"; do
	b=${f##*/tests/}
	timeout 20 "$SYNACK" print -S -r "$f" >"$T/print" 2>/dev/null
	run "$SYNACK" -S -r "$f" --json
	check "--json -S $b: every evidence line = print -S" "$(
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC (stderr: $(first "$ERR"))"
		python3 "$T/validate.py" "$OUT" "$RC" "$T/print" "$(prec_of "$f")" --all-evidence 2>&1)"
done
# -v: the same checks hold with every packet as evidence
for f in "$CAP/hostile.pcap" "$CAP/sack.pcap" "$NANO"; do
	b=${f##*/tests/}
	timeout 20 "$SYNACK" print -r "$f" >"$T/print" 2>/dev/null
	run "$SYNACK" -v -r "$f" --json
	check "--json -v $b: valid, evidence = print" "$(
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC (stderr: $(first "$ERR"))"
		python3 "$T/validate.py" "$OUT" "$RC" "$T/print" "$(prec_of "$f")" 2>&1)"
done
# known outcomes
run "$SYNACK" -r "$SYNDROP" --json
check "--json syn_dropped: one tcp.no_answer with 4 SYNs and 3 intervals" "$(jsum "$OUT" \
	'"" if [(c["verdict"]["code"], c["tcp"]["syn_count"], len(c["tcp"]["syn_intervals_ms"])) for c in conns] == [("tcp.no_answer", 4, 3)] else [(c["verdict"]["code"], c["tcp"]["syn_count"], c["tcp"]["syn_intervals_ms"]) for c in conns]')"
run "$SYNACK" -r "$NANO" --json
check "--json nanosecond pcapng: 9-decimal first_ts/last_ts" "$(
	grep -Eq '"first_ts":[0-9]+\.[0-9]{9},"last_ts":[0-9]+\.[0-9]{9},' "$OUT" || echo "no 9-decimal timestamps: $(first "$OUT" | cut -c 1-200)")"
run "$SYNACK" -r "$NANO" --color=never
check "text, nanosecond pcapng: 9-decimal evidence timestamps" "$(
	n=$(grep -Ec '^  (frames| {6}) +[0-9]+  [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9} ' "$OUT")
	[ "$n" -gt 0 ] || echo "no 9-decimal evidence line: $(grep -m 1 frames "$OUT")")"

# ---------------------------------------------------------------------------
# Text output: color, 80 columns, -v.

mkdir "$T/text"
d=
for loc in C C.UTF-8; do
	for f in "${captures[@]}"; do
		for v in "" -v; do
			o=$T/text/$loc${v}_${f##*/}
			LC_ALL=$loc timeout 20 "$SYNACK" -r "$f" --color=never $v >"$o" 2>"$ERR"
			r=$?
			[ "$r" = 0 ] || [ "$r" = 1 ] || d="$d $loc $v ${f##*/}: exit $r"
			[ -s "$ERR" ] && d="$d $loc $v ${f##*/}: stderr: $(first "$ERR")"
		done
	done
done
check "text --color=never (C and UTF-8 locales, with and without -v, every capture): no escapes, lines fit 80 columns" \
	"$d$(python3 "$T/text.py" --lint "$T"/text/* | head -n 3)"
run "$SYNACK" -r "$COMPLETED" --color=always
check "--color=always: escape sequences" "$(
	[ "$(textfact "$OUT" ESC)" -gt 0 ] || echo "no escape byte")"
run "$SYNACK" -r "$COMPLETED" --color
check "--color (no value) = always" "$(
	[ "$(textfact "$OUT" ESC)" -gt 0 ] || echo "no escape byte")"
run "$SYNACK" -r "$COMPLETED" --color=auto
check "--color=auto, stdout not a terminal: no escapes" "$(
	[ "$(textfact "$OUT" ESC)" = 0 ] || echo "$(textfact "$OUT" ESC) escape bytes")"
run "$SYNACK" -r "$COMPLETED"
check "default color, stdout not a terminal: no escapes" "$(
	[ "$(textfact "$OUT" ESC)" = 0 ] || echo "$(textfact "$OUT" ESC) escape bytes")"
run "$SYNACK" -r "$RST" --color=always --json
check "--json --color=always: no escapes in JSON" "$(
	grep -q $'\x1b' "$OUT" && echo "escape byte in JSON")"
run "$SYNACK" -r "$RST" --color=always
sed -E $'s/\x1b\\[[0-9;]*m//g' "$OUT" >"$T/stripped"
run "$SYNACK" -r "$RST" --color=never
check "--color=always minus its escapes = --color=never" "$(why_differs "$OUT" "$T/stripped")"

run "$SYNACK" -r "$RST" --color=never
check "text rst.pcap: 3 verdict blocks, summary line" "$(
	[ "$(textfact "$OUT" BLOCKS)" = 3 ] || echo "$(textfact "$OUT" BLOCKS) blocks"
	grep -Eq '^3 connections: 2 ok, 1 failed' "$OUT" || echo "no summary line")"

npk=$(timeout 20 "$SYNACK" print -r "$COMPLETED" | wc -l)
run "$SYNACK" -r "$COMPLETED" --color=never
nev=$(textfact "$OUT" EVIDENCE)
run "$SYNACK" -r "$COMPLETED" --color=never -v
nevv=$(textfact "$OUT" EVIDENCE)
check "-v (text): at least as many evidence lines as the short connection's $npk packets" "$(
	[ "$npk" -ge 4 ] || echo "print gave $npk lines"
	[ "$nevv" -ge "$npk" ] || echo "$nevv evidence lines with -v"
	[ "$nevv" -ge "$nev" ] || echo "fewer with -v ($nevv) than without ($nev)")"
run "$SYNACK" -r "$COMPLETED" --json -v
check "-v (json): evidence has every packet of the connection" "$(jsum "$OUT" \
	'"" if [len(c["evidence"]) for c in conns] == [c["packets"]["client"] + c["packets"]["server"] for c in conns] == ['"$npk"'] else [(len(c["evidence"]), c["packets"]) for c in conns]')"
# text evidence lines = json evidence lines
run "$SYNACK" -r "$RST" --json -v
jsum "$OUT" '"\n".join("%d %s" % (e["frame"], e["line"]) for c in conns for e in c["evidence"])' >"$T/jev"
run "$SYNACK" -r "$RST" -v --color=never
sed -nE 's/^  (frames|      ) +([0-9]+)  /\2 /p' "$OUT" >"$T/tev"
check "text evidence lines = json evidence lines (-v, rst.pcap)" "$(why_differs "$T/jev" "$T/tev")"

# ---------------------------------------------------------------------------
# --packets: every packet line too, in frame order.

# split.py TEXT PACKETS REPORT: verdict blocks (from "[ok] "/"[FAIL]" to the
# blank line after) and the summary (from "N connections:" on) go to REPORT,
# every other line to PACKETS
cat >"$T/split.py" <<'EOF2'
import re, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
if lines and lines[-1] == b"":
    lines.pop()
pk, rep, block, summ = [], [], False, False
for l in lines:
    if not block and not summ:
        if re.match(rb"^\[(ok|FAIL)\] ", l):
            block = True
        elif re.match(rb"^[0-9]+ connections?: ", l):
            summ = True
    (rep if block or summ else pk).append(l)
    if block and l == b"":
        block = False
open(sys.argv[2], "wb").write(b"".join(l + b"\n" for l in pk))
open(sys.argv[3], "wb").write(b"".join(l + b"\n" for l in rep))
EOF2
# packets_text NAME FILE [OPTIONS]: --packets text = print's lines + the report
packets_text() {
	local name=$1 f=$2
	shift 2
	timeout 20 "$SYNACK" print -r "$f" >"$T/print" 2>/dev/null
	run "$SYNACK" -r "$f" --color=never "$@"
	cp "$OUT" "$T/report"
	run "$SYNACK" -r "$f" --color=never --packets "$@"
	python3 "$T/split.py" "$OUT" "$T/plines" "$T/rest"
	check "$name" "$(
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC"
		[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
		why_differs "$T/print" "$T/plines"
		why_differs "$T/report" "$T/rest")"
}
packets_text "--packets (text, verdicts interleaved) syn_dropped --idle-timeout 0.5: packet lines = print, report unchanged" \
	"$SYNDROP" --idle-timeout 0.5
run "$SYNACK" -r "$SYNDROP" --color=never --packets --idle-timeout 0.5
check "--packets (text) --idle-timeout 0.5: each verdict follows its packet, in frame order" "$(
	got=$(grep -Eo '^[0-9:.]+ IP|^\[FAIL\]' "$OUT" | awk '{ print $NF }' | tr '\n' ' ')
	[ "$got" = "IP IP [FAIL] IP [FAIL] IP [FAIL] [FAIL] " ] || echo "order: $got")"
for f in "$RST" "$NANO" "$CAP/hostile.pcap"; do
	b=${f##*/tests/}
	packets_text "--packets (text) $b: packet lines = print, report unchanged" "$f"
	run "$SYNACK" -r "$f" --packets --json
	check "--packets (json) $b: packet objects in frame order = print, report valid" "$(
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC"
		python3 "$T/validate.py" "$OUT" "$RC" "$T/print" "$(prec_of "$f")" --packets 2>&1)"
done

# ---------------------------------------------------------------------------
# --max-flows and --idle-timeout.

# five attempts, three of them (3 s of SYN retries each) overlapping
python3 "$T/merge.py" "$T/conc.pcap" "$SYNDROP:0" "$CONN/syn_dropped6.client.pcap:0.2" \
	"$CONN/synack_dropped.client.pcap:0.4" "$COMPLETED:0.6" "$CONN/closed_port.client.pcap:0.8"
timeout 20 "$SYNACK" print -r "$T/conc.pcap" >"$T/print" 2>/dev/null
nsyn=$(grep -c 'Flags \[S\]' "$T/print")
ntcp=$(grep -c 'Flags \[' "$T/print")
run "$SYNACK" -r "$T/conc.pcap" --json
cp "$OUT" "$T/conc.json"
check "concurrent attempts (merged capture): 5 connections, valid" "$(
	python3 "$T/validate.py" "$OUT" "$RC" "$T/print" --micro 2>&1
	r=$(jsum "$OUT" 'len(conns)')
	[ "$r" = 5 ] || echo "$r connections, want 5")"
for mf in 1 2; do
	run "$SYNACK" -r "$T/conc.pcap" --json --max-flows $mf
	check "--max-flows $mf: valid, every attempt reported once, evictions counted, packets add up, exit 1, stderr says so" "$(
		python3 "$T/validate.py" "$OUT" "$RC" "$T/print" --micro 2>&1
		[ "$RC" = 1 ] || echo "exit $RC"
		grep -q '^synack: warning: .* reported before .* ended (the connection table was full: raise --max-flows); [0-9]* later packets\? of them counted, not analyzed$' "$ERR" || echo "stderr: $(first "$ERR")"
		jsum "$OUT" '"" if len(conns) == 5 else "%d connections, want 5 (an evicted one came back?)" % len(conns)'
		jsum "$OUT" '"" if summ["bounds"]["evicted_table_full"] == sum(c["reported_because"] == "table_full" for c in conns) > 0 else summ'
		jsum "$OUT" '"" if all(not c["verdict"]["ok"] and "reported early" in c["verdict"]["summary"] for c in conns if c["reported_because"] == "table_full") else "an evicted connection is ok"'
		jsum "$OUT" '"" if sum(c["packets"]["client"] + c["packets"]["server"] for c in conns) + summ["bounds"].get("after_eviction_packets", 0) == '"$ntcp"' else "packets sum to %d + %d after eviction, the file has '"$ntcp"' TCP packets" % (sum(c["packets"]["client"] + c["packets"]["server"] for c in conns), summ["bounds"].get("after_eviction_packets", 0))'
		python3 - "$T/conc.json" "$OUT" <<'EOF'
import json, sys
def tuples(fn):
    objs = [json.loads(l) for l in open(fn)]
    return {(c["client"]["ip"], c["client"]["port"], c["server"]["ip"], c["server"]["port"])
            for c in objs if c.get("type") == "connection"}
a, b = tuples(sys.argv[1]), tuples(sys.argv[2])
if a != b:
    print(f"connections {sorted(b)} != without --max-flows {sorted(a)}")
EOF
		)"
done
run "$SYNACK" -r "$T/conc.pcap" --max-flows 1 --color=never
check "--max-flows 1 (text): a block for every connection, summary agrees" "$(
	n=$(textfact "$OUT" BLOCKS)
	[ "$n" -ge 5 ] || echo "$n blocks"
	grep -Eq "^$n connections?: " "$OUT" || echo "summary: $(grep -m 1 connection "$OUT")")"

run "$SYNACK" -r "$SYNDROP" --json --idle-timeout 0.5
check "--idle-timeout 0.5 splits 1 s SYN retries: 4 connections of 1 SYN, counts add up" "$(
	timeout 20 "$SYNACK" print -r "$SYNDROP" >"$T/print" 2>/dev/null
	python3 "$T/validate.py" "$OUT" "$RC" "$T/print" --micro 2>&1
	jsum "$OUT" '"" if [c["tcp"]["syn_count"] for c in conns] == [1, 1, 1, 1] else [c["tcp"]["syn_count"] for c in conns]'
	jsum "$OUT" '"" if sum(c["tcp"]["syn_count"] for c in conns) == '"$(grep -c 'Flags \[S\]' "$T/print")"' else "syn_count sum"'
	[ "$RC" = 1 ] || echo "exit $RC")"
run "$SYNACK" -r "$SYNDROP" --json --idle-timeout 1.5
check "--idle-timeout 1.5 keeps 1 s SYN retries in one connection" "$(
	jsum "$OUT" '"" if [c["tcp"]["syn_count"] for c in conns] == [4] else [c["tcp"]["syn_count"] for c in conns]')"

# ---------------------------------------------------------------------------
# -c, BPF, -w.

run "$SYNACK" -r "$COMPLETED" -c 2 --json
check "-c 2: 2 packets analyzed, handshake not complete, exit 1" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	jsum "$OUT" '"" if summ["packets"] == 2 and sum(c["packets"]["client"] + c["packets"]["server"] for c in conns) == 2 and max(e["frame"] for c in conns for e in c["evidence"]) <= 2 else summ')"
run "$SYNACK" -r "$RST" -c 10 --json
check "-c 10 on rst.pcap: 2 connections from the first 10 packets" "$(
	jsum "$OUT" '"" if summ["packets"] == 10 and summ["connections"] == 2 else summ')"
run "$SYNACK" -r "$RST" -c 1000000 --json
check "-c larger than the file: everything" "$(
	jsum "$OUT" '"" if summ["packets"] == 20 and summ["connections"] == 3 else summ')"

run "$SYNACK" -r "$RST" --json port 5002
check "BPF 'port 5002': only the refused connection, exit 1" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	jsum "$OUT" '"" if [(c["server"]["port"], c["verdict"]["code"]) for c in conns] == [(5002, "tcp.refused")] and summ["packets"] == 2 else (summ, [c["server"]["port"] for c in conns])')"
run "$SYNACK" -r "$RST" --json tcp and dst port 5001 or src port 5001
check "BPF as several words: only the port 5001 connection, exit 0" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	jsum "$OUT" '"" if [c["server"]["port"] for c in conns] == [5001] else (summ, [c["server"]["port"] for c in conns])')"
run "$SYNACK" -r "$RST" --json 'tcp[tcpflags] & tcp-syn != 0'
check "BPF of SYNs only: every connection, never completed" "$(
	jsum "$OUT" '"" if summ["connections"] == 3 and all(c["tcp"]["handshake"] != "completed" for c in conns) else [(c["tcp"]["handshake"], c["verdict"]["code"]) for c in conns]')"
run "$SYNACK" -r "$RST" udp
check "BPF matching nothing: exit 0, 0 connections" "$(why_status 0)$(
	grep -q '^0 connections' "$OUT" || echo "summary: $(tail -n 1 "$OUT")")"

mkdir "$T/w"
umask_was=$(umask)
umask 022
run "$SYNACK" -r "$RST" --color=never
cp "$OUT" "$T/rst.report"
run "$SYNACK" -r "$RST" --color=never -w "$T/w/out.pcap"
check "-w: the report still prints, exit 1" "$(
	[ "$RC" = 1 ] || echo "exit $RC (stderr: $(first "$ERR"))"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
	why_differs "$T/rst.report" "$OUT")"
check "-w: file mode 0600 (umask 022), no temp file left" "$(
	[ "$(mode "$T/w/out.pcap")" = 600 ] || echo "mode '$(mode "$T/w/out.pcap")'"
	find "$T/w" -mindepth 1 ! -name out.pcap | sed 's/^/left: /')"
if [ "$HAVE_TCPDUMP" = 1 ]; then
	timeout 20 tcpdump -nn -r "$T/w/out.pcap" >"$T/got" 2>"$T/got.err"
	r=$?
	timeout 20 tcpdump -nn -r "$RST" >"$T/want" 2>/dev/null
	check "-w: tcpdump reads it, same packets as the input" "$(
		[ "$r" = 0 ] || echo "tcpdump exit $r: $(tail -n 1 "$T/got.err")"
		why_differs "$T/want" "$T/got")"
else
	skip "-w: tcpdump reads it" "tcpdump not installed"
fi
run "$SYNACK" -r "$RST" --json -w "$T/w/f.pcap" port 5002
check "-w with a filter and -c: only the filtered packets saved" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	n=$(timeout 20 "$SYNACK" print -r "$T/w/f.pcap" 2>&1 | wc -l)
	[ "$n" = 2 ] || echo "$n packets in the file, want 2")"
umask "$umask_was"

# ---------------------------------------------------------------------------
# Live capture on lo of a fresh network namespace.

LIVE_WHY=
if [ "$IS_ROOT" != 1 ]; then
	LIVE_WHY="not root"
elif ! command -v ip >/dev/null 2>&1; then
	LIVE_WHY="no ip(8)"
elif ! ip netns add "$NS" 2>"$T/ns.err"; then
	LIVE_WHY="ip netns add failed: $(head -n 1 "$T/ns.err")"
else
	NS_MADE=1
	if ! ip -n "$NS" link set lo up 2>"$T/ns.err"; then
		LIVE_WHY="cannot bring lo up in the namespace: $(head -n 1 "$T/ns.err")"
	fi
fi

# conn.py LISTEN_PORT CLOSED_PORT: one completed connection ("ping"/"pong",
# closed) to a listening socket, then, if CLOSED_PORT is not 0, one attempt
# refused by a closed port.
cat >"$T/conn.py" <<'EOF'
import socket, sys, threading
port, closed = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(4)
def serve():
    c, _ = s.accept()
    c.settimeout(3)
    c.recv(100)
    c.sendall(b"pong")
    c.close()
t = threading.Thread(target=serve)
t.start()
c = socket.create_connection(("127.0.0.1", port), timeout=3)
c.sendall(b"ping")
c.recv(100)
c.close()
t.join(5)
if closed:
    try:
        socket.create_connection(("127.0.0.1", closed), timeout=3)
        sys.exit("connected to the closed port")
    except ConnectionRefusedError:
        pass
EOF
# bg OUT ERR CMD...: start CMD in the namespace, bounded to 20 s; its pid in BG
bg() {
	local o=$1 e=$2
	shift 2
	ip netns exec "$NS" timeout 20 "$@" >"$o" 2>"$e" &
	BG=$!
	BG_PIDS+=("$BG")
}
# the synack under timeout(1), to signal it directly
child_of() {
	local c _
	for _ in $(seq 1 50); do
		c=$(pgrep -P "$1" 2>/dev/null | head -n 1)
		[ -n "$c" ] && { echo "$c"; return; }
		sleep 0.05
	done
	echo "$1"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
traffic() { ip netns exec "$NS" timeout 10 python3 "$T/conn.py" "$@" 2>>"$T/traffic.err"; }

if [ -n "$LIVE_WHY" ]; then
	for name in "-G 4: a closed connection's verdict prints before the end" \
		"-G 4: exits by itself within 6 s, two verdicts, exit 1" \
		"SIGINT --json: clean exit, valid JSON, summary, the connection reported"; do
		skip "live: $name" "$LIVE_WHY"
	done
else
	mkdir "$T/live"
	: >"$T/traffic.err"

	t0=$(now_ms)
	bg "$T/live/g4.out" "$T/live/g4.err" "$SYNACK" -i lo --color=never -G 4
	p=$BG
	sleep 0.5
	traffic 6001 6002
	tr=$?
	# a closed connection reports after a 1 s linger, well before -G ends (a
	# refused attempt may be retried, so it waits for the idle timeout or the end)
	sleep 1.8
	early=$(grep -Ec '^\[ok\] .*tcp\.completed$' "$T/live/g4.out")
	early_dt=$(($(now_ms) - t0))
	wait "$p"
	RC=$?
	dt=$(($(now_ms) - t0))
	check "live: -G 4: a closed connection's verdict prints before the end" "$(
		[ "$tr" = 0 ] || echo "traffic failed: $(tail -n 1 "$T/traffic.err")"
		[ "$early" = 1 ] || echo "no tcp.completed block yet after $early_dt ms: $(tr '\n' '|' <"$T/live/g4.out" | cut -c 1-100)"
		[ "$early_dt" -lt 3800 ] || echo "(checked late, at $early_dt ms)")"
	check "live: -G 4: exits by itself within 6 s, two verdicts, exit 1" "$(
		[ "$RC" = 1 ] || echo "exit $RC, want 1 (stderr: $(first "$T/live/g4.err"))"
		[ -s "$T/live/g4.err" ] && echo "stderr: $(first "$T/live/g4.err")"
		[ "$dt" -ge 3500 ] && [ "$dt" -le 6000 ] || echo "took $dt ms"
		[ "$(textfact "$T/live/g4.out" BLOCKS)" = 2 ] || echo "$(textfact "$T/live/g4.out" BLOCKS) verdict blocks"
		grep -Eq '^\[ok\] +127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:6001  tcp\.completed$' "$T/live/g4.out" ||
			echo "no tcp.completed block for port 6001"
		grep -Eq '^\[FAIL\] 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:6002  tcp\.refused$' "$T/live/g4.out" ||
			echo "no tcp.refused block for port 6002"
		grep -Eq '^2 connections: 1 ok, 1 failed' "$T/live/g4.out" || echo "summary: $(grep -m 1 connections "$T/live/g4.out")")"

	bg "$T/live/int.out" "$T/live/int.err" "$SYNACK" -i lo --json
	p=$BG
	sp=$(child_of "$p")
	sleep 0.5
	traffic 6003 0
	tr=$?
	sleep 1
	kill -INT "$sp"
	wait "$p"
	RC=$?
	check "live: SIGINT --json: clean exit, valid JSON, summary, the connection reported" "$(
		[ "$tr" = 0 ] || echo "traffic failed: $(tail -n 1 "$T/traffic.err")"
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC, want 0 or 1 (a signal death?)"
		[ -s "$T/live/int.err" ] && echo "stderr: $(first "$T/live/int.err")"
		python3 "$T/validate.py" "$T/live/int.out" "$RC" /dev/null --no-print 2>&1
		jsum "$T/live/int.out" '"" if [(c["server"]["port"], c["verdict"]["code"]) for c in conns] == [(6003, "tcp.completed")] and summ.get("type") == "summary" else [(c["server"]["port"], c["verdict"]["code"]) for c in conns]')"
fi

# ---------------------------------------------------------------------------
if [ "$SKIP" -gt 0 ]; then
	echo "$PASS passed, $FAIL failed, $SKIP skipped"
else
	echo "$PASS passed, $FAIL failed"
fi
[ "$FAIL" = 0 ]
