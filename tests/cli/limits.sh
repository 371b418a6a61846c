#!/bin/bash
# tests/cli/limits.sh: what the analysis does at its bounds, on captures made
# here from real ones (a real SYN, a real TLS 1.3 connection) by rewriting
# addresses, ports and times:
#   - a SYN flood of spoofed sources: every connection reported once, its
#     evidence line the one `synack print` gives (connections that saw only a
#     SYN are kept small, their line printed at the report), one triage group
#     that counts them all (its distinct clients estimated past 64);
#   - a full connection table (--max-flows): evicted connections are said to be
#     reported early and are not ok, their later packets are counted, never
#     new healthy connections, and the exit status is 1; the triage table
#     never counts such a failed connection in a healthy group;
#   - the memory budget (--memory-limit): the same honesty, reason memory_limit;
#   - out of memory (ulimit -v; skipped under ASan, which needs its own address
#     space): every line still valid JSON, stderr says what was lost, exit 2.
#
#   tests/cli/limits.sh SYNACK_BINARY
#
# One line per check ("ok - name", "not ok - name: detail", "skip - name: why"),
# then "N passed, M failed[, K skipped]". Exit 1 if any check failed, else 0.
set -u

NAME=limits
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh" "$@"
if ! command -v python3 >/dev/null 2>&1; then
	echo "$0: python3 is needed" >&2
	exit 77
fi
SYN=$CONN/syn_dropped.client.pcap
TLS=$HERE/../tls/tls13_ok.client.pcap
for f in "$SYN" "$TLS"; do
	[ -r "$f" ] || { echo "$0: fixture $f missing" >&2; exit 2; }
done

# pcaps.py: read and write classic pcap files; the captures of this test.
cat >"$T/pcaps.py" <<'EOF'
import struct, sys

def read(path):
    b = open(path, "rb").read()
    magic = struct.unpack("<I", b[:4])[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    hdr, off, pkts = b[:24], 24, []
    while off + 16 <= len(b):
        sec, frac, cap, ln = struct.unpack(e + "IIII", b[off:off + 16])
        pkts.append([sec, frac, b[off + 16:off + 16 + cap], ln])
        off += 16 + cap
    return e, hdr, pkts

def write(path, e, hdr, pkts):
    with open(path, "wb") as f:
        f.write(hdr)
        for sec, frac, data, ln in pkts:
            f.write(struct.pack(e + "IIII", sec, frac, len(data), ln) + data)

def csum(h):
    s = sum(struct.unpack("!%dH" % (len(h) // 2), h))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return struct.pack("!H", ~s & 0xffff)

def rewrite(data, src=None, sport=None, dport=None):
    """Ethernet + IPv4 + TCP: new client address or ports (IP checksum redone)."""
    d = bytearray(data)
    ihl = (d[14] & 15) * 4
    tcp = 14 + ihl
    if src is not None:
        d[26:30] = bytes(src)
        d[24:26] = b"\0\0"
        d[24:26] = csum(bytes(d[14:14 + ihl]))
    if sport is not None:
        d[tcp:tcp + 2] = struct.pack("!H", sport)
    if dport is not None:
        d[tcp + 2:tcp + 4] = struct.pack("!H", dport)
    return bytes(d)

def shift(p, us):
    t = p[0] * 1000000 + p[1] + us
    return [t // 1000000, t % 1000000, p[2], p[3]]

cmd = sys.argv[1]
if cmd == "flood":
    # N spoofed SYNs 10 us apart: the first SYN of a real capture, from
    # 192.0.2.1-250 and ports 20000 up; the first R of them retried after 1 s.
    src, out, n, retry = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    e, hdr, pkts = read(src)
    syn = pkts[0]
    res = []
    for i in range(n):
        d = rewrite(syn[2], src=(192, 0, 2, 1 + i % 250), sport=20000 + i // 250)
        res.append(shift([syn[0], syn[1], d, syn[3]], 10 * i))
        if i < retry:
            res.append(shift([syn[0], syn[1], d, syn[3]], 10 * i + 1000000))
    res.sort(key=lambda p: (p[0], p[1]))
    write(out, e, hdr, res)
elif cmd == "copies":
    # K copies of a real connection, each from its own client port, each
    # starting GAP us after the previous one (interleaved in time).
    src, out, k, gap = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    e, hdr, pkts = read(src)
    cport = struct.unpack("!H", pkts[0][2][34:36])[0]
    res = []
    for j in range(k):
        for p in pkts:
            d = p[2]
            sp, dp = struct.unpack("!HH", d[34:38])
            d = rewrite(d, sport=40000 + j if sp == cport else None, dport=40000 + j if dp == cport else None)
            res.append(shift([p[0], p[1], d, p[3]], gap * j))
    res.sort(key=lambda p: (p[0], p[1]))
    write(out, e, hdr, res)
elif cmd == "around":
    # IN with a plain TCP connection (handshake, one byte of plaintext from
    # the client, FINs) from its client to its server, with client port PORT,
    # SHIFT us from IN's first packet (negative: before), for each PORT:SHIFT
    # (the byte: with none at all a connection on a TLS port is tls.no_client_hello)
    src, out = sys.argv[2], sys.argv[3]
    e, hdr, pkts = read(src)
    d0 = pkts[0][2]
    ihl = (d0[14] & 15) * 4
    cli, srv = d0[26:30], d0[30:34]
    sport_srv = struct.unpack("!H", d0[14 + ihl + 2:14 + ihl + 4])[0]
    res = list(pkts)
    for arg in sys.argv[4:]:
        port, sh = (int(x) for x in arg.split(":"))
        seq = [(True, 0x02, 1000, 0, b""), (False, 0x12, 5000, 1001, b""), (True, 0x10, 1001, 5001, b""),
               (True, 0x18, 1001, 5001, b"x"), (True, 0x11, 1002, 5001, b""),
               (False, 0x11, 5001, 1003, b""), (True, 0x10, 1003, 5002, b"")]
        for k, (up, fl, sq, ak, pl) in enumerate(seq):
            a, b = (cli, srv) if up else (srv, cli)
            pa, pb = (port, sport_srv) if up else (sport_srv, port)
            th = struct.pack("!HHIIBBHHH", pa, pb, sq, ak, 5 << 4, fl, 64240, 0, 0) + pl
            ih = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(pl), k, 0, 64, 6, 0, a, b))
            ih[10:12] = csum(bytes(ih))
            fr = d0[:14] if up else d0[6:12] + d0[0:6] + d0[12:14]
            res.append(shift([pkts[0][0], pkts[0][1], fr + bytes(ih) + th, 54 + len(pl)], sh + 1000 * k))
    res.sort(key=lambda p: (p[0], p[1]))
    write(out, e, hdr, res)
EOF

# summary.py JSON EXPR: evaluate EXPR over conns (connection objects), groups
# (group objects), summ (the summary) and objs (every line, each parsed);
# print it if it is a string, else "" when true and "false: EXPR" when not.
cat >"$T/summary.py" <<'EOF'
import json, sys
objs = []
for i, l in enumerate(open(sys.argv[1], "rb").read().split(b"\n")[:-1]):
    try:
        objs.append(json.loads(l.decode("utf-8")))
    except ValueError as e:
        print(f"line {i + 1} is not JSON: {e}: {l[:80]!r}")
        sys.exit(0)
conns = [o for o in objs if o.get("type") == "connection"]
groups = [o for o in objs if o.get("type") == "group"]
summ = objs[-1] if objs and objs[-1].get("type") == "summary" else {}
bounds = summ.get("bounds", {})
r = eval(sys.argv[2])
if isinstance(r, str):
    print(r)
elif not r:
    print("false: " + sys.argv[2][:150])
EOF
jcheck() { python3 "$T/summary.py" "$@"; }

# ---------------------------------------------------------------------------
# A SYN flood: every SYN a connection, reported once, with print's line.

python3 "$T/pcaps.py" flood "$SYN" "$T/flood.pcap" 20000 100
timeout 20 "$SYNACK" print -r "$T/flood.pcap" >"$T/flood.print" 2>/dev/null
run "$SYNACK" --json -r "$T/flood.pcap"
cp "$OUT" "$T/flood.json"
check "SYN flood (20,000 sources, 100 retried): every connection once, tcp.no_answer, exit 1, nothing on stderr" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
	jcheck "$OUT" 'len(conns) == 20000 and len({c["id"] for c in conns}) == 20000'
	jcheck "$OUT" 'all(c["verdict"]["code"] == "tcp.no_answer" for c in conns) and summ["failed"] == 20000 and "bounds" not in summ'
	jcheck "$OUT" 'sorted(c["tcp"]["syn_count"] for c in conns) == [1] * 19900 + [2] * 100'
	jcheck "$OUT" 'all(c["tcp"]["history"] == "S" and c["tcp"]["conn_state"] == "S0" for c in conns)'
	jcheck "$OUT" 'all(len(c.get("community_id", "")) == 30 and c["community_id"].startswith("1:") for c in conns) and len({c["community_id"] for c in conns}) == 20000')"
check "SYN flood: one triage group of all 20,000, clients estimated near 250, its first 3 the examples" "$(
	jcheck "$OUT" '"" if [(g["code"], g["ok"], g["connections"], g["examples_shown"], g["complete"]) for g in groups] == [("tcp.no_answer", False, 20000, 3, True)] else [(g.get("code"), g.get("connections")) for g in groups]'
	jcheck "$OUT" 'groups[0]["examples"] == [c["id"] for c in conns[:3]] and groups[0]["clients_estimated"] is True and abs(groups[0]["clients"] - 250) <= 25'
	jcheck "$OUT" 'groups[0]["first_ts"] == min(c["first_ts"] for c in conns) and groups[0]["last_ts"] == max(c["last_ts"] for c in conns)'
	jcheck "$OUT" '"groups_evicted" not in bounds')"
check "SYN flood: each evidence line is synack print's line for its frame" "$(
	python3 - "$T/flood.json" "$T/flood.print" <<'EOF'
import json, sys
lines = open(sys.argv[2]).read().split("\n")
bad = 0
for l in open(sys.argv[1]):
    o = json.loads(l)
    for e in o.get("evidence", []):
        if lines[e["frame"] - 1] != e["line"]:
            bad += 1
            if bad == 1:
                print(f"frame {e['frame']}: {e['line']!r} != {lines[e['frame'] - 1]!r}")
EOF
)"
run "$SYNACK" -r "$T/flood.pcap" --color=never --all
check "SYN flood (text, --all): 20,000 blocks, the first one's SYN line is print's first" "$(
	n=$(grep -c '^\[FAIL\] ' "$OUT")
	[ "$n" = 20000 ] || echo "$n blocks"
	grep -qF "$(head -n 1 "$T/flood.print")" "$OUT" || echo "first SYN line missing")"
run "$SYNACK" -r "$T/flood.pcap" --color=never
check "SYN flood (text): 3 blocks, one table row of 20,000 (~clients), the summary, exit 1" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	n=$(grep -c '^\[FAIL\] ' "$OUT")
	[ "$n" = 3 ] || echo "$n blocks"
	grep -qF "$(head -n 1 "$T/flood.print")" "$OUT" || echo "first SYN line missing"
	grep -q '^triage: 20000 connections in 1 group, failures first$' "$OUT" || echo "triage: $(grep -m 1 '^triage' "$OUT")"
	grep -Eq '^  20000  +~2[0-9][0-9]  tcp\.no_answer  ' "$OUT" || echo "row: $(grep -m 1 'tcp.no_answer  ' "$OUT")"
	grep -q '^  ~ distinct clients estimated' "$OUT" || echo "no footnote for ~"
	grep -q '^20000 connections: 0 ok, 20000 failed' "$OUT" || echo "summary: $(grep -m 1 ' connections: ' "$OUT")")"

# ---------------------------------------------------------------------------
# A full table: three interleaved copies of a real TLS 1.3 connection, one
# connection at a time. Before, each evicted connection's later packets came
# back as tcp.not_seen connections, all ok, and the exit status was 0.

python3 "$T/pcaps.py" copies "$TLS" "$T/tls3.pcap" 3 300
ntcp=$(timeout 20 "$SYNACK" print -r "$T/tls3.pcap" 2>/dev/null | grep -c 'Flags \[')
run "$SYNACK" --json -r "$T/tls3.pcap"
check "three TLS connections: all tls.established, exit 0" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	jcheck "$OUT" '[c["verdict"]["code"] for c in conns] == ["tls.established"] * 3')"
run "$SYNACK" --json -r "$T/tls3.pcap" --max-flows 1
check "--max-flows 1: no connection made of an evicted one's packets, evicted ones not ok, exit 1" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	jcheck "$OUT" '"" if not any(c["verdict"]["code"] == "tcp.not_seen" for c in conns) else [c["verdict"]["code"] for c in conns]'
	jcheck "$OUT" 'len(conns) == 3 and sorted(c["client"]["port"] for c in conns) == [40000, 40001, 40002]'
	jcheck "$OUT" 'all(not c["verdict"]["ok"] and c["verdict"]["summary"].endswith("(reported early: the connection table was full)") and "--max-flows" in c["verdict"]["explanation"] for c in conns if c["reported_because"] == "table_full")'
	jcheck "$OUT" 'bounds.get("evicted_table_full") == sum(c["reported_because"] == "table_full" for c in conns) >= 2'
	jcheck "$OUT" 'sum(c["packets"]["client"] + c["packets"]["server"] for c in conns) + bounds.get("after_eviction_packets", 0) == '"$ntcp"
	[ "$(nlines "$ERR")" = 1 ] || echo "stderr: $(nlines "$ERR") lines"
	grep -Eq '^synack: warning: [0-9]+ connections reported before they ended \(the connection table was full: raise --max-flows\); [1-9][0-9]* later packets of them counted, not analyzed$' "$ERR" ||
		echo "stderr: $(first "$ERR")")"
# healthy connections of the same code, server and SNI around them: the ones
# reported early (failed) must not be counted, unseen, in a healthy group
python3 "$T/pcaps.py" copies "$TLS" "$T/mix3.pcap" 3 2000
python3 "$T/pcaps.py" around "$T/mix3.pcap" "$T/mix.pcap" 39990:-1000000 39991:1000000
run "$SYNACK" -r "$T/mix.pcap" --max-flows 1 -q
cp "$OUT" "$T/mix.txt"
run "$SYNACK" --json -r "$T/mix.pcap" --max-flows 1
check "--max-flows 1, healthy connections of the same code and server beside evicted ones: no failed connection counted in a healthy group" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	jcheck "$OUT" '"" if sorted((c["verdict"]["code"], c["verdict"]["ok"]) for c in conns) == [("tcp.completed", False)] * 2 + [("tcp.completed", True)] * 2 + [("tls.established", True)] else "fixture: %s" % [(c["verdict"]["code"], c["verdict"]["ok"]) for c in conns]'
	jcheck "$OUT" 'sum(g["connections"] for g in groups) == len(conns)'
	jcheck "$OUT" '"; ".join("group %s %s:%s ok=%s holds %d connections, %d of its key and ok-ness" % (g["code"], g["server"]["ip"], g["server"]["port"], g["ok"], g["connections"], n) for g in groups if not g.get("other") for n in [sum(1 for c in conns if (c["verdict"]["code"], c["verdict"]["ok"], c["server"], ((c["tls"] or {}).get("client_hello") or {}).get("sni")) == (g["code"], g["ok"], g["server"], g["sni"]))] if n != g["connections"])'
	jcheck "$OUT" '"" if sum(g["connections"] for g in groups if not g["ok"]) >= summ["failed"] and all(g["next_step"] for g in groups if not g["ok"]) else "failed groups hold %d connections, %d failed" % (sum(g["connections"] for g in groups if not g["ok"]), summ["failed"])'
	# the table (-q): a failed group first, its next step under it
	sed -n 4p "$T/mix.txt" | grep -Eq '^ +2[ *] +1  tcp\.completed  ' || echo "-q: first row: $(sed -n 4p "$T/mix.txt")"
	sed -n 6p "$T/mix.txt" | grep -q '^ *next  ' || echo "-q: no next step under it: $(sed -n 6p "$T/mix.txt")")"

run "$SYNACK" -r "$T/tls3.pcap" --max-flows 1 --color=never
check "--max-flows 1 (text): 3 blocks, bounds in the summary, exit 1" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	n=$(grep -Ec '^\[(ok|FAIL)\] ' "$OUT")
	[ "$n" = 3 ] || echo "$n blocks"
	grep -q '^bounds hit:$' "$OUT" || echo "no 'bounds hit:' in the summary"
	grep -Eq '^  evicted_table_full +[0-9]+$' "$OUT" || echo "no evicted_table_full line"
	grep -q 'reported early: the connection table' "$OUT" || echo "no 'reported early' in a block")"

# ---------------------------------------------------------------------------
# The memory budget.

run "$SYNACK" --json -r "$T/flood.pcap" --memory-limit 1M
check "--memory-limit 1M on the flood: evictions for memory, each connection still once, exit 1" "$(
	[ "$RC" = 1 ] || echo "exit $RC"
	jcheck "$OUT" '20000 <= len(conns) <= 20000 + bounds.get("evicted_forgotten", 0) and len({c["id"] for c in conns}) == len(conns)'
	jcheck "$OUT" 'bounds.get("evicted_memory_limit", 0) > 10000 and bounds["evicted_memory_limit"] == sum(c["reported_because"] == "memory_limit" for c in conns)'
	jcheck "$OUT" 'all(c["verdict"]["code"] == "tcp.no_answer" and not c["verdict"]["ok"] for c in conns)'
	jcheck "$OUT" 'all(c["verdict"]["summary"].endswith("(reported early: the memory limit was reached)") for c in conns if c["reported_because"] == "memory_limit")'
	jcheck "$OUT" 'sum(c["tcp"]["syn_count"] for c in conns) + bounds.get("after_eviction_packets", 0) == 20100'
	jcheck "$OUT" 'sum(g["connections"] for g in groups) == len(conns) and all(not g.get("ok", False) for g in groups)'
	grep -Eq '^synack: warning: [0-9]+ connections reported before they ended \(the memory limit was reached: raise --memory-limit\); [0-9]+ later packets? of them counted, not analyzed$' "$ERR" ||
		echo "stderr: $(first "$ERR")")"
for v in 0 1K 1023K 12Q -5M M ''; do
	expect_error "bad --memory-limit '$v'" 2 '^synack: --memory-limit: invalid size' \
		"$SYNACK" -r "$T/flood.pcap" --memory-limit "$v"
done

# ---------------------------------------------------------------------------
# Out of memory, with an address-space limit. ASan reserves terabytes of
# address space up front: no such limit can be set for it.

if grep -aq __asan_init "$SYNACK" 2>/dev/null; then
	skip "out of memory (ulimit -v)" "an ASan build cannot run under an address-space limit"
else
	python3 "$T/pcaps.py" flood "$SYN" "$T/bigflood.pcap" 150000 0
	printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\000\000\004\000\001\000\000\000' >"$T/empty.pcap"
	# the least address space (in 4 MiB steps) in which synack reads an empty capture
	base=0
	for kb in $(seq 16384 4096 1048576); do
		if (ulimit -v "$kb"; "$SYNACK" --json -r "$T/empty.pcap" >/dev/null 2>&1); then
			base=$kb
			break
		fi
	done
	if [ "$base" = 0 ]; then
		skip "out of memory (ulimit -v)" "synack does not start even with 1 GiB of address space"
	else
		# 150,000 SYN-only connections need ~55 MB: give 24 MiB more than an empty run
		lim=$((base + 24576))
		for mode in --json --color=never; do
			(ulimit -v "$lim"; timeout 60 "$SYNACK" $mode -r "$T/bigflood.pcap" >"$OUT" 2>"$ERR")
			RC=$?
			check "out of memory ($mode, ulimit -v $lim KiB): exit 2, stderr says what was lost, output whole" "$(
				[ "$RC" = 2 ] || echo "exit $RC"
				grep -Eq '^synack: out of memory: [1-9][0-9]* allocations? failed; [0-9]+ packets? not analyzed, [0-9]+ connections? not followed in full, [0-9]+ evidence lines? and [0-9]+ reports? lost: the results are incomplete$' "$ERR" ||
					echo "stderr: $(tr '\n' '|' <"$ERR" | cut -c 1-200)"
				if [ "$mode" = --json ]; then
					jcheck "$OUT" 'bool(summ) and bounds.get("alloc_failed", 0) > 0'
					jcheck "$OUT" 'len(conns) + bounds.get("oom_packets", 0) + bounds.get("oom_reports_dropped", 0) == 150000'
				else
					grep -Eq '^  alloc_failed +[1-9][0-9]*$' "$OUT" || echo "no alloc_failed in the text summary"
				fi)"
		done
	fi
fi

echo "$PASS passed, $FAIL failed${SKIP:+, $SKIP skipped}"
[ "$FAIL" = 0 ]
