#!/bin/bash
# tests/cli/flags.sh: tcpdump's flags beyond the basics: -C/-W (rotation, against tcpdump's own
# files), -Z, -U, -D, -i N, -Q, -B, capabilities dropped after the capture is open, and the
# errors of their bad values.
#
#   tests/cli/flags.sh SYNACK_BINARY
#
# One line per check, then "N passed, M failed[, K skipped]". Exit 1 if any check failed.
# The live checks need root and `ip netns`; they are skipped otherwise.
set -u

NAME=flags
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh" "$@"

HAVE_TCPDUMP=0
command -v tcpdump >/dev/null 2>&1 && HAVE_TCPDUMP=1
mode() { stat -c %a "$1" 2>/dev/null; }
sizes() { (cd "$1" && for f in $(ls | sort); do printf '%s %s\n' "$f" "$(stat -c %s "$f")"; done); }

# ---------------------------------------------------------------------------
# Bad values: one line on stderr, exit 2, nothing written.

expect_error "-C 0" 2 '^synack: -C: invalid file size' "$SYNACK" print -C 0 -w "$T/x" -r "$CAP/rst.pcap"
expect_error "-C 1k (millions of bytes only, as tcpdump)" 2 '^synack: -C: ' "$SYNACK" print -C 1k -w "$T/x" -r "$CAP/rst.pcap"
expect_error "-C without -w" 2 '^synack: -C: .*-w' "$SYNACK" print -C 1 -r "$CAP/rst.pcap"
expect_error "-C with -w -" 2 '^synack: -w -: ' "$SYNACK" print -C 1 -w - -r "$CAP/rst.pcap"
expect_error "-W x" 2 '^synack: -W: ' "$SYNACK" print -W x -C 1 -w "$T/x" -r "$CAP/rst.pcap"
expect_error "-B 0" 2 '^synack: -B: ' "$SYNACK" print -B 0 -r "$CAP/rst.pcap"
expect_error "-Q sideways" 2 "^synack: -Q: unknown capture direction 'sideways'" "$SYNACK" print -Q sideways -r "$CAP/rst.pcap"
expect_error "-tttttt" 2 '^synack: only -t, -tt, -ttt, -tttt and -ttttt are supported$' "$SYNACK" print -tttttt -r "$CAP/rst.pcap"
expect_error "--time-stamp-precision=pico" 2 '^synack: --time-stamp-precision: ' "$SYNACK" print --time-stamp-precision=pico -r "$CAP/rst.pcap"
expect_error "analysis -ttttttt" 2 '^synack: only -t' "$SYNACK" -ttttttt -r "$CAP/rst.pcap"
check "-C 0: nothing written" "$(ls "$T" | grep -E '^x' | head -n 1)"
expect_error "-Z with an unknown user: exit 2, -w's file not left" 2 '^synack: -Z synack-no-such-user: no such user' \
	"$SYNACK" print -Z synack-no-such-user -w "$T/z.pcap" -r "$CAP/rst.pcap"
check "-Z unknown user: no file left" "$(ls "$T" | grep -E '^z\.pcap' | head -n 1)"

run "$SYNACK" print -W 3 -r "$CAP/rst.pcap"
check "-W without -C or -G: a warning, the lines" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	[ "$(cat "$ERR")" = "synack: warning: -W: ignored without -C or -G" ] || echo "stderr: $(first "$ERR")"
	[ "$(nlines "$OUT")" = "$(timeout 20 "$SYNACK" print -r "$CAP/rst.pcap" | wc -l)" ] || echo "$(nlines "$OUT") lines")"
run "$SYNACK" print -Q in -B 1024 --immediate-mode -r "$CAP/rst.pcap"
check "-Q and -B with -r: warned as for a live capture only, lines as without" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	grep -q '^synack: warning: -Q: only for a live capture' "$ERR" || echo "no -Q warning: $(first "$ERR")"
	grep -q '^synack: warning: -B: only for a live capture' "$ERR" || echo "no -B warning"
	[ "$(nlines "$OUT")" = "$(timeout 20 "$SYNACK" print -r "$CAP/rst.pcap" | wc -l)" ] || echo "$(nlines "$OUT") lines")"

# ---------------------------------------------------------------------------
# -C and -W: the same files as tcpdump's, by name and size, and the same packets.

python3 - "$CAP/rst.pcap" "$T/big.pcap" <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as out:
    out.write(d[:24])
    while out.tell() < 3500000:          # 3.5 MB of rst.pcap's records, over and over
        out.write(d[24:])
EOF
rot_case() {   # NAME DIR_NAME OPTS...
	local name=$1 d=$2
	shift 2
	mkdir -p "$T/s-$d" "$T/t-$d"
	run "$SYNACK" print -r "$T/big.pcap" -w "$T/s-$d/f" "$@"
	local rc=$RC
	if [ "$HAVE_TCPDUMP" = 1 ]; then
		timeout 20 tcpdump -Z "$(id -un)" -r "$T/big.pcap" -w "$T/t-$d/f" "$@" 2>/dev/null
	fi
	check "$name" "$(
		[ "$rc" = 0 ] || echo "exit $rc (stderr: $(first "$ERR"))"
		[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
		if [ "$HAVE_TCPDUMP" = 1 ]; then
			[ "$(sizes "$T/s-$d")" = "$(sizes "$T/t-$d")" ] ||
				echo "files $(sizes "$T/s-$d" | tr '\n' ' '), tcpdump's $(sizes "$T/t-$d" | tr '\n' ' ')"
			for f in $(ls "$T/t-$d"); do
				cmp -s <(tail -c +25 "$T/s-$d/$f") <(tail -c +25 "$T/t-$d/$f") || echo "$f: other packets than tcpdump's"
			done
		fi
		for f in "$T/s-$d"/*; do
			[ "$(mode "$f")" = 600 ] || echo "${f##*/}: mode $(mode "$f")"
		done
		ls "$T/s-$d" | grep -q partial && echo "a temp file left")"
}
rot_case "-C 1: f, f1, f2, f3 as tcpdump's" c1 -C 1
rot_case "-C 1 -W 2: a ring f0, f1 as tcpdump's" ring2 -C 1 -W 2
rot_case "-C 1 -W 12: f00 ... f03 as tcpdump's" w12 -C 1 -W 12
rot_case "-C 1 -W 10: one digit, f0 ... f3, as tcpdump's" w10 -C 1 -W 10
run bash -c "cat '$T'/s-c1/f '$T'/s-c1/f1 '$T'/s-c1/f2 '$T'/s-c1/f3 | wc -c"
check "-C 1: the files hold every packet once" "$(
	n=0
	for f in f f1 f2 f3; do
		k=$(timeout 20 "$SYNACK" print -r "$T/s-c1/$f" 2>/dev/null | wc -l)
		n=$((n + k))
	done
	want=$(timeout 20 "$SYNACK" print -r "$T/big.pcap" 2>/dev/null | wc -l)
	[ "$n" = "$want" ] || echo "$n packets in the files, $want in the input")"
mkdir -p "$T/an"
run "$SYNACK" -r "$T/big.pcap" -w "$T/an/a.pcap" -C 2 --json
check "analysis -C 2: rotated files as print's, the report as without -w" "$(
	[ "$RC" = 0 ] || [ "$RC" = 1 ] || echo "exit $RC (stderr: $(first "$ERR"))"
	[ "$(ls "$T/an" | tr '\n' ' ')" = "a.pcap a.pcap1 " ] || echo "files: $(ls "$T/an" | tr '\n' ' ')"
	grep -q '"type":"summary"' "$OUT" || echo "no summary")"

# ---------------------------------------------------------------------------
# -Z with a file: the copy is written in place, as the user, and complete.

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	mkdir -p "$T/zdir"
	chmod 1777 "$T/zdir"
	run "$SYNACK" print -Z nobody -r "$CAP/rst.pcap" -w "$T/zdir/z.pcap"
	check "-Z nobody -r -w: exit 0, the file complete" "$(
		[ "$RC" = 0 ] || echo "exit $RC (stderr: $(first "$ERR"))"
		[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
		cmp -s "$T/zdir/z.pcap" "$CAP/rst.pcap" || echo "not a copy of the input")"
else
	skip "-Z nobody -r -w" "not root, or no user nobody"
fi

# ---------------------------------------------------------------------------
# Live: two namespaces and a veth pair; the server port is closed (a SYN, a RST).

LIVE_WHY=
if [ "$(id -u)" != 0 ]; then
	LIVE_WHY="not root"
elif ! command -v ip >/dev/null 2>&1; then
	LIVE_WHY="no ip(8)"
elif ! ip netns add "$NS" 2>"$T/ns.err" || ! ip netns add "$NS-b" 2>>"$T/ns.err"; then
	LIVE_WHY="ip netns add failed: $(head -n 1 "$T/ns.err")"
	ip netns delete "$NS" 2>/dev/null
else
	NS_MADE=1
	trap 'cleanup; ip netns delete "$NS-b" 2>/dev/null' EXIT
	if ! { ip -n "$NS" link set lo up && ip -n "$NS" link add v0 type veth peer name v1 netns "$NS-b" &&
		ip -n "$NS" addr add 192.0.2.1/24 dev v0 && ip -n "$NS-b" addr add 192.0.2.2/24 dev v1 &&
		ip -n "$NS" link set v0 up && ip -n "$NS-b" link set v1 up; } 2>"$T/ns.err"; then
		LIVE_WHY="cannot set up the veth pair: $(head -n 1 "$T/ns.err")"
	fi
fi
# syn_to_closed: a few SYNs from the first namespace to a closed port of the second
syn_to_closed() {
	ip netns exec "$NS" timeout 5 python3 -c '
import socket, time
for _ in range(3):
    s = socket.socket()
    s.settimeout(1)
    try:
        s.connect(("192.0.2.2", 5999))
    except OSError:
        pass
    s.close()
    time.sleep(0.1)
' 2>/dev/null
}
# live NAME OUT CMD...: CMD in the namespace, while SYNs go to a closed port; stops by -c or 6 s
live() {
	local o=$1
	shift
	ip netns exec "$NS" timeout 6 "$@" >"$o" 2>"$o.err" &
	local p=$!
	sleep 0.8
	syn_to_closed
	wait "$p"
	echo $? >"$o.rc"
}

if [ -n "$LIVE_WHY" ]; then
	for n in "-D = tcpdump -D" "-i N" "-Q out" "-Q in" "-B" "capabilities" "-Z nobody live" "-U" "-i any"; do
		skip "live: $n" "$LIVE_WHY"
	done
else
	run ip netns exec "$NS" "$SYNACK" -D
	cp "$OUT" "$T/D.ours"
	check "live: -D lists the interfaces as tcpdump -D" "$(
		[ "$RC" = 0 ] || echo "exit $RC (stderr: $(first "$ERR"))"
		grep -q '^[0-9]*\.v0 \[Up, Running' "$T/D.ours" || echo "no v0 line: $(tr '\n' '|' <"$T/D.ours")"
		if [ "$HAVE_TCPDUMP" = 1 ]; then
			ip netns exec "$NS" tcpdump -D >"$T/D.theirs" 2>/dev/null
			cmp -s "$T/D.ours" "$T/D.theirs" || echo "differs: $(diff "$T/D.theirs" "$T/D.ours" | grep -m 1 '^[<>]')"
		fi)"
	n=$(sed -n 's/^\([0-9]*\)\.v0 .*/\1/p' "$T/D.ours")
	live "$T/in" "$SYNACK" print -i "${n:-0}" -c 2 tcp
	check "live: -i N is -D's N-th interface (v0)" "$(
		[ "$(cat "$T/in.rc")" = 0 ] || echo "exit $(cat "$T/in.rc"): $(first "$T/in.err")"
		grep -q '192.0.2.1.[0-9]* > 192.0.2.2.5999: Flags \[S\]' "$T/in" || echo "no SYN line: $(first "$T/in")")"
	run ip netns exec "$NS" "$SYNACK" print -i 999 -c 1
	check "live: -i 999: no such interface, exit 2" "$(why_error 2 '^synack: -i 999: no such interface')"
	live "$T/qout" "$SYNACK" print -i v0 -Q out -c 2 tcp
	check "live: -Q out: only what v0 sends (SYNs)" "$(
		[ "$(cat "$T/qout.rc")" = 0 ] || echo "exit $(cat "$T/qout.rc"): $(first "$T/qout.err")"
		[ "$(grep -c 'Flags \[S\]' "$T/qout")" = 2 ] || echo "lines: $(tr '\n' '|' <"$T/qout" | cut -c 1-200)")"
	live "$T/qin" "$SYNACK" print -i v0 -Q in -c 2 tcp
	check "live: -Q in: only what v0 receives (RSTs)" "$(
		[ "$(cat "$T/qin.rc")" = 0 ] || echo "exit $(cat "$T/qin.rc"): $(first "$T/qin.err")"
		[ "$(grep -c 'Flags \[R\.\]' "$T/qin")" = 2 ] || echo "lines: $(tr '\n' '|' <"$T/qin" | cut -c 1-200)")"
	live "$T/b" "$SYNACK" print -i v0 -B 4096 -c 2 tcp
	check "live: -B 4096: a capture as without" "$(
		[ "$(cat "$T/b.rc")" = 0 ] || echo "exit $(cat "$T/b.rc"): $(first "$T/b.err")"
		[ -s "$T/b.err" ] && echo "stderr: $(first "$T/b.err")"
		[ "$(nlines "$T/b")" = 2 ] || echo "$(nlines "$T/b") lines")"

	# capabilities and -Z, read from /proc while the capture runs
	capeff() {   # CMD...: CapEff and Uid of the running capture
		ip netns exec "$NS" timeout 5 "$@" >/dev/null 2>"$T/cap.err" &
		local p=$! c
		sleep 0.8
		c=$(pgrep -P "$p" | head -n 1)
		[ -n "$c" ] || c=$p
		awk '/^CapEff:/ { e = $2 } /^Uid:/ { u = $2 } END { print e, u }' "/proc/$c/status" 2>/dev/null
		kill -INT "$c" 2>/dev/null
		wait "$p" 2>/dev/null
	}
	got=$(capeff "$SYNACK" print -i v0 tcp)
	check "live: capabilities dropped once the capture is open" "$(
		[ "$got" = "0000000000000000 0" ] || echo "CapEff, Uid: '$got' (stderr: $(first "$T/cap.err"))")"
	got=$(capeff "$SYNACK" print -i v0 -w "$T/capw.pcap" tcp)
	check "live: with -w, CAP_DAC_OVERRIDE alone kept (to rename the file into place)" "$(
		[ "$got" = "0000000000000002 0" ] || echo "CapEff, Uid: '$got' (stderr: $(first "$T/cap.err"))"
		[ -e "$T/capw.pcap" ] || echo "no capw.pcap after SIGINT")"
	if id nobody >/dev/null 2>&1; then
		uid=$(id -u nobody)
		got=$(capeff "$SYNACK" -i v0 -Z nobody tcp)
		check "live: -Z nobody: uid nobody's, no capabilities" "$(
			[ "$got" = "0000000000000000 $uid" ] || echo "CapEff, Uid: '$got' (stderr: $(first "$T/cap.err"))")"
	else
		skip "live: -Z nobody live" "no user nobody"
	fi

	# -i any: Linux cooked v2, as tcpdump 4.99 writes it, and read back with the interface's name
	live "$T/any" "$SYNACK" print -i any -c 2 -w "$T/any.pcap" --print tcp
	check "live: -i any -w: link type LINUX_SLL2 (276), lines with the interface" "$(
		[ "$(cat "$T/any.rc")" = 0 ] || echo "exit $(cat "$T/any.rc"): $(first "$T/any.err")"
		lt=$(python3 -c 'import struct,sys; print(struct.unpack("<I", open(sys.argv[1], "rb").read(24)[20:24])[0])' "$T/any.pcap" 2>/dev/null)
		[ "$lt" = 276 ] || echo "link type $lt"
		grep -Eq '^[0-9:.]+ v0 +Out IP 192.0.2.1.[0-9]+ > 192.0.2.2.5999: Flags \[S\]' "$T/any" || echo "lines: $(first "$T/any")")"

	# -U: the file under its own name, packets in it while the capture still runs
	ip netns exec "$NS" timeout 8 "$SYNACK" print -i v0 -U -w "$T/u.pcap" tcp 2>"$T/u.err" &
	p=$!
	sleep 0.8
	syn_to_closed
	sleep 0.3
	during=$(timeout 5 "$SYNACK" print -r "$T/u.pcap" 2>/dev/null | grep -c 'Flags \[S\]')
	c=$(pgrep -P "$p" | head -n 1)
	kill -INT "${c:-$p}" 2>/dev/null
	wait "$p"
	rc=$?
	check "live: -U -w: packets readable in the file while capturing, exit 0 at SIGINT" "$(
		[ "$rc" = 0 ] || echo "exit $rc: $(first "$T/u.err")"
		[ "${during:-0}" -ge 1 ] || echo "no SYN in the file while capturing"
		[ "$(mode "$T/u.pcap")" = 600 ] || echo "mode $(mode "$T/u.pcap")")"
fi

echo "$PASS passed, $FAIL failed${SKIP:+, $SKIP skipped}"
[ "$FAIL" = 0 ]
