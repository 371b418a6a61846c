#!/bin/bash
# tests/cli/analyze.sh: `synack [OPTIONS] [EXPRESSION]`, the analysis command:
# exit statuses, usage errors, the NDJSON schema and its counts (lean healthy
# records, Community IDs, group objects), evidence lines against `synack
# print`, text layout and color, the triage (--examples, --all, -q: the text
# table against the group objects), --packets, --max-flows, --idle-timeout,
# -c, BPF, -w, and live verdicts (-G, SIGINT) on lo.
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
TLSD=$(cd "$HERE/../tls" && pwd)
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
#             [--verbose] [--examples=N|--examples=all]
# Prints what is wrong (one problem a line, at most 5), nothing if all is well.
#   --nano/--micro  timestamps have 9/6 decimals, first_ts <= last_ts
#   --hostile       a mutated capture: timestamps may be anything, and a
#                   connection's SYN-ACKs may disagree with print's table
#   --all-evidence  every evidence line = print's (for -S)
#   --no-print      PRINT_LINES unknown (live): no frame checks
#   --verbose       the run had -v: healthy connections are not lean
#   --examples=N    the run had --examples N (default 3; all: --all)
# Connections: the schema, counts, evidence = print's lines, a Community ID
# (recomputed here) on each, and the lean rule (a healthy connection without
# -v has no explanation, next step or evidence; a failed one has them).
# Groups: after every connection, before the summary; their keys and types;
# their connections add up to the connection objects; each group is the
# connections of its key (code, server, SNI), with their times, distinct
# clients, ok, the first failed one's next step, and its first examples as
# its examples; failures first, then most connections.
cat >"$T/validate.py" <<'EOF'
import base64, hashlib, ipaddress, json, re, struct, sys
from collections import Counter

path, rc, print_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
flags = set(a for a in sys.argv[4:] if not a.startswith("--examples="))
nex = ([a.split("=", 1)[1] for a in sys.argv[4:] if a.startswith("--examples=")] or ["3"])[-1]
nex = None if nex == "all" else int(nex)
problems = []
def bad(msg):
    problems.append(msg)

def community_id(sip, sport, dip, dport, proto=6, seed=0):
    """Community ID v1 (corelight's spec): the endpoints in order, SHA-1, base64."""
    a, b = ipaddress.ip_address(sip).packed, ipaddress.ip_address(dip).packed
    if (a, sport) > (b, dport):
        a, b, sport, dport = b, a, dport, sport
    h = hashlib.sha1(struct.pack("!H", seed) + a + b + struct.pack("!BBHH", proto, 0, sport, dport))
    return "1:" + base64.b64encode(h.digest()).decode()
# the spec's vector (and the issue's), both ways round
for args in (("128.232.110.120", 34855, "66.35.250.204", 80), ("66.35.250.204", 80, "128.232.110.120", 34855)):
    if community_id(*args) != "1:LQU9qZlK+B5F3KDmev6m5PMibrg=":
        bad("validate.py: its own Community ID fails the test vector")

with open(print_path, encoding="utf-8", errors="surrogateescape") as f:
    plines = f.read().split("\n")
if plines and plines[-1] == "":
    plines.pop()
# a hex dump that print adds after a packet's line (as tcpdump does) is on
# lines of its own that begin with a tab: each packet's line is its first
plines = [l for i, l in enumerate(plines) if not (i > 0 and l.startswith("\t"))]
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

def isnum(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)

def sni_of(c):
    """The connection's SNI as a group keys it (None: none)."""
    ch = (c.get("tls") or {}).get("client_hello") or {}
    return ch.get("sni") or None

def server_of(o):
    s = o.get("server") or {}
    return (s.get("ip"), s.get("port"))

LEAN = ("explanation", "next_step")      # in verdict; and evidence, evidence_omitted
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
    groups = [o for o in objs[:-1] if o.get("type") == "group"]
    other = [o.get("type") for o in objs[:-1] if o.get("type") not in ("connection", "packet", "group")]
    if other:
        bad(f"objects of unknown type {other[:3]}")
    types = [o.get("type") for o in objs[:-1]]
    if "group" in types and any(t != "group" for t in types[types.index("group"):]):
        bad("a packet or connection object after the first group object")
    if conns and not groups:
        bad(f"{len(conns)} connections but no group object")
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
        if not keys(c, ["type", "id", "community_id", "transport", "client", "server", "first_ts", "last_ts",
                        "packets", "payload_bytes", "tcp", "tls", "verdict"], w):
            continue
        ids.append(c["id"])
        if c["transport"] != "tcp":
            bad(f"{w}: transport {c['transport']!r}")
        for side in ("client", "server"):
            if keys(c[side], ["ip", "port"], f"{w}.{side}"):
                if not isinstance(c[side]["ip"], str) or not isint(c[side]["port"]):
                    bad(f"{w}.{side}: types {c[side]!r}")
        cid = c["community_id"]
        if not isinstance(cid, str) or not re.fullmatch(r"1:[A-Za-z0-9+/]{27}=", cid):
            bad(f"{w}: community_id {cid!r} is not 1: and 28 base64 characters")
        else:
            try:
                want = community_id(c["client"]["ip"], c["client"]["port"], c["server"]["ip"], c["server"]["port"])
            except (ValueError, TypeError, KeyError, struct.error) as e:
                want = f"({e})"
            if cid != want:
                bad(f"{w}: community_id {cid}, want {want}")
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
        # the lean rule: healthy and not -v: no explanation, next step, evidence
        lean = v.get("ok") is True and "--verbose" not in flags
        if lean:
            extra = [k for k in LEAN if k in v] + [k for k in ("evidence", "evidence_omitted") if k in c]
            if extra:
                bad(f"{w}: healthy without -v, yet has {','.join(extra)}")
        else:
            miss = [k for k in LEAN if k not in v] + [k for k in ("evidence", "evidence_omitted") if k not in c]
            if miss:
                bad(f"{w}: {'failed' if v.get('ok') is not True else 'with -v'}, yet lacks {','.join(miss)}")
        if keys(v, ["code", "layer", "ok", "summary"], f"{w}.verdict"):
            if not isinstance(v["ok"], bool):
                bad(f"{w}.verdict.ok is not a boolean")
            for k in ("code", "layer", "summary") + (() if lean else LEAN):
                if not isinstance(v.get(k), str) or not v.get(k):
                    bad(f"{w}.verdict.{k} is empty or not a string")
            if isinstance(v["code"], str) and not re.fullmatch(r"(tcp|tls)\.[a-z_]+", v["code"]):
                bad(f"{w}: verdict code {v['code']!r}")
            codes[v["code"]] += 1
            if v["ok"] is True:
                nok += 1
            else:
                nfail += 1
        if lean:
            continue
        if not isint(c.get("evidence_omitted")) or c.get("evidence_omitted") < 0:
            bad(f"{w}: evidence_omitted {c.get('evidence_omitted')!r}")
        ev = c.get("evidence")
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

    # ---- group objects: the triage table
    GKEYS = {"type": str, "code": str, "ok": bool, "server": dict, "sni": (str, type(None)),
             "connections": int, "clients": int, "clients_estimated": bool, "first_ts": (int, float),
             "last_ts": (int, float), "examples": list, "examples_shown": int, "complete": bool,
             "next_step": (str, type(None))}
    OKEYS = {"type": str, "other": bool, "connections": int, "groups": int, "failed": int,
             "no_memory": int, "first_ts": (int, float), "last_ts": (int, float)}
    def typed(o, spec, w):
        good = keys(o, list(spec), w)
        for k, ty in spec.items():
            x = o.get(k)
            if k in o and (not isinstance(x, ty) or (ty is int and isinstance(x, bool))):
                bad(f"{w}.{k}: {x!r} is not {ty}")
                good = False
        return good
    byid = {c.get("id"): c for c in conns}
    members = {}                                  # key -> its connections, in output order
    for c in conns:
        if isinstance(c.get("verdict"), dict):
            members.setdefault((c["verdict"].get("code"), server_of(c), sni_of(c)), []).append(c)
    others = [g for g in groups if g.get("other") is True]
    named = [g for g in groups if g.get("other") is not True]
    if len(others) > 1 or (others and groups[-1] is not others[0]):
        bad("more than one \"other\" group, or it is not the last group")
    gsum = 0
    seen, order = set(), []
    for n, g in enumerate(groups):
        w = f"group #{n + 1}"
        if isint(g.get("connections")):
            gsum += g["connections"]
        if g.get("other") is True:
            if typed(g, OKEYS, w) and g["connections"] < 1:
                bad(f"{w}: an \"other\" row of {g['connections']} connections")
            continue
        if not typed(g, GKEYS, w) or not typed(g["server"], {"ip": str, "port": int}, f"{w}.server"):
            continue
        if "other" in g:
            bad(f"{w}: other {g['other']!r} in a named group")
        if not re.fullmatch(r"(tcp|tls)\.[a-z_]+", g["code"]):
            bad(f"{w}: code {g['code']!r}")
        key = (g["code"], server_of(g), g["sni"])
        if key in seen:
            bad(f"{w}: a second group for {key}")
        seen.add(key)
        order.append((g["ok"], -g["connections"], g["first_ts"]))
        if g["connections"] < 1:
            bad(f"{w}: {g['connections']} connections")
        if not all(isint(i) for i in g["examples"]):
            bad(f"{w}: examples {g['examples']!r} are not integers")
            continue
        miss = [i for i in g["examples"] if i not in byid]
        if miss:
            bad(f"{w}: examples {miss[:5]} are not connection ids")
        if len(g["examples"]) != min(g["examples_shown"], 8) or g["examples_shown"] > g["connections"]:
            bad(f"{w}: examples {g['examples']} for {g['examples_shown']} shown of {g['connections']}")
        if g["complete"] and g["examples_shown"] != (g["connections"] if nex is None else min(g["connections"], nex)):
            bad(f"{w}: {g['examples_shown']} of {g['connections']} shown, with --examples {nex}")
        if g["ok"] and g["next_step"] is not None:
            bad(f"{w}: a healthy group with a next step")
        if not g["ok"] and not g["next_step"]:
            bad(f"{w}: a failed group without a next step")
        mine = members.get(key, [])
        if any(byid.get(i) not in mine for i in g["examples"] if i in byid):
            bad(f"{w}: example ids {g['examples']} are not all of its key {key}")
        if any(c["verdict"].get("ok") is not True for c in mine) and g["ok"]:
            bad(f"{w}: healthy, yet holds {sum(c['verdict'].get('ok') is not True for c in mine)} failed connections: {key}")
        if others:
            continue                               # some of its connections may be in "other"
        # no "other" row: the group is exactly the connections of its key
        if len(mine) != g["connections"] or not g["complete"]:
            bad(f"{w}: {g['connections']} connections (complete {g['complete']}), {len(mine)} objects of {key}")
            continue
        if g["first_ts"] != min(c["first_ts"] for c in mine) or g["last_ts"] != max(c["last_ts"] for c in mine):
            bad(f"{w}: first_ts/last_ts {g['first_ts']}/{g['last_ts']} are not its connections'")
        nclients = len({c["client"]["ip"] for c in mine})
        if g["clients_estimated"] != (nclients > 64) or \
                (abs(g["clients"] - nclients) > 0.1 * nclients if nclients > 64 else g["clients"] != nclients):
            bad(f"{w}: clients {g['clients']} (estimated {g['clients_estimated']}), {nclients} distinct")
        if g["examples"] != [c["id"] for c in mine][:len(g["examples"])]:
            bad(f"{w}: examples {g['examples']} are not its first connections {[c['id'] for c in mine][:8]}")
        failed = [c for c in mine if c["verdict"].get("ok") is not True]
        ns = failed[0]["verdict"].get("next_step") if failed else None
        if g["next_step"] != ns and not (isinstance(ns, str) and g["next_step"] and
                                         g["next_step"].endswith("...") and ns.startswith(g["next_step"][:-3])):
            bad(f"{w}: next_step {g['next_step']!r}, its first failed connection's is {ns!r}")
    if order != sorted(order, key=lambda o: (o[0], o[1])):
        bad("groups not failures first, then by connections")
    if gsum != len(conns):
        bad(f"groups hold {gsum} connections, {len(conns)} connection objects")
    if not others:
        lost = [k for k in members if k not in seen]
        if lost:
            bad(f"no group for {lost[:2]}")
for p in problems[:5]:
    print(p[:300])
EOF

# tt.py TEXT JSON N [-q]: a text report (--color=never) against the NDJSON of
# the same run (same options, --json): its blocks are the groups' examples (at
# most N a group: N is the --examples value, "all" for --all; none with -q),
# its triage table lists the JSON's groups in their order (counts, marks,
# code, server, SNI, times, example ids, next step), its rows add up to the
# connections, and the summary line (absent with -q) agrees. Prints what is
# wrong (at most 5 lines), nothing if all is well; "TEXT: facts" with -f.
cat >"$T/tt.py" <<'EOF'
import datetime, json, math, re, sys
from collections import Counter
from decimal import Decimal

text_path, json_path, nex = sys.argv[1], sys.argv[2], sys.argv[3]
quiet = "-q" in sys.argv[4:]
nex = None if nex == "all" else int(nex)
problems = []
def bad(m):
    problems.append(m)

objs = [json.loads(l, parse_float=Decimal) for l in open(json_path, encoding="utf-8")]
conns = [o for o in objs if o.get("type") == "connection"]
groups = [o for o in objs if o.get("type") == "group"]
named = [g for g in groups if not g.get("other")]
other = [g for g in groups if g.get("other")]
byid = {c["id"]: c for c in conns}

def hostport(e):
    return f"[{e['ip']}]:{e['port']}" if ":" in e["ip"] else f"{e['ip']}:{e['port']}"

DAY0 = [None]
def hms(ts, nano):
    """HH:MM:SS.frac in UTC, and "+Nd" when on a later day than the header's date."""
    whole = math.floor(ts)
    frac = ts - whole
    d = datetime.datetime.fromtimestamp(whole, datetime.timezone.utc)
    t = d.strftime("%H:%M:%S") + "." + (f"{int(frac * 10**9):09d}" if nano else f"{int(frac * 10**6):06d}")
    if DAY0[0] is not None and d.date() != DAY0[0]:
        t += "%+dd" % (d.date() - DAY0[0]).days
    return t

lines = open(text_path, "rb").read().decode("utf-8", "replace").split("\n")
if lines and lines[-1] == "":
    lines.pop()
head_re = re.compile(r"^\[(ok|FAIL)\]\s+(\S+) (?:→|->) (\S+)\s+(\S+)$")
blocks = [m.groups()[1:] for m in map(head_re.match, lines) if m]
tstart = [i for i, l in enumerate(lines) if l.startswith("triage: ")]
summary = [l for l in lines if re.match(r"^[0-9]+ connections?: ", l)]

if quiet and summary:
    bad(f"-q, yet a summary line: {summary[0]}")
if not quiet and len(summary) != 1:
    bad(f"{len(summary)} summary lines")
elif summary and int(summary[0].split()[0]) != len(conns):
    bad(f"summary line {summary[0]!r}, {len(conns)} connections")
if not conns:
    if tstart:
        bad("a triage table for no connection")
elif len(tstart) != 1:
    bad(f"{len(tstart)} triage headers")
else:
    i = tstart[0]
    m = re.match(r"^triage: ([0-9]+) connections? in ([0-9]+) groups?( and other)?, failures first$", lines[i])
    if not m:
        bad(f"triage header {lines[i]!r}")
    elif (int(m.group(1)), int(m.group(2)), bool(m.group(3))) != (len(conns), len(named), bool(other)):
        bad(f"triage header {lines[i]!r}: {len(conns)} connections, {len(named)} groups, other {bool(other)}")
    if quiet and i != 0:
        bad(f"-q: {i} lines before the table: {lines[0][:80]!r}")
    m = re.match(r"^times in UTC on ([0-9]{4}-[0-9]{2}-[0-9]{2})$", lines[i + 1] if i + 1 < len(lines) else "")
    if not m:
        bad(f"second table line {lines[i + 1:i + 2]}")
    else:
        DAY0[0] = datetime.date.fromisoformat(m.group(1))
    if lines[i + 2:i + 3] != ["  conns clients  code  server  sni"]:
        bad(f"column line {lines[i + 2:i + 3]}")
    # the rows: counts line, continued at column 17; times (and example ids); next step
    row_re = re.compile(r"^ *([0-9]+)([ *]) +(~?[0-9]+|-)  (\S.*)$")
    when_re = re.compile(r"^ {17}([0-9:.]+(?:\+[0-9]+d)?) to ([0-9:.]+(?:\+[0-9]+d)?)(?:  examples( .*)?)?$")
    rows, cur, part = [], None, None
    j = i + 3
    while j < len(lines) and lines[j] != "" and not re.match(r"^  [*~+]", lines[j]):
        l = lines[j]
        mr, mw = row_re.match(l), when_re.match(l)
        if mr and not l.startswith(" " * 17):
            cur = {"conns": int(mr.group(1)), "star": mr.group(2) == "*", "clients": mr.group(3),
                   "fields": [mr.group(4)], "when": None, "ex": "", "next": []}
            rows.append(cur)
            part = "fields"
        elif cur is None:
            bad(f"table line {l!r} before any row")
            break
        elif mw and part == "fields":
            cur["when"] = (mw.group(1), mw.group(2))
            cur["ex"] = mw.group(3) or ""
            part = "when"
        elif re.match(r"^ {11}next  \S", l):
            cur["next"].append(l[17:])
            part = "next"
        elif l.startswith(" " * 17) and part in ("fields", "when", "next"):
            if part == "fields":
                cur["fields"].append(l[17:])
            elif part == "when":
                cur["ex"] += " " + l[17:]
            else:
                cur["next"].append(l[17:])
        else:
            bad(f"table line {l!r} not understood")
        j += 1
    if sum(r["conns"] for r in rows) != len(conns):
        bad(f"table rows add up to {sum(r['conns'] for r in rows)} connections, {len(conns)} connection objects")
    if len(rows) != len(groups):
        bad(f"{len(rows)} table rows, {len(groups)} group objects")
    nano = any(re.search(r'"first_ts":[0-9]+\.[0-9]{9},', l) for l in open(json_path))
    for n, (r, g) in enumerate(zip(rows, groups)):
        w = f"table row {n + 1}"
        if r["conns"] != g["connections"]:
            bad(f"{w}: {r['conns']} connections, group object {g['connections']}")
        if g.get("other"):
            if r["clients"] != "-" or not r["fields"][0].startswith("other: "):
                bad(f"{w}: the \"other\" row is {r['fields']}")
            continue
        if r["star"] != (not g["complete"]):
            bad(f"{w}: mark '{'*' if r['star'] else ' '}', complete {g['complete']}")
        want = ("~" if g["clients_estimated"] else "") + str(g["clients"])
        if r["clients"] != want:
            bad(f"{w}: clients {r['clients']}, group object {want}")
        f = re.split(r"  +", "  ".join(r["fields"]), maxsplit=2)
        if f[:2] != [g["code"], hostport(g["server"])]:
            bad(f"{w}: {f[:2]}, group object {[g['code'], hostport(g['server'])]}")
        sni = g["sni"] if g["sni"] is not None else "-"
        got = f[2] if len(f) > 2 else ""
        if re.fullmatch(r"[ -~]*", sni) and "\\" not in sni and got != sni and \
                not (got.endswith(("...", "…")) and sni.startswith(got.rstrip(".…"))):
            bad(f"{w}: SNI {got!r}, group object {sni!r}")
        if r["when"] is None:
            bad(f"{w}: no line of times")
        elif g["first_ts"] >= 0 and r["when"] != (hms(g["first_ts"], nano), hms(g["last_ts"], nano)):
            # (times before 1970 have a check of their own)
            bad(f"{w}: times {r['when']}, group object {hms(g['first_ts'], nano), hms(g['last_ts'], nano)}")
        ex = " ".join(map(str, g["examples"])) + (f" (+{g['examples_shown'] - 8})" if g["examples_shown"] > 8 else "")
        if " ".join(r["ex"].split()) != ex:
            bad(f"{w}: examples {r['ex'].strip()!r}, group object {ex!r}")
        nxt = " ".join(r["next"])
        if (g["next_step"] or "") != nxt and re.fullmatch(r"[ -~]*", g["next_step"] or ""):
            bad(f"{w}: next {nxt[:60]!r}, group object {(g['next_step'] or '')[:60]!r}")
# the blocks: the groups' examples, no more, no fewer
want = Counter()
shown = 0
for g in named:
    shown += g["examples_shown"]
    for i in g["examples"]:
        c = byid.get(i)
        if c is not None:
            want[(hostport(c["client"]), hostport(c["server"]), c["verdict"]["code"])] += 1
if quiet:
    if blocks:
        bad(f"-q, yet {len(blocks)} blocks")
else:
    if len(blocks) != shown:
        bad(f"{len(blocks)} blocks, the groups show {shown}")
    if nex is not None and any(g["examples_shown"] > nex for g in named):
        bad(f"a group shows more than {nex}")
    if all(g["examples_shown"] <= 8 for g in named) and Counter(blocks) != want:
        d = (Counter(blocks) - want) + (want - Counter(blocks))
        bad(f"blocks are not the groups' examples: {sorted(d)[:2]}")
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
	*hostile*|*time_edges*) echo --hostile ;;   # (time_edges: time goes back, built so)
	*nano*) echo --nano ;;
	*) echo --micro ;;
	esac
}
nanoopt() {   # evidence lines in nanoseconds, as print's, for a nanosecond file (tcpdump's --nano)
	case $(prec_of "$1") in --nano) echo --nano ;; esac
}
for f in "${captures[@]}"; do
	b=${f##*/tests/}
	timeout 20 "$SYNACK" print $(nanoopt "$f") -r "$f" >"$T/print" 2>/dev/null
	run "$SYNACK" $(nanoopt "$f") -r "$f" --json
	check "--json $b: valid NDJSON, schema, counts, evidence = print" "$(
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC (stderr: $(first "$ERR"))"
		# packets but no connection: one line says what they were, and that is exit 1
		if grep -q '"type":"summary","connections":0,' "$OUT" && [ -s "$T/print" ]; then
			[ "$RC" = 1 ] || echo "no connection, exit $RC"
			grep -q '^synack: no TCP connection in the [0-9]* packets\? analyzed: ' "$ERR" &&
				[ "$(nlines "$ERR")" = 1 ] || echo "stderr: $(first "$ERR")"
		else
			[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
			python3 "$T/validate.py" "$OUT" "$RC" "$T/print" "$(prec_of "$f")" 2>&1
		fi)"
done
# -S: absolute sequence numbers agree with print -S for every connection
for f in "$CAP"/hostile*.pcap "$RST" "$CONN/port_reuse.client.pcap" "$CONN/midstream.client.pcap" \
	"$CONN/synack_dropped.server.pcap" "$NANO"; do
	b=${f##*/tests/}
	timeout 20 "$SYNACK" print -S $(nanoopt "$f") -r "$f" >"$T/print" 2>/dev/null
	run "$SYNACK" -S $(nanoopt "$f") -r "$f" --json
	check "--json -S $b: every evidence line = print -S" "$(
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC (stderr: $(first "$ERR"))"
		python3 "$T/validate.py" "$OUT" "$RC" "$T/print" "$(prec_of "$f")" --all-evidence 2>&1)"
done
# -v: the same checks hold with every packet as evidence, healthy connections not lean
for f in "$CAP/hostile.pcap" "$CAP/sack.pcap" "$NANO" "$CAP/triage.pcap"; do
	b=${f##*/tests/}
	timeout 20 "$SYNACK" print $(nanoopt "$f") -r "$f" >"$T/print" 2>/dev/null
	run "$SYNACK" -v $(nanoopt "$f") -r "$f" --json
	check "--json -v $b: valid, evidence = print, healthy ones whole" "$(
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC (stderr: $(first "$ERR"))"
		python3 "$T/validate.py" "$OUT" "$RC" "$T/print" "$(prec_of "$f")" --verbose 2>&1)"
done
# lean: a healthy connection's object without -v is the one with -v minus the
# explanation, the next step and the evidence (nothing else differs)
run "$SYNACK" -r "$CAP/triage.pcap" --json
cp "$OUT" "$T/lean.json"
run "$SYNACK" -r "$CAP/triage.pcap" --json -v
check "--json: healthy objects = their -v objects minus explanation, next_step, evidence; failed ones whole" "$(
	python3 - "$T/lean.json" "$OUT" <<'EOF'
import json, sys
def objs(fn):
    return [json.loads(l) for l in open(fn)]
a, b = objs(sys.argv[1]), objs(sys.argv[2])
ca = [o for o in a if o["type"] == "connection"]
cb = [o for o in b if o["type"] == "connection"]
if len(ca) != len(cb) or not ca:
    print(f"{len(ca)} and {len(cb)} connections")
nlean = 0
for x, y in zip(ca, cb):
    if x["verdict"]["ok"]:
        nlean += 1
        for k in ("explanation", "next_step"):
            y["verdict"].pop(k, None)
        for k in ("evidence", "evidence_omitted"):
            y.pop(k, None)
    else:
        for k in ("evidence", "evidence_omitted"):  # -v: every packet
            x.pop(k, None)
            y.pop(k, None)
    if x != y:
        print(f"connection {x['id']}: {sorted(set(x) ^ set(y)) or 'values'} differ")
        break
if not 0 < nlean < len(ca):
    print(f"{nlean} healthy of {len(ca)}: want some of each")
strip = lambda os: [o for o in os if o["type"] == "group"]
if strip(a) != strip(b) or not strip(a):
    print("group objects differ with -v, or none")
EOF
)"
# known outcomes
run "$SYNACK" -r "$SYNDROP" --json
check "--json syn_dropped: one tcp.no_answer with 4 SYNs and 3 intervals" "$(jsum "$OUT" \
	'"" if [(c["verdict"]["code"], c["tcp"]["syn_count"], len(c["tcp"]["syn_intervals_ms"])) for c in conns] == [("tcp.no_answer", 4, 3)] else [(c["verdict"]["code"], c["tcp"]["syn_count"], c["tcp"]["syn_intervals_ms"]) for c in conns]')"
run "$SYNACK" -r "$NANO" --json
check "--json nanosecond pcapng: 9-decimal first_ts/last_ts" "$(
	grep -Eq '"first_ts":[0-9]+\.[0-9]{9},"last_ts":[0-9]+\.[0-9]{9},' "$OUT" || echo "no 9-decimal timestamps: $(first "$OUT" | cut -c 1-200)")"
run "$SYNACK" -r "$NANO" --color=never --nano
check "text --nano, nanosecond pcapng: 9-decimal evidence timestamps" "$(
	n=$(grep -Ec '^  (frames| {6}) +[0-9]+  [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9} ' "$OUT")
	[ "$n" -gt 0 ] || echo "no 9-decimal evidence line: $(grep -m 1 frames "$OUT")")"
run "$SYNACK" -r "$NANO" --color=never
check "text, nanosecond pcapng, no --nano: 6-decimal evidence timestamps, as tcpdump's" "$(
	n=$(grep -Ec '^  (frames| {6}) +[0-9]+  [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} ' "$OUT")
	[ "$n" -gt 0 ] || echo "no 6-decimal evidence line: $(grep -m 1 frames "$OUT")"
	grep -Eq '[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9} ' "$OUT" && echo "a 9-decimal timestamp without --nano")"
run "$SYNACK" -r "$NANO" --json -v
check "--json -v, nanosecond pcapng, no --nano: first_ts in nanoseconds, evidence lines in microseconds" "$(
	grep -Eq '"first_ts":[0-9]+\.[0-9]{9},' "$OUT" || echo "first_ts not in nanoseconds"
	grep -Eq '"line":"[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} ' "$OUT" || echo "no 6-decimal evidence line"
	grep -Eq '"line":"[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9} ' "$OUT" && echo "a 9-decimal evidence line")"

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
			[ -s "$ERR" ] && ! grep -q '^synack: no TCP connection in ' "$ERR" &&
				d="$d $loc $v ${f##*/}: stderr: $(first "$ERR")"
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
# blank line after), the triage table (from "triage: " to the blank line after)
# and the summary (from "N connections:" on) go to REPORT, every other line to
# PACKETS
cat >"$T/split.py" <<'EOF2'
import re, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
if lines and lines[-1] == b"":
    lines.pop()
pk, rep, block, summ = [], [], False, False
for l in lines:
    if not block and not summ:
        if re.match(rb"^\[(ok|FAIL)\] ", l) or l.startswith(b"triage: "):
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
	timeout 20 "$SYNACK" print $(nanoopt "$f") -r "$f" >"$T/print" 2>/dev/null
	run "$SYNACK" $(nanoopt "$f") -r "$f" --color=never "$@"
	cp "$OUT" "$T/report"
	run "$SYNACK" $(nanoopt "$f") -r "$f" --color=never --packets "$@"
	python3 "$T/split.py" "$OUT" "$T/plines" "$T/rest"
	check "$name" "$(
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC"
		[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
		why_differs "$T/print" "$T/plines"
		why_differs "$T/report" "$T/rest")"
}
packets_text "--packets (text, verdicts interleaved) syn_dropped --idle-timeout 0.5: packet lines = print, report unchanged" \
	"$SYNDROP" --idle-timeout 0.5
run "$SYNACK" -r "$SYNDROP" --color=never --packets --idle-timeout 0.5 --all
check "--packets --all (text) --idle-timeout 0.5: each verdict follows its packet, in frame order" "$(
	got=$(grep -Eo '^[0-9:.]+ IP|^\[FAIL\]' "$OUT" | awk '{ print $NF }' | tr '\n' ' ')
	[ "$got" = "IP IP [FAIL] IP [FAIL] IP [FAIL] [FAIL] " ] || echo "order: $got")"
# the default: the one group's first 3 verdicts as they come, the 4th only counted
run "$SYNACK" -r "$SYNDROP" --color=never --packets --idle-timeout 0.5
check "--packets (text) --idle-timeout 0.5: 3 verdicts of the group follow their packets, the table counts 4" "$(
	got=$(grep -Eo '^[0-9:.]+ IP|^\[FAIL\]' "$OUT" | awk '{ print $NF }' | tr '\n' ' ')
	[ "$got" = "IP IP [FAIL] IP [FAIL] IP [FAIL] " ] || echo "order: $got"
	grep -q '^triage: 4 connections in 1 group, failures first$' "$OUT" || echo "triage: $(grep -m 1 '^triage' "$OUT")")"
for f in "$RST" "$NANO" "$CAP/hostile.pcap"; do
	b=${f##*/tests/}
	packets_text "--packets (text) $b: packet lines = print, report unchanged" "$f"
	run "$SYNACK" $(nanoopt "$f") -r "$f" --packets --json
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
run "$SYNACK" -r "$T/conc.pcap" --max-flows 1 --color=never --all
check "--max-flows 1 --all (text): a block for every connection, summary agrees" "$(
	n=$(textfact "$OUT" BLOCKS)
	[ "$n" -ge 5 ] || echo "$n blocks"
	grep -Eq "^$n connections?: " "$OUT" || echo "summary: $(grep -m 1 connection "$OUT")")"
run "$SYNACK" -r "$T/conc.pcap" --max-flows 1 --color=never
cp "$OUT" "$T/conc.txt"
run "$SYNACK" -r "$T/conc.pcap" --max-flows 1 --json
check "--max-flows 1 (text): at most 3 blocks a group, the table adds up, = the JSON's groups" "$(
	python3 "$T/tt.py" "$T/conc.txt" "$OUT" 3 2>&1)"

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
# The triage: --examples N, --all, -q. Text and NDJSON of the same options
# agree: the blocks are the groups' examples, the table rows are the group
# objects, in order, and add up to every connection.

for f in "$CAP/triage.pcap" "$CAP/hostile.pcap" "$T/conc.pcap" "$NANO" "$CAP/ipv6.pcap"; do
	b=${f##*/}
	timeout 20 "$SYNACK" print $(nanoopt "$f") -r "$f" >"$T/print" 2>/dev/null
	for o in "" "--examples 1" "--examples 0" "--all" "--examples 2 --all" "--all --examples 2"; do
		case $o in
		"") n=3 ;;
		*--all) n=all ;;
		*) n=${o##* } ;;
		esac
		# shellcheck disable=SC2086
		run "$SYNACK" $(nanoopt "$f") -r "$f" --color=never $o
		cp "$OUT" "$T/tri.txt"
		rt=$RC
		# shellcheck disable=SC2086
		run "$SYNACK" $(nanoopt "$f") -r "$f" --json $o
		check "${o:-default} $b (text, json): blocks = the groups' examples, at most $n each; table rows = group objects, adding up" "$(
			[ "$rt" = "$RC" ] || echo "exit $rt (text), $RC (json)"
			[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
			python3 "$T/validate.py" "$OUT" "$RC" "$T/print" "$(prec_of "$f")" "--examples=$n" 2>&1
			python3 "$T/tt.py" "$T/tri.txt" "$OUT" "$n" 2>&1)"
	done
	# -q: the default's table and nothing else, the same exit status
	run "$SYNACK" $(nanoopt "$f") -r "$f" --color=never
	sed -n '/^triage: /,/^$/p' "$OUT" | sed '${/^$/d}' >"$T/tri.want"
	rt=$RC
	run "$SYNACK" $(nanoopt "$f") -r "$f" --json
	cp "$OUT" "$T/tri.json"
	run "$SYNACK" $(nanoopt "$f") -r "$f" -q --color=never
	check "-q $b: only the default's triage table, no blocks, no summary, same exit status" "$(
		[ "$rt" = "$RC" ] || echo "exit $RC, $rt without -q"
		[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
		why_differs "$T/tri.want" "$OUT"
		python3 "$T/tt.py" "$OUT" "$T/tri.json" 3 -q 2>&1)"
done
run "$SYNACK" -r "$CAP/triage.pcap" --color=never --examples 1
check "--examples 1 triage.pcap: 6 blocks, one a group, the table counts 36 in 6 groups" "$(
	[ "$(textfact "$OUT" BLOCKS)" = 6 ] || echo "$(textfact "$OUT" BLOCKS) blocks"
	grep -q '^triage: 36 connections in 6 groups, failures first$' "$OUT" || echo "triage: $(grep -m 1 '^triage' "$OUT")"
	grep -q '^36 connections: 12 ok, 24 failed' "$OUT" || echo "summary: $(grep -m 1 ' connections: ' "$OUT")")"
run "$SYNACK" -r "$CAP/triage.pcap" --color=never --examples 0
check "--examples 0 triage.pcap: no block, the table and the summary" "$(
	[ "$(textfact "$OUT" BLOCKS)" = 0 ] || echo "$(textfact "$OUT" BLOCKS) blocks"
	[ "$(head -n 1 "$OUT" | cut -c 1-8)" = "triage: " ] || echo "first line: $(first "$OUT")"
	grep -q '^36 connections: 12 ok, 24 failed' "$OUT" || echo "summary: $(grep -m 1 ' connections: ' "$OUT")")"
run "$SYNACK" -r "$CAP/triage.pcap" --color=never --all
check "--all triage.pcap: 36 blocks, then the table and the summary" "$(
	[ "$(textfact "$OUT" BLOCKS)" = 36 ] || echo "$(textfact "$OUT" BLOCKS) blocks"
	grep -q '^triage: 36 connections in 6 groups' "$OUT" || echo "triage: $(grep -m 1 '^triage' "$OUT")")"
run "$SYNACK" -r "$CAP/triage.pcap" -q --color=never
check "-q triage.pcap: exit 1, the table's 6 rows, no line over 80 columns" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	n=$(grep -Ec '^ +[0-9]+[ *] +~?[0-9]+  [a-z]' "$OUT")
	[ "$n" = 6 ] || echo "$n rows"
	awk 'length($0) > 80 { print "wide: " $0; exit }' "$OUT")"
for v in x -1 '' 1.5 1x 1000001 99999999999999999999; do
	expect_error "bad --examples '$v'" 2 '^synack: --examples: ' "$SYNACK" -r "$COMPLETED" --examples "$v"
done

# Community ID: the spec's test vector, 128.232.110.120:34855 -> 66.35.250.204:80,
# from either end (a SYN each way round). cid.py OUT fwd|rev [SEC USEC]
cat >"$T/cid.py" <<'EOF'
import struct, sys
out, rev = sys.argv[1], sys.argv[2] == "rev"
sec, usec = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (1700000000, 0)
a, b, sp, dp = bytes([128, 232, 110, 120]), bytes([66, 35, 250, 204]), 34855, 80
if rev:
    a, b, sp, dp = b, a, dp, sp
th = struct.pack("!HHIIBBHHH", sp, dp, 1000, 0, 5 << 4, 0x02, 64240, 0, 0)
ih = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 1, 0, 64, 6, 0, a, b))
s = sum(struct.unpack("!10H", bytes(ih)))
s = (s & 0xffff) + (s >> 16)
ih[10:12] = struct.pack("!H", ~((s & 0xffff) + (s >> 16)) & 0xffff)
frame = b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00" + bytes(ih) + th
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)
EOF
for way in fwd rev; do
	python3 "$T/cid.py" "$T/cid_$way.pcap" $way
	run "$SYNACK" -r "$T/cid_$way.pcap" --json
	check "community_id, test vector ($way): 1:LQU9qZlK+B5F3KDmev6m5PMibrg=" "$(jsum "$OUT" \
		'"" if [c["community_id"] for c in conns] == ["1:LQU9qZlK+B5F3KDmev6m5PMibrg="] else [(c["client"], c.get("community_id")) for c in conns]')"
done
# a time before 1970 (a pcap's seconds are signed): 0xffffffff s + 1 us is -0.999999 s,
# 23:59:59.000001 on 1969-12-31, in the JSON as in the table
python3 "$T/cid.py" "$T/neg.pcap" fwd 4294967295 1
run "$SYNACK" -r "$T/neg.pcap" --json
cp "$OUT" "$T/neg.json"
run "$SYNACK" -r "$T/neg.pcap" -q
check "a time before 1970: JSON first_ts -0.999999, the table's 23:59:59.000001 on 1969-12-31" "$(
	grep -q '"type":"connection",.*"first_ts":-0\.999999,"last_ts":-0\.999999,' "$T/neg.json" ||
		echo "connection: $(grep -o '"first_ts":[^,]*,"last_ts":[^,]*' "$T/neg.json" | head -n 1)"
	grep -q '^times in UTC on 1969-12-31$' "$OUT" || echo "table date: $(sed -n 2p "$OUT")"
	grep -Eq '^ +23:59:59\.000001 to 23:59:59\.000001' "$OUT" || echo "table times: $(sed -n 5p "$OUT")")"

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
check "BPF matching nothing: exit 1, 0 connections, one line saying so" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	[ "$(cat "$ERR")" = "synack: no TCP connection: none of the 20 packets read passed the filter 'udp'" ] ||
		echo "stderr: $(first "$ERR")"
	grep -q '^0 connections' "$OUT" || echo "summary: $(tail -n 1 "$OUT")")"
run "$SYNACK" -r "$CAP/udp_kinds.pcap"
check "packets but no TCP connection: exit 1, what they were on stderr" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	[ "$(cat "$ERR")" = "synack: no TCP connection in the 69 packets analyzed: 67 UDP, 2 other IP" ] ||
		echo "stderr: $(first "$ERR")")"
: >"$T/empty.pcap"
python3 -c 'import struct, sys; open(sys.argv[1], "wb").write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))' "$T/empty.pcap"
run "$SYNACK" -r "$T/empty.pcap"
check "a capture with no packet at all: exit 0, nothing on stderr" "$(why_status 0)"

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
# A filter on the connection's addresses and ports keeps the ICMP error that
# quotes it (the README's own example would otherwise make it tcp.no_answer),
# copies it with -w, and reads no other ICMP (issue 12, item 6).
ICMPPORT=$CONN/icmp_port.client.pcap
run "$SYNACK" -r "$ICMPPORT" --json -w "$T/w/icmp.pcap" host 203.0.113.20 and tcp port 5001
check "a filter keeps the ICMP error quoting its connection" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	python3 -c '
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
c = [o for o in objs if o["type"] == "connection"]
s = objs[-1]
if len(c) != 1 or c[0]["verdict"]["code"] != "tcp.icmp_unreachable":
    print("verdicts", [o["verdict"]["code"] for o in c])
elif [e["frame"] for e in c[0]["evidence"]] != [1, 2]:
    print("evidence frames", [e["frame"] for e in c[0]["evidence"]])
if s["packets"] != 2:
    print("summary packets", s["packets"])' "$OUT"
	n=$(timeout 20 "$SYNACK" print -r "$T/w/icmp.pcap" 2>&1 | grep -c ICMP)
	[ "$n" = 1 ] || echo "$n ICMP packets in the -w file, want 1")"
run "$SYNACK" -r "$CAP/icmp.pcap" --json tcp port 1
check "a filter passing no connection reads no ICMP (echo or error)" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	grep -q '"connections":0,.*"packets":0,' "$OUT" || echo "summary: $(tail -n 1 "$OUT" | cut -c 1-160)")"
run "$SYNACK" -r "$RST" --json -v port 5003
check "with a filter, frame numbers are positions in the file" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	grep -q '"evidence":\[{"frame":11,' "$OUT" || echo "first evidence frame: $(grep -o '"evidence":\[{"frame":[0-9]*' "$OUT")")"
# tls.no_client_hello on a port that is not a well-known TLS port: the same
# server answered in TLS there in an earlier connection. Two real server-side
# captures with port 443 rewritten to 4443 (checksums left as they were), one
# after the other: a completed TLS 1.3 handshake, then the silent one.
python3 - "$TLSD/tls13_ok.server.pcap" "$TLSD/no_client_hello.server.pcap" "$T/seen.pcap" <<'PY'
import struct, sys
def records(path):
    b = open(path, "rb").read()
    off = 24
    while off < len(b):
        sec, usec, cap, wire = struct.unpack_from("<IIII", b, off)
        yield sec, usec, bytearray(b[off + 16:off + 16 + cap]), wire
        off += 16 + cap
out = open(sys.argv[3], "wb")
out.write(open(sys.argv[1], "rb").read(24))
base = None
for n, path in enumerate(sys.argv[1:3]):
    recs = list(records(path))
    if base is None:
        shift = 0
        base = recs[-1][0] + 1
    else:
        shift = base - recs[0][0]
    for sec, usec, frame, wire in recs:
        if frame[12:14] == b"\x08\x00" and frame[23] == 6:
            l4 = 14 + (frame[14] & 15) * 4
            for at in (l4, l4 + 2):
                if frame[at:at + 2] == b"\x01\xbb":
                    frame[at:at + 2] = b"\x11\x5b"
        out.write(struct.pack("<IIII", sec + shift, usec, len(frame), wire) + frame)
PY
run "$SYNACK" -r "$T/seen.pcap" --json
check "tls.no_client_hello where the same server answered in TLS before (port 4443)" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	python3 -c '
import json, sys
c = [json.loads(l) for l in open(sys.argv[1])]
c = [o for o in c if o["type"] == "connection"]
got = [(o["server"]["port"], o["verdict"]["code"]) for o in c]
if got != [(4443, "tls.established"), (4443, "tls.no_client_hello")]:
    print("got", got)
elif "answered in TLS on this port in an earlier connection" not in c[1]["verdict"]["explanation"]:
    print("explanation:", c[1]["verdict"]["explanation"][:120])' "$OUT")"
# --capture-point: the explanation names it as given, the next step follows it (issue 12, item 4)
run "$SYNACK" -r "$SYNDROP" --json --capture-point server
check "--capture-point server: named as given, next step at the server host" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	grep -q 'at the server, as --capture-point says' "$OUT" || echo "capture point not named as given"
	grep -q '"next_step":"Check the server host' "$OUT" || echo "next step: $(grep -o '"next_step":"[^"]*' "$OUT" | head -n 1 | cut -c 1-100)")"
run "$SYNACK" -r "$SYNDROP" --json --capture-point client
check "--capture-point client: the guess's next step (capture at the server)" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	grep -q 'at the client, as --capture-point says' "$OUT" || echo "capture point not named as given"
	grep -q '"next_step":"Capture at the server side' "$OUT" || echo "next step: $(grep -o '"next_step":"[^"]*' "$OUT" | head -n 1 | cut -c 1-100)")"
run "$SYNACK" -r "$SYNDROP" --capture-point nowhere
check "--capture-point nowhere: usage error" "$(why_error 2 'capture-point')"
# One connection, one report (issue 12, item 9): a straggler 2 s after a connection
# ended (past its 1 s linger) is counted late, not taken for a new connection
python3 - "$COMPLETED" "$T/straggler.pcap" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
recs, off = [], 24
while off < len(b):
    sec, usec, cap, wire = struct.unpack_from("<IIII", b, off)
    recs.append((sec, usec, b[off + 16:off + 16 + cap], wire))
    off += 16 + cap
sec, usec, frame, wire = recs[-2]          # the next-to-last packet, again, 2 s after the last
last = recs[-1]
out = b[:24] + b"".join(struct.pack("<IIII", s, u, len(f), w) + f for s, u, f, w in recs)
out += struct.pack("<IIII", last[0] + 2, last[1], len(frame), wire) + frame
open(sys.argv[2], "wb").write(out)
PY
run "$SYNACK" -r "$T/straggler.pcap" --json
check "a straggler after a connection ended: counted late, no phantom connection" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	tail -n 1 "$OUT" | grep -q '"connections":1,.*"late_packets":1' || echo "summary: $(tail -n 1 "$OUT" | cut -c 1-200)")"
# --close-delay 5 (Zeek's tcp_close_delay): the connection waits 5 s after its end, so the
# packet 2 s later is its own (in its counts and history), not a late one
run "$SYNACK" -r "$T/straggler.pcap" --json --close-delay 5
check "--close-delay 5: a packet 2 s after the end is the connection's own" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	tail -n 1 "$OUT" | grep -q '"connections":1,' || echo "summary: $(tail -n 1 "$OUT" | cut -c 1-200)"
	tail -n 1 "$OUT" | grep -q 'late_packets' && echo "late packets counted"
	python3 -c '
import json, sys
c = [json.loads(l) for l in open(sys.argv[1])][0]
n = c["packets"]["client"] + c["packets"]["server"]
if n != 11 or c["reported_because"] != "closed":
    print("packets", n, "reported_because", c["reported_because"])' "$OUT")"
run "$SYNACK" -r "$T/straggler.pcap" --close-delay -1
check "--close-delay -1: usage error" "$(why_error 2 'close-delay')"
# --color WORD without '=', and NO_COLOR (no-color.org), on a terminal (script(1) makes one)
if command -v script >/dev/null 2>&1; then
	script -qc "'$SYNACK' -r '$COMPLETED' --color never" /dev/null >"$T/tty1" 2>&1
	NO_COLOR=1 script -qc "'$SYNACK' -r '$COMPLETED'" /dev/null >"$T/tty2" 2>&1
	NO_COLOR=1 script -qc "'$SYNACK' -r '$COMPLETED' --color always" /dev/null >"$T/tty3" 2>&1
	script -qc "'$SYNACK' -r '$COMPLETED'" /dev/null >"$T/tty4" 2>&1
	check "--color never (no '='), NO_COLOR, --color always over NO_COLOR" "$(
		grep -q $'\e\[' "$T/tty1" && echo "--color never: escapes on a terminal"
		grep -q $'\e\[' "$T/tty2" && echo "NO_COLOR=1: escapes on a terminal"
		grep -q $'\e\[' "$T/tty3" || echo "--color always with NO_COLOR: no escapes"
		grep -q $'\e\[' "$T/tty4" || echo "a terminal, no NO_COLOR: no escapes"
		grep -q 'tcp.completed' "$T/tty1" || echo "--color never: no report: $(head -n 1 "$T/tty1")")"
else
	skip "--color never, NO_COLOR on a terminal" "script(1) not installed"
fi
run "$SYNACK" print -r "$ICMPPORT" host 203.0.113.20 and tcp port 5001
check "print keeps tcpdump's filter: no ICMP added" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	[ "$(nlines "$OUT")" = 1 ] || echo "$(nlines "$OUT") lines, want 1")"
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
