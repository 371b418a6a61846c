#!/bin/bash
# tests/cli/stress.sh: synack under stress (issue 9): what -w writes into
# (FIFOs, devices, symlinks, sockets, the input itself, a full disk), closed
# standard descriptors, absurd timestamps, corrupt record headers, input from a
# pipe (prompt, and drained on SIGINT), a reader that goes away, usage errors,
# hostile and overlong names in error lines, --idle-timeout bounds.
#
#   tests/cli/stress.sh SYNACK_BINARY
#
# One line per check ("ok - name", "not ok - name: detail", "skip - name: why"),
# then "N passed, M failed[, K skipped]". Exit 1 if any check failed, else 0.
# Checks that need root (device nodes, a small tmpfs) are skipped otherwise.
# Every capture used here is written by gen.py below.
set -u

NAME=stress
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh" "$@"
if ! command -v python3 >/dev/null 2>&1; then
	echo "$0: python3 is needed" >&2
	exit 77
fi
IS_ROOT=0
[ "$(id -u)" = 0 ] && IS_ROOT=1
HAVE_TCPDUMP=0
command -v tcpdump >/dev/null 2>&1 && HAVE_TCPDUMP=1

why_clean() {
	[ "$RC" = 0 ] || echo "exit $RC, want 0 (stderr: $(first "$ERR"))"
	[ -s "$ERR" ] && echo "stderr not empty: $(first "$ERR")"
}
why_differs() {
	if ! cmp -s "$1" "$2"; then
		echo "$1 and $2 differ ($(wc -c <"$1") vs $(wc -c <"$2") bytes)"
	fi
}
# why_capture FILE WANT_LINES: synack print reads FILE cleanly, to WANT_LINES' lines
why_capture() {
	timeout 20 "$SYNACK" print -r "$1" >"$T/rb.out" 2>"$T/rb.err"
	local r=$?
	[ "$r" = 0 ] || echo "print -r $1: exit $r: $(first "$T/rb.err")"
	[ -s "$T/rb.err" ] && echo "print -r $1: stderr: $(first "$T/rb.err")"
	why_differs "$T/rb.out" "$2"
}
ftype() { stat -c %F "$1" 2>/dev/null || echo missing; }

# ---------------------------------------------------------------------------
# gen.py KIND OUT: the captures.

cat >"$T/gen.py" <<'EOF'
import struct, sys

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def tcp(cli, sport, flags, seq, ack=0, to_server=True, payload=b""):
    """An Ethernet/IPv4/TCP frame between client 10.x.y.z (cli = 24-bit host) and 203.0.113.20:80
    (not a TLS port: a connection closed with no payload is healthy there, tls.no_client_hello on 443)."""
    c = bytes([10, (cli >> 16) & 255, (cli >> 8) & 255, cli & 255])
    sv = bytes([203, 0, 113, 20])
    src, dst = (c, sv) if to_server else (sv, c)
    sp, dp = (sport, 80) if to_server else (80, sport)
    th = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 64240, 0, 0) + payload
    ih = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(th), seq & 0xffff, 0, 64, 6, 0, src, dst)
    ih = ih[:10] + struct.pack("!H", csum(ih)) + ih[12:]
    return b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00" + ih + th

S, SA, A, FA, PA = 0x02, 0x12, 0x10, 0x11, 0x18

def handshake(cli, sport, closed=True):
    """A completed connection, closed by both sides when closed."""
    pk = [tcp(cli, sport, S, 1000), tcp(cli, sport, SA, 5000, 1001, False), tcp(cli, sport, A, 1001, 5001)]
    if closed:
        pk += [tcp(cli, sport, FA, 1001, 5001), tcp(cli, sport, FA, 5001, 1002, False), tcp(cli, sport, A, 1002, 5002)]
    return pk

def pcap_hdr():
    return struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1)

def rec(frame, t):
    sec, usec = int(t), int(round((t - int(t)) * 1e6))
    return struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame

def ng_block(t, body):
    n = 12 + len(body)
    return struct.pack("<II", t, n) + body + struct.pack("<I", n)

def ng_head():
    shb = ng_block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1))
    # one interface, if_tsresol 6 (microseconds), stated explicitly
    opts = struct.pack("<HH", 9, 1) + b"\x06\0\0\0" + struct.pack("<HH", 0, 0)
    return shb + ng_block(1, struct.pack("<HHI", 1, 0, 262144) + opts)

def epb(frame, ts):
    pad = b"\0" * ((4 - len(frame) % 4) % 4)
    return ng_block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xffffffff, len(frame), len(frame)) + frame + pad)

T0 = 1700000000.0
def good_records(n=1, t=T0, first=1):
    out = b""
    for k in range(n):
        for i, f in enumerate(handshake(first + k, 40000 + k)):
            out += rec(f, t + k * 0.01 + i * 0.001)
    return out

kind, path = sys.argv[1], sys.argv[2]
b = b""
if kind == "good":            # 3 closed connections, 18 packets
    b = pcap_hdr() + good_records(3)
elif kind == "many":          # 400 connections, 2400 packets, about 200 KB
    b = pcap_hdr() + good_records(400)
elif kind == "caplen":        # 6 good packets, then a record header claiming 4 GiB, then more
    b = pcap_hdr() + good_records(1) + struct.pack("<IIII", 1700000001, 0, 0xffffffff, 60) + good_records(1, first=2)
elif kind == "caplen_late":   # 3000 good packets, then the corrupt header
    b = pcap_hdr() + good_records(500) + struct.pack("<IIII", 1700000009, 0, 0xffffffff, 60) + good_records(1, first=999)
elif kind == "caplen_first":  # the first record header is corrupt
    b = pcap_hdr() + struct.pack("<IIII", 1700000001, 0, 0xffffffff, 60) + good_records(1)
elif kind == "cut":           # the last record cut short in the middle (the documented warning case)
    b = (pcap_hdr() + good_records(1))[:-7]
elif kind in ("ngbig", "ng13"):  # pcapng: a block 17 MiB long, or 13 bytes long, after 6 good packets
    b = ng_head() + b"".join(epb(f, int((T0 + i * 0.001) * 1e6)) for i, f in enumerate(handshake(1, 40000)))
    b += struct.pack("<II", 6, 17 << 20 if kind == "ngbig" else 13) + b"\0" * 64
elif kind == "hugets":        # pcapng: a connection at a time near 2^64 microseconds, then a normal one
    f = handshake(1, 40000)
    b = ng_head() + epb(f[0], 2**64 - 5) + epb(f[1], 2**64 - 3)
    b += b"".join(epb(x, int((T0 + i * 0.001) * 1e6)) for i, x in enumerate(handshake(2, 40001)))
elif kind == "negts":         # pcapng in whole seconds: timestamps of 2^63 + 5 s, negative as time_t
    f = handshake(1, 40000)
    shb = ng_block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1))
    opts = struct.pack("<HH", 9, 1) + b"\0\0\0\0" + struct.pack("<HH", 0, 0)
    b = shb + ng_block(1, struct.pack("<HHI", 1, 0, 262144) + opts)
    b += epb(f[0], 2**63 + 5) + epb(f[1], 2**63 + 7) + epb(f[2], 1700000000)
elif kind == "pending":       # 60000 SYN-only connections (all pending at the end), then 100 closed
    # ones, then time passes so that those are reported while the file is read
    out = [pcap_hdr()]
    for k in range(60000):
        out.append(rec(tcp(100000 + k, 50000, S, 7000 + k), T0 + k * 0.0001))
    out.append(good_records(100, T0 + 7))
    for k in range(200):
        out.append(rec(tcp(200000 + k, 50001, S, 9000 + k), T0 + 10 + k * 0.01))
    b = b"".join(out)
else:
    sys.exit("gen.py: unknown kind " + kind)
open(path, "wb").write(b)
EOF
gen() { python3 "$T/gen.py" "$1" "$T/$1.${2:-pcap}" || { echo "$0: gen.py $1 failed" >&2; exit 2; }; }
gen good
gen many
gen caplen
gen caplen_first
gen caplen_late
gen cut
gen ngbig pcapng
gen ng13 pcapng
gen hugets pcapng
gen negts pcapng
GOOD=$T/good.pcap
timeout 20 "$SYNACK" print -r "$GOOD" >"$T/good.lines" 2>/dev/null
timeout 20 "$SYNACK" print -r "$T/many.pcap" >"$T/many.lines" 2>/dev/null
mkdir "$T/ref"
timeout 20 "$SYNACK" print -r "$GOOD" -w "$T/ref/good.pcap" 2>/dev/null
[ "$(nlines "$T/good.lines")" = 18 ] && [ -s "$T/ref/good.pcap" ] ||
	{ echo "$0: cannot make the reference outputs" >&2; exit 2; }

# ---------------------------------------------------------------------------
# 5. What -w writes into. Regular files (and new names) get a temporary file
# renamed into place; a symlink to a regular file gets its target replaced, the
# link kept; FIFOs and devices are written in place, as tcpdump does; a
# dangling symlink, a socket or the input itself are refused.

mkdir "$T/w"
mkfifo "$T/w/fifo"
timeout 10 cat "$T/w/fifo" >"$T/w/fifo.out" &
catpid=$!
BG_PIDS+=("$catpid")
run "$SYNACK" print -r "$GOOD" -w "$T/w/fifo"
wait "$catpid"
check "-w FIFO: written in place, the FIFO stays a FIFO" "$(why_clean)$(
	[ -p "$T/w/fifo" ] || echo "$T/w/fifo is now: $(ftype "$T/w/fifo")"
	ls "$T/w" | grep -q partial && echo "temp file left: $(ls "$T/w" | grep partial)"
	why_differs "$T/w/fifo.out" "$T/ref/good.pcap")"

echo "real, old" >"$T/w/real.pcap"
ln -s real.pcap "$T/w/link.pcap"
run "$SYNACK" print -r "$GOOD" -w "$T/w/link.pcap"
check "-w symlink to a regular file: the target replaced, the link kept" "$(why_clean)$(
	[ -L "$T/w/link.pcap" ] || echo "link.pcap is now: $(ftype "$T/w/link.pcap")"
	[ "$(readlink "$T/w/link.pcap")" = real.pcap ] || echo "link now points to '$(readlink "$T/w/link.pcap")'"
	why_differs "$T/w/real.pcap" "$T/ref/good.pcap"
	[ "$(stat -c %a "$T/w/real.pcap")" = 600 ] || echo "target mode $(stat -c %a "$T/w/real.pcap")")"

ln -s nowhere/nothing.pcap "$T/w/dangling.pcap"
run "$SYNACK" print -r "$GOOD" -w "$T/w/dangling.pcap"
check "-w dangling symlink: refused, one line, exit 2, the link untouched" "$(why_error 2 'dangling\.pcap: .*(dangling|symbolic link)')$(
	[ -L "$T/w/dangling.pcap" ] || echo "dangling.pcap is now: $(ftype "$T/w/dangling.pcap")"
	ls "$T/w" | grep -q partial && echo "temp file left")"

python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/w/sock"
run "$SYNACK" print -r "$GOOD" -w "$T/w/sock"
check "-w socket: refused, one line, exit 2, the socket untouched" "$(why_error 2 'sock: .*socket')$(
	[ -S "$T/w/sock" ] || echo "sock is now: $(ftype "$T/w/sock")")"

if [ "$IS_ROOT" = 1 ]; then
	mknod "$T/w/null" c 1 3
	run "$SYNACK" print -r "$GOOD" -w "$T/w/null"
	check "-w character device (null, 1:3): written in place, still a device" "$(why_clean)$(
		[ -c "$T/w/null" ] || echo "null is now: $(ftype "$T/w/null")"
		ls "$T/w" | grep -q partial && echo "temp file left")"
	ln -s null "$T/w/nulllink"
	run "$SYNACK" -r "$GOOD" -w "$T/w/nulllink"
	check "-w symlink to a device (analysis): written in place, link and device kept" "$(
		[ "$RC" = 0 ] || echo "exit $RC (stderr: $(first "$ERR"))"
		[ -L "$T/w/nulllink" ] || echo "nulllink is now: $(ftype "$T/w/nulllink")"
		[ -c "$T/w/null" ] || echo "null is now: $(ftype "$T/w/null")")"
	mknod "$T/w/full" c 1 7
	run "$SYNACK" print -r "$T/many.pcap" -w "$T/w/full"
	check "-w a full device (full, 1:7): exit 2, one line, 'No space', still a device" "$(
		why_error 2 'full: .*No space left on device.*[^0-9]0 packets')$(
		[ -c "$T/w/full" ] || echo "full is now: $(ftype "$T/w/full")")"
else
	for n in "-w character device" "-w symlink to a device" "-w a full device"; do
		skip "$n" "not root (mknod)"
	done
fi

# -r F -w F: refused before anything is written, by any spelling
cp "$GOOD" "$T/w/in.pcap"
cp "$GOOD" "$T/w/in.orig"
ln "$T/w/in.pcap" "$T/w/hard.pcap"
ln -s in.pcap "$T/w/soft.pcap"
for spelling in "$T/w/in.pcap" "$T/w/./in.pcap" "$T/w/../w/in.pcap" "$T/w/hard.pcap" "$T/w/soft.pcap"; do
	run "$SYNACK" print -r "$T/w/in.pcap" -w "$spelling" 'tcp[tcpflags] & tcp-syn != 0'
	check "print -r F -w ${spelling#"$T"/}: refused, the input untouched" "$(why_error 2 'input')$(
		why_differs "$T/w/in.pcap" "$T/w/in.orig")"
done
run "$SYNACK" -r "$T/w/in.pcap" -w "$T/w/hard.pcap"
check "analysis -r F -w (hard link to F): refused, the input untouched" "$(why_error 2 'input')$(
	why_differs "$T/w/in.pcap" "$T/w/in.orig")"
run "$SYNACK" print -r - -w "$T/w/in.pcap" <"$T/w/in.pcap"
check "print -r - -w F with F on stdin: refused, the input untouched" "$(why_error 2 'input')$(
	why_differs "$T/w/in.pcap" "$T/w/in.orig")"

# ---------------------------------------------------------------------------
# 6. Closed standard descriptors: the -w file must not become fd 1 or 2.

mkdir "$T/fd"
timeout 20 "$SYNACK" -r - -w "$T/fd/out1.pcap" <"$GOOD" 1>&- 2>"$ERR"
RC=$?
check "analysis -r - -w F with stdout closed: F is a clean capture" "$(
	[ "$RC" = 0 ] || echo "exit $RC: $(first "$ERR")"
	why_differs "$T/fd/out1.pcap" "$T/ref/good.pcap"
	why_capture "$T/fd/out1.pcap" "$T/good.lines")"
timeout 20 "$SYNACK" print -r - -w "$T/fd/out2.pcap" <"$T/cut.pcap" 2>&- >"$OUT"
RC=$?
check "print -r - -w F with stderr closed (a warning to give): F is a clean capture" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	timeout 20 "$SYNACK" print -r "$T/fd/out2.pcap" >/dev/null 2>"$T/fd.err" || echo "not readable: $(first "$T/fd.err")"
	[ -s "$T/fd.err" ] && echo "read back with a complaint: $(first "$T/fd.err")"
	[ "$(timeout 20 "$SYNACK" print -r "$T/fd/out2.pcap" 2>/dev/null | wc -l)" = 5 ] || echo "not the 5 packets before the cut")"
timeout 20 "$SYNACK" print -r - -w "$T/fd/out3.pcap" --print <"$GOOD" 1>&- 2>&-
RC=$?
check "print -r - -w F --print with stdout and stderr closed: F is a clean capture" "$(
	why_differs "$T/fd/out3.pcap" "$T/ref/good.pcap")"

# ---------------------------------------------------------------------------
# 7. Timestamps near 2^64 microseconds (pcapng): clamped, counted, one warning.

run "$SYNACK" --json -r "$T/hugets.pcapng"
check "analysis of timestamps near 2^64 us: no negative times, one warning line" "$(
	[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC: $(first "$ERR")"
	[ "$(nlines "$ERR")" = 1 ] || echo "stderr is $(nlines "$ERR") lines: $(head -c 300 "$ERR" | tr '\n' '|')"
	grep -q '^synack: warning: .*hugets\.pcapng: 2 packets' "$ERR" || echo "stderr: $(first "$ERR")"
	python3 -c '
import json, sys
cs = [json.loads(l) for l in open(sys.argv[1])]
cs = [c for c in cs if c.get("type") == "connection"]
bad = [(c["id"], c["first_ts"], c["last_ts"]) for c in cs if c["first_ts"] < 0 or c["last_ts"] < 0]
print(("negative times: %r" % bad) if bad else "" if len(cs) == 2 else "%d connections, want 2" % len(cs))' "$OUT" 2>&1)"
run "$SYNACK" --json -r "$T/negts.pcapng"
check "analysis of timestamps of 2^63 s (negative as time_t): clamped, one warning line" "$(
	[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC: $(first "$ERR")"
	[ "$(nlines "$ERR")" = 1 ] || echo "stderr is $(nlines "$ERR") lines: $(head -c 300 "$ERR" | tr '\n' '|')"
	grep -q '^synack: warning: .*negts\.pcapng: 2 packets' "$ERR" || echo "stderr: $(first "$ERR")"
	grep -q '"type":"summary".*"bounds":{"timestamps_clamped":2}' "$OUT" || echo "summary: $(tail -n 1 "$OUT" | cut -c 1-200)")"
run "$SYNACK" print -r "$T/hugets.pcapng"
check "print of timestamps near 2^64 us: exit 0, all lines, one warning" "$(
	[ "$RC" = 0 ] || echo "exit $RC: $(first "$ERR")"
	[ "$(nlines "$OUT")" = 8 ] || echo "$(nlines "$OUT") lines, want 8"
	[ "$(nlines "$ERR")" = 1 ] || echo "stderr is $(nlines "$ERR") lines"
	grep -q '^synack: warning: .*2 packets' "$ERR" || echo "stderr: $(first "$ERR")")"

# ---------------------------------------------------------------------------
# 8. Corrupt record headers: exit 2 with the byte offset; a file cut in its last
# record is still a warning and exit 0; -w never replaces a file after a failed read.

corrupt() {   # NAME FILE OFFSET
	local f=$2 b
	b=$(basename "$f")
	b=${b//./\\.}
	expect_error "print -w $1: exit 2, one line with the offset" 2 "$b: .*byte offset $3" \
		"$SYNACK" print -r "$f" -w "$T/c/$1.pout"
	run "$SYNACK" print -r "$f"
	check "print $1: the packets before it printed, then one error line, exit 2" "$(
		[ "$RC" = 2 ] || echo "exit $RC"
		[ "$(nlines "$ERR")" = 1 ] || echo "stderr is $(nlines "$ERR") lines"
		grep -Eq "^synack: .*$b: .*byte offset $3" "$ERR" || echo "stderr: $(first "$ERR")")"
	run "$SYNACK" --json -r "$f"
	check "analysis $1: the connections before it reported, one error line, exit 2" "$(
		[ "$RC" = 2 ] || echo "exit $RC"
		[ "$(nlines "$ERR")" = 1 ] || echo "stderr is $(nlines "$ERR") lines"
		grep -Eq "^synack: .*$b: .*byte offset $3" "$ERR" || echo "stderr: $(first "$ERR")"
		tail -n 1 "$OUT" | grep -q '"type":"summary"' || echo "no summary: $(tail -n 1 "$OUT" | cut -c 1-100)")"
	echo "keep me" >"$T/c/old"
	cp "$T/c/old" "$T/c/old.want"
	run "$SYNACK" print -r "$f" -w "$T/c/old"
	check "print -w over an existing file, $1: exit 2, the file untouched" "$(
		[ "$RC" = 2 ] || echo "exit $RC"
		cmp -s "$T/c/old" "$T/c/old.want" || echo "old file replaced"
		ls "$T/c" | grep -q partial && echo "temp file left")"
	run "$SYNACK" -r "$f" -w "$T/c/old"
	check "analysis -w over an existing file, $1: exit 2, the file untouched" "$(
		[ "$RC" = 2 ] || echo "exit $RC"
		cmp -s "$T/c/old" "$T/c/old.want" || echo "old file replaced"
		[ -e "$T/c/$1.out" ] && echo "$1.out written"
		ls "$T/c" | grep -q partial && echo "temp file left")"
}
mkdir "$T/c"
# offsets: pcap header 24, each record 16 + 54
corrupt "caplen 0xffffffff after 6 packets" "$T/caplen.pcap" $((24 + 6 * 70))
corrupt "caplen 0xffffffff in the first record" "$T/caplen_first.pcap" 24
corrupt "caplen 0xffffffff after 3000 packets" "$T/caplen_late.pcap" $((24 + 3000 * 70))
run "$SYNACK" print -r "$T/caplen_late.pcap" 'tcp[tcpflags] & tcp-fin != 0'
check "print with a filter, corrupt after 3000 packets: the offset still exact" "$(
	[ "$RC" = 2 ] || echo "exit $RC"
	[ "$(nlines "$OUT")" = 1000 ] || echo "$(nlines "$OUT") lines, want 1000"
	grep -q "^synack: .*caplen_late\.pcap: .*byte offset $((24 + 3000 * 70)):" "$ERR" || echo "stderr: $(first "$ERR")")"
# pcapng: SHB 28, IDB 32, each EPB 32 + 56
corrupt "pcapng block of 17 MiB" "$T/ngbig.pcapng" $((28 + 32 + 6 * 88))
corrupt "pcapng block of 13 bytes" "$T/ng13.pcapng" $((28 + 32 + 6 * 88))
run "$SYNACK" print -r - <"$T/caplen.pcap"
check "print -r - (stdin) with a corrupt record: exit 2, the offset" "$(
	[ "$RC" = 2 ] || echo "exit $RC"
	[ "$(nlines "$OUT")" = 6 ] || echo "$(nlines "$OUT") lines, want 6"
	grep -q "^synack: stdin: .*byte offset $((24 + 6 * 70))" "$ERR" || echo "stderr: $(first "$ERR")")"
run "$SYNACK" print -r "$T/cut.pcap"
check "a file cut in its last record: printed up to the cut, a warning, exit 0" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	[ "$(nlines "$OUT")" = 5 ] || echo "$(nlines "$OUT") lines, want 5"
	[ "$(nlines "$ERR")" = 1 ] || echo "stderr is $(nlines "$ERR") lines"
	grep -q '^synack: .*cut\.pcap: .*truncated' "$ERR" || echo "stderr: $(first "$ERR")")"

# ---------------------------------------------------------------------------
# 9. Input from a pipe: each packet as it arrives, and what has arrived is
# still printed after SIGINT.

# writer.py MODE GATE: a pcap (or pcapng) header and one packet, then waits up
# to 4 s for GATE to exist, then one more packet; "hold" then keeps the pipe
# open for up to 8 s more.
cat >"$T/writer.py" <<'EOF'
import os, sys, time
sys.path.insert(0, os.path.dirname(sys.argv[0]))
exec(open(os.path.join(os.path.dirname(sys.argv[0]), "gen.py")).read().split("kind, path =")[0])
mode, gate = sys.argv[1], sys.argv[2]
out = sys.stdout.buffer
f = handshake(1, 40000)
def pkt(i):
    return epb(f[i], int((T0 + i) * 1e6)) if mode.startswith("ng") else rec(f[i], T0 + i)
try:
    out.write((ng_head() if mode.startswith("ng") else pcap_hdr()) + pkt(0))
    out.flush()
    for _ in range(400):
        if os.path.exists(gate):
            break
        time.sleep(0.01)
    out.write(pkt(1))
    out.flush()
    if mode.endswith("hold"):
        for _ in range(800):
            if os.path.exists(gate + ".end"):
                break
            time.sleep(0.01)
except BrokenPipeError:
    pass
EOF
# wait_lines FILE N SECONDS: FILE has at least N lines within SECONDS
wait_lines() {
	local i
	for i in $(seq 1 $(($3 * 20))); do
		[ "$(nlines "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}
for fmt in pcap ng; do
	rm -f "$T/gate"
	python3 "$T/writer.py" "$fmt" "$T/gate" | timeout 20 "$SYNACK" print -l -r - >"$T/pipe.out" 2>"$T/pipe.err" &
	pp=$!
	BG_PIDS+=("$pp")
	early=0
	wait_lines "$T/pipe.out" 1 3 && early=1
	touch "$T/gate"
	wait "$pp"
	check "print -l -r - ($fmt on a pipe): the first packet printed while the writer waits" "$(
		[ "$early" = 1 ] || echo "no line within 3 s of the packet being written"
		[ "$(nlines "$T/pipe.out")" = 2 ] || echo "$(nlines "$T/pipe.out") lines at the end, want 2"
		[ -s "$T/pipe.err" ] && echo "stderr: $(first "$T/pipe.err")")"
done

# SIGINT: the packet written while synack was stopped (SIGSTOP) is in the pipe
# when the SIGINT arrives, and must still be printed.
rm -f "$T/gate" "$T/gate.end"
python3 "$T/writer.py" hold "$T/gate" | "$SYNACK" print -l -r - >"$T/int.out" 2>"$T/int.err" &
sp=$!                   # the last command of the pipeline: synack itself
(sleep 20; kill -KILL "$sp") 2>/dev/null &
BG_PIDS+=("$sp" "$!")
wait_lines "$T/int.out" 1 3
kill -STOP "$sp"
touch "$T/gate"
sleep 0.5                   # the writer has written the second packet by now
t0=$(date +%s%N)
kill -INT "$sp"
kill -CONT "$sp"
# exited (gone, or a zombie) while the writer still holds the pipe open?
for i in $(seq 1 60); do
	st=$(awk '{ print $3 }' "/proc/$sp/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ] && break
	sleep 0.05
done
dt=$((($(date +%s%N) - t0) / 1000000))
touch "$T/gate.end"         # only now may the writer close the pipe
wait "$sp"
RC=$?
check "SIGINT with a packet waiting in the pipe (the writer holding it open): printed, exit 0 at once" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	[ "$dt" -lt 3000 ] || echo "exited $dt ms after SIGINT"
	[ "$(nlines "$T/int.out")" = 2 ] || echo "$(nlines "$T/int.out") lines, want 2"
	[ -s "$T/int.err" ] && echo "stderr: $(first "$T/int.err")")"

# ---------------------------------------------------------------------------
# 11. The reader goes away: stop at once, quietly. 60000 connections are still
# pending when the reader of stdout leaves; formatting them for nobody is what
# must not happen: the run's CPU time is compared with a whole run's, in the
# modes that format every connection (--all, --json). The default text shows
# only 3 connections a group: a whole run of it formats next to nothing, so
# it is only checked to stop quietly.

gen pending
cat >"$T/epipe.py" <<'EOF'
import os, resource, subprocess, sys, signal
signal.alarm(60)
# epipe.py SYNACK FILE ERRFILE ratio|quiet [OPTION...]
synack, f, errf, mode, opts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
def cpu(argv, head):
    with open(errf, "wb") as err:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE if head else subprocess.DEVNULL, stderr=err)
        if head:
            h = subprocess.Popen(["head", "-c", "100"], stdin=p.stdout, stdout=subprocess.DEVNULL)
            p.stdout.close()
            h.wait()
        _, st, ru = os.wait4(p.pid, 0)
    return ru.ru_utime + ru.ru_stime, os.waitstatus_to_exitcode(st)
full, rc_full = cpu([synack, "-l", "-r", f] + opts, False)
cut, rc = cpu([synack, "-l", "-r", f] + opts, True)
err = open(errf).read()
if rc not in (0, 1):
    print("exit %d after the reader left" % rc)
if err:
    print("stderr: " + err[:200])
if mode == "ratio" and cut > 0.5 * full:
    print("%.2f s of CPU after the reader left, %.2f s for the whole run" % (cut, full))
EOF
for o in --all --json; do
	check "analysis -l $o | head -c 100 with 60000 connections pending: stops at once, quietly" \
		"$(python3 "$T/epipe.py" "$SYNACK" "$T/pending.pcap" "$T/epipe.err" ratio $o 2>&1)"
done
check "analysis -l (default text) | head -c 100 with 60000 connections pending: stops quietly" \
	"$(python3 "$T/epipe.py" "$SYNACK" "$T/pending.pcap" "$T/epipe.err" quiet 2>&1)"

# ---------------------------------------------------------------------------
# 11. A full disk under -w: what was written is kept (whole packets), one line
# says how many, exit 2.

if [ "$IS_ROOT" != 1 ]; then
	skip "-w on a full disk" "not root (mount -t tmpfs)"
else
	mkdir "$T/small"
	if ! mount -t tmpfs -o size=64k synack-stress "$T/small" 2>"$T/mount.err"; then
		skip "-w on a full disk" "mount -t tmpfs failed: $(first "$T/mount.err")"
	else
		trap 'umount "$T/small" 2>/dev/null; cleanup' EXIT
		echo "old" >"$T/small/out.pcap"
		run "$SYNACK" print -r "$T/many.pcap" -w "$T/small/out.pcap"
		n=$(sed -nE 's/.* ([0-9]+) packets.*/\1/p' "$ERR")
		timeout 20 "$SYNACK" print -r "$T/small/out.pcap" >"$T/small.lines" 2>"$T/small.err"
		r=$?
		check "-w on a full 64 KiB tmpfs: exit 2, one line, the whole packets written kept" "$(
			why_error 2 'out\.pcap: .*No space left on device.*truncated|out\.pcap: .*truncated.*No space left'
			[ -n "$n" ] || echo "no packet count in: $(first "$ERR")"
			[ "$r" = 0 ] && [ ! -s "$T/small.err" ] || echo "kept file not clean: exit $r: $(first "$T/small.err")"
			[ -n "$n" ] && [ "$n" -gt 100 ] && [ "$(nlines "$T/small.lines")" = "$n" ] ||
				echo "kept $(nlines "$T/small.lines") packets, message says '$n'"
			head -n "$(nlines "$T/small.lines")" "$T/many.lines" | cmp -s - "$T/small.lines" ||
				echo "kept packets are not the first ones"
			ls "$T/small" | grep -q partial && echo "temp file left")"
		echo "old" >"$T/small/out.pcap"
		run "$SYNACK" -r "$T/many.pcap" -w "$T/small/out.pcap"
		check "analysis -w on a full tmpfs: exit 2, the line, what was written kept" "$(
			[ "$RC" = 2 ] || echo "exit $RC"
			grep -q 'out\.pcap: .*packets' "$ERR" || echo "stderr: $(first "$ERR")"
			timeout 20 "$SYNACK" print -r "$T/small/out.pcap" >/dev/null 2>&1 || echo "kept file not readable")"
		umount "$T/small"
	fi
fi

# ---------------------------------------------------------------------------
# 11. Usage errors: one line and a hint, not the whole usage.

two_lines() {   # NAME HINT ARGS...
	local name=$1 hint=$2
	shift 2
	run "$SYNACK" "$@"
	check "$name" "$(
		[ "$RC" = 2 ] || echo "exit $RC, want 2"
		[ -s "$OUT" ] && echo "stdout: $(first "$OUT")"
		[ "$(nlines "$ERR")" = 2 ] || echo "stderr is $(nlines "$ERR") lines, want 2"
		head -n 1 "$ERR" | grep -q '^synack: ' || echo "first line: $(first "$ERR")"
		[ "$(sed -n 2p "$ERR")" = "$hint" ] || echo "second line: $(sed -n 2p "$ERR")")"
}
two_lines "analysis: unknown option: two lines" "Try 'synack --help' for more." --bogus -r "$GOOD"
two_lines "analysis: option without value: two lines" "Try 'synack --help' for more." -r "$GOOD" --idle-timeout
two_lines "print: unknown option: two lines" "Try 'synack print --help' for more." print -0 -r "$GOOD"
two_lines "print: --print=1: two lines" "Try 'synack print --help' for more." print --print=1 -r "$GOOD"
run "$SYNACK" print --help
check "print --help: the whole usage on stdout, exit 0" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	[ "$(nlines "$OUT")" -gt 10 ] || echo "$(nlines "$OUT") lines")"

# Names with control bytes are escaped; overlong names keep the reason.
bad=$T/$'x\e[31mred\nline\x7f.pcap'
run "$SYNACK" print -r "$bad"
check "a file name with ESC, newline, DEL: one escaped line" "$(
	why_error 2 'x\\x1b\[31mred\\x0aline\\x7f\.pcap: No such file'
	grep -q $'\e' "$ERR" && echo "a raw ESC on stderr")"
run "$SYNACK" -r "$GOOD" -w "$bad/out.pcap"
check "-w under a name with control bytes: one escaped line" "$(why_error 2 'x\\x1b\[31mred\\x0aline')"
run "$SYNACK" -i $'eth\e]0;pwned\a0' -c 1
check "an interface name with control bytes: one escaped line" "$(why_error 2 'eth\\x1b\]0;pwned\\x070')"
run "$SYNACK" -r "$GOOD" $'host \e[2J'
check "a filter with control bytes: one line, no raw ESC" "$(why_error 2 'filter')$(
	grep -q $'\e' "$ERR" && echo "a raw ESC on stderr")"
long=$T
for i in $(seq 1 19); do long=$long/$(printf 'd%.0s' $(seq 1 200)); done
run "$SYNACK" print -r "$long/x.pcap"
check "a 3900-character missing path: the reason survives" "$(why_error 2 'No such file or directory')"
run "$SYNACK" -r "$GOOD" -w "$long/x.pcap"
check "a 3900-character -w path: the reason survives" "$(why_error 2 'No such file or directory')"
# a path too long for the system: ENAMETOOLONG, still said
run "$SYNACK" print -r "$long$long/x.pcap"
check "an 8000-character path: the reason survives" "$(why_error 2 'too long|No such file')"

# --idle-timeout: at least a millisecond, a finite number
for v in 1e-300 0.0009 1e-4 nan inf -inf 0x1p-20; do
	expect_error "--idle-timeout $v refused" 2 '^synack: --idle-timeout: ' \
		"$SYNACK" -r "$GOOD" --idle-timeout "$v"
done
run "$SYNACK" -r "$GOOD" --idle-timeout 0.001
check "--idle-timeout 0.001 accepted" "$([ "$RC" = 0 ] || echo "exit $RC: $(first "$ERR")")"

# ---------------------------------------------------------------------------
if [ "$SKIP" -gt 0 ]; then
	echo "$PASS passed, $FAIL failed, $SKIP skipped"
else
	echo "$PASS passed, $FAIL failed"
fi
[ "$FAIL" = 0 ]
