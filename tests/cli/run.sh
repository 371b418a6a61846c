#!/bin/bash
# tests/cli/run.sh: the command line of `synack print`: errors, exit codes, stdin, -c, BPF, -w, live capture.
#
#   tests/cli/run.sh SYNACK_BINARY
#
# One line per check ("ok - name", "not ok - name: detail", "skip - name: why"),
# then "N passed, M failed[, K skipped]". Exit 1 if any check failed, else 0.
# Live-capture checks need root and `ip netns`; they are skipped otherwise.
set -u

NAME=cli
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh" "$@"
# why_clean: a successful run: exit 0, nothing on stderr, something on stdout.
why_clean() {
	if [ "$RC" != 0 ]; then
		echo "exit $RC, want 0 (stderr: $(first "$ERR"))"
	elif [ -s "$ERR" ]; then
		echo "stderr not empty: $(first "$ERR")"
	elif [ ! -s "$OUT" ]; then
		echo "stdout is empty"
	fi
}
# why_left DIR NAME: NAME or a NAME.partial.* left in DIR
why_left() {
	local f
	for f in "$1/$2" "$1/$2".partial.*; do
		if [ -e "$f" ] || [ -L "$f" ]; then
			echo "left behind: $f"
			return
		fi
	done
}
# cut tcpdump's lines after ", length N" (ours stop there)
cut_length() { sed -E 's/(, length [0-9]+).*/\1/'; }
# tcpdump's own lines for a capture, at the capture's precision
tcpdump_lines() {
	local f=$1 prec=()
	shift
	case $f in *nano*) prec=(--time-stamp-precision=nano) ;; esac
	timeout 20 tcpdump -nn "${prec[@]}" -r "$f" "$@" 2>/dev/null | cut_length
}
# why_differs A B: first differing line of two files
why_differs() {
	if ! cmp -s "$1" "$2"; then
		echo "output differs ($(nlines "$1") vs $(nlines "$2") lines): $(diff "$1" "$2" | grep -m 1 '^[<>]' | cut -c 1-200)"
	fi
}
mode() { stat -c %a "$1" 2>/dev/null; }

IS_ROOT=0
[ "$(id -u)" = 0 ] && IS_ROOT=1
HAVE_TCPDUMP=0
command -v tcpdump >/dev/null 2>&1 && HAVE_TCPDUMP=1

TLS=$CAP/tls_loopback.pcap
NANO=$CAP/nano.pcapng
for f in "$TLS" "$NANO" "$CAP/ipv6.pcap" "$CAP/sll2.pcap" "$CAP/rst.pcap"; do
	if [ ! -r "$f" ]; then
		echo "$0: fixture $f missing" >&2
		exit 2
	fi
done

# ---------------------------------------------------------------------------
# Bad input: exit 2, one line on stderr, nothing on stdout.

expect_error "missing file" 2 'nosuch\.pcap: No such file' \
	"$SYNACK" print -r "$T/nosuch.pcap"
mkdir "$T/adir"
expect_error "a directory" 2 'adir: .*directory' "$SYNACK" print -r "$T/adir"
: >"$T/empty.pcap"
expect_error "empty file" 2 'empty\.pcap: .*empty' "$SYNACK" print -r "$T/empty.pcap"
run "$SYNACK" print -r - </dev/null
check "empty stdin" "$(why_error 2 'stdin: .*empty')"
head -c 10 "$TLS" >"$T/header10.pcap"
expect_error "truncated file header (10 bytes)" 2 'header10\.pcap: .*truncated' \
	"$SYNACK" print -r "$T/header10.pcap"
head -c 24 "$TLS" >"$T/header24.pcap"
run "$SYNACK" print -r "$T/header24.pcap"
check "file header only, no packets: exit 0, no output" "$(
	[ "$RC" = 0 ] || echo "exit $RC, want 0 (stderr: $(first "$ERR"))"
	[ -s "$OUT" ] && echo "stdout not empty"
	[ -s "$ERR" ] && echo "stderr not empty: $(first "$ERR")")"
python3 -c 'import random, sys; r = random.Random(20240229); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(4096)))' >"$T/random.bin"
expect_error "random bytes" 2 'random\.bin: not a capture' "$SYNACK" print -r "$T/random.bin"
run "$SYNACK" print -r - <"$T/random.bin"
check "random bytes on stdin" "$(why_error 2 '^synack: stdin: not a capture')"
# a valid pcap of one frame of a link type synack does not decode (147, USER0)
python3 -c '
import struct, sys
frame = bytes(range(24))
sys.stdout.buffer.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 147)
    + struct.pack("<IIII", 1700000000, 0, len(frame), len(frame)) + frame)' >"$T/user0.pcap"
expect_error "unsupported link type 147" 2 'user0\.pcap: unsupported link type 147' \
	"$SYNACK" print -r "$T/user0.pcap"
expect_error "bad filter expression 'tcp port'" 2 'filter' "$SYNACK" print -r "$TLS" tcp port
expect_error "bad filter expression 'port 99999'" 2 'filter' "$SYNACK" print -r "$TLS" port 99999
expect_error "both -r and -i" 2 '-r and -i' "$SYNACK" print -r "$TLS" -i lo
expect_error "neither -r nor -i" 2 'no input' "$SYNACK" print
expect_error "neither -r nor -i, with a filter" 2 'no input' "$SYNACK" print tcp
for v in 0 -1 abc 3x '' 99999999999999999999999; do
	expect_error "bad -c '$v'" 2 "^synack: -c: " "$SYNACK" print -c "$v" -r "$TLS"
done
for v in -1 abc 262145 1e3 ''; do
	expect_error "bad -s '$v'" 2 "^synack: -s: " "$SYNACK" print -s "$v" -r "$TLS"
done
for v in 0 -1 abc 2.5 ''; do
	expect_error "bad -G '$v'" 2 "^synack: -G: " "$SYNACK" print -G "$v" -i lo
done
expect_error "-G with -r" 2 '^synack: -G: ' "$SYNACK" print -G 3 -r "$TLS"
expect_error "-w - with --print" 2 '^synack: -w -: ' "$SYNACK" print -r "$TLS" -w - --print

if [ "$IS_ROOT" = 1 ]; then
	expect_error "missing interface" 2 'nosuchif0: no such interface' \
		"$SYNACK" print -i nosuchif0 -c 1
else
	expect_error "missing interface" 2 'nosuchif0: (no such interface|no permission)' \
		"$SYNACK" print -i nosuchif0 -c 1
fi

if [ "$IS_ROOT" != 1 ]; then
	# we are already unprivileged (unless we hold CAP_NET_RAW)
	if command -v capsh >/dev/null 2>&1 && capsh --has-p=cap_net_raw 2>/dev/null; then
		skip "no permission to capture" "not root, but we hold CAP_NET_RAW"
	else
		expect_error "no permission to capture" 2 'lo: no permission to capture' \
			"$SYNACK" print -i lo -c 1
	fi
elif ! command -v setpriv >/dev/null 2>&1; then
	skip "no permission to capture" "setpriv not installed"
else
	expect_error "no permission to capture (uid 65534)" 2 'lo: no permission to capture' \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$SYNACK" print -i lo -c 1
fi

# ---------------------------------------------------------------------------
# -w that cannot be written: exit 2, one line, and nothing left behind.

expect_error "-w into a directory that does not exist" 2 'nodir/out\.pcap: ' \
	"$SYNACK" print -r "$TLS" -w "$T/nodir/out.pcap"
check "-w into a directory that does not exist: nothing created" \
	"$([ -e "$T/nodir" ] && echo "$T/nodir was created")"

mkdir -p "$T/wdir/sub"
expect_error "-w names an existing directory" 2 'wdir/sub: .*directory' \
	"$SYNACK" print -r "$TLS" -w "$T/wdir/sub"
check "-w names an existing directory: no temp file left" \
	"$(ls -A "$T/wdir" | grep -v '^sub$' | sed 's/^/left behind: /' | head -n 1)"

# a read-only directory: root ignores permissions, so use /proc (read-only
# for everyone) and, when possible, run as nobody in a 0555 directory.
mkdir "$T/rodir"
chmod 555 "$T/rodir"
expect_error "-w under /proc" 2 '/proc/synack-cli-test\.pcap: ' \
	"$SYNACK" print -r "$TLS" -w /proc/synack-cli-test.pcap
check "-w under /proc: nothing left behind" "$(why_left /proc synack-cli-test.pcap)"
if [ "$IS_ROOT" = 1 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		chmod 711 "$T"
		run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
			"$SYNACK" print -r - -w "$T/rodir/out.pcap" <"$TLS"
		check "-w into a read-only directory (as uid 65534)" \
			"$(why_error 2 'rodir/out\.pcap: .*Permission denied')"
		chmod 700 "$T"
	else
		skip "-w into a read-only directory" "root, and setpriv not installed to drop it"
	fi
else
	expect_error "-w into a read-only directory" 2 'rodir/out\.pcap: .*Permission denied' \
		"$SYNACK" print -r "$TLS" -w "$T/rodir/out.pcap"
fi
check "-w into a read-only directory: nothing left behind" \
	"$(ls -A "$T/rodir" | sed 's/^/left behind: /' | head -n 1)"

# other failures must not leave a -w file either
mkdir "$T/wfail"
expect_error "-w with a bad filter" 2 'filter' "$SYNACK" print -r "$TLS" -w "$T/wfail/out.pcap" tcp port
expect_error "-w with a missing input file" 2 'No such file' \
	"$SYNACK" print -r "$T/nosuch.pcap" -w "$T/wfail/out.pcap"
expect_error "-w with random bytes as input" 2 'not a capture' \
	"$SYNACK" print -r "$T/random.bin" -w "$T/wfail/out.pcap"
check "failed -w runs: nothing left behind" "$(ls -A "$T/wfail" | sed 's/^/left behind: /' | head -n 1)"
# stdout closed under us (| head, a dead pager): with only lines asked for,
# a quiet exit 0 (the reader chose to stop); -w --print exits 2 with one line
# and must not leave its temp file behind
closed_stdout() {
	python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(subprocess.call(sys.argv[1:], stdout=w, timeout=20))' "$@" >"$OUT" 2>"$ERR"
	RC=$?
}
closed_stdout "$SYNACK" print -r "$CAP/sack.pcap"
check "stdout closed: quiet exit 0" \
	"$( [ "$RC" -eq 0 ] && [ ! -s "$ERR" ] || echo "exit $RC, stderr: $(head -c 200 "$ERR")")"
closed_stdout "$SYNACK" print -r "$CAP/sack.pcap" -w "$T/wfail/out.pcap" --print
check "-w --print with stdout closed: exit 2, one line, nothing left behind" \
	"$(why_error 2 'stdout')$(why_left "$T/wfail" out.pcap)"

# ---------------------------------------------------------------------------
# A file cut in the middle of a packet: what came before, one warning, exit 0.

run "$SYNACK" print -r "$TLS"
cp "$OUT" "$T/tls.full"
size=$(stat -c %s "$TLS")
head -c $((size - 5)) "$TLS" >"$T/cut.pcap"
run "$SYNACK" print -r "$T/cut.pcap"
n=$(nlines "$OUT")
check "truncated mid-packet (pcap): earlier packets, a warning, exit 0" "$(
	[ "$RC" = 0 ] || echo "exit $RC, want 0"
	[ "$n" -gt 0 ] && [ "$n" -lt "$(nlines "$T/tls.full")" ] ||
		echo "$n lines, want between 1 and $(($(nlines "$T/tls.full") - 1))"
	head -n "$n" "$T/tls.full" | cmp -s - "$OUT" || echo "lines are not the first $n of the full output"
	[ "$(nlines "$ERR")" = 1 ] || echo "stderr is $(nlines "$ERR") lines, want 1"
	grep -q '^synack: .*cut\.pcap: .*truncated' "$ERR" || echo "stderr: $(first "$ERR")")"
run "$SYNACK" print -r "$NANO"
cp "$OUT" "$T/nano.full"
size=$(stat -c %s "$NANO")
head -c $((size - 7)) "$NANO" >"$T/cut.pcapng"
run "$SYNACK" print -r "$T/cut.pcapng"
n=$(nlines "$OUT")
check "truncated mid-block (pcapng): earlier packets, a warning, exit 0" "$(
	[ "$RC" = 0 ] || echo "exit $RC, want 0"
	[ "$n" -gt 0 ] && [ "$n" -lt "$(nlines "$T/nano.full")" ] ||
		echo "$n lines, want between 1 and $(($(nlines "$T/nano.full") - 1))"
	head -n "$n" "$T/nano.full" | cmp -s - "$OUT" || echo "lines are not the first $n of the full output"
	[ "$(nlines "$ERR")" = 1 ] || echo "stderr is $(nlines "$ERR") lines, want 1"
	grep -q '^synack: .*cut\.pcapng: .*truncated' "$ERR" || echo "stderr: $(first "$ERR")")"
run "$SYNACK" print -r - <"$T/cut.pcap"
check "truncated mid-packet on stdin: same lines, a warning, exit 0" "$(
	[ "$RC" = 0 ] || echo "exit $RC, want 0"
	head -n "$(nlines "$OUT")" "$T/tls.full" | cmp -s - "$OUT" || echo "lines differ from the full output's first"
	[ "$(nlines "$OUT")" -gt 0 ] || echo "no lines"
	grep -q '^synack: stdin: .*truncated' "$ERR" || echo "stderr: $(first "$ERR")")"

# ---------------------------------------------------------------------------
# -r - (stdin), plain and through a pipe, is -r FILE.

for f in "$TLS" "$NANO" "$CAP/sll2.pcap" "$CAP/ipv6.pcap"; do
	b=$(basename "$f")
	run "$SYNACK" print -r "$f"
	cp "$OUT" "$T/want"
	d=$(why_clean)
	run "$SYNACK" print -r - <"$f"
	check "-r - (redirect) = -r FILE: $b" "$d$(why_clean)$(why_differs "$T/want" "$OUT")"
	cat "$f" | timeout 20 "$SYNACK" print -r - >"$OUT" 2>"$ERR"
	RC=$?
	check "-r - (pipe) = -r FILE: $b" "$(why_clean)$(why_differs "$T/want" "$OUT")"
done

# ---------------------------------------------------------------------------
# -c, BPF expressions against tcpdump.

run "$SYNACK" print -c 3 -r "$TLS"
check "-c 3 prints exactly the first 3 lines" "$(why_clean)$(
	[ "$(nlines "$OUT")" = 3 ] || echo "$(nlines "$OUT") lines"
	head -n 3 "$T/tls.full" | cmp -s - "$OUT" || echo "not the first 3 lines")"
run "$SYNACK" print -c 1000000 -r "$TLS"
check "-c larger than the file prints it all" "$(why_clean)$(why_differs "$T/tls.full" "$OUT")"
run "$SYNACK" print -c 2 -r "$TLS" 'tcp[tcpflags] & tcp-syn != 0'
check "-c 2 with a filter counts matching packets" "$(why_clean)$(
	[ "$(nlines "$OUT")" = 2 ] || echo "$(nlines "$OUT") lines"
	grep -vq 'Flags \[S' "$OUT" && echo "a line without SYN: $(grep -v 'Flags \[S' "$OUT" | head -n 1)")"
run "$SYNACK" print -n -nn -S -l -p -r "$TLS" -c 1
check "-n -nn -S -l -p accepted with -r" "$(why_clean)"
# -F FILE: the expression from a file, '#' comments, as tcpdump's read_infile (issue 13)
printf '# SYNs only\ntcp[tcpflags] & tcp-syn != 0   # any SYN\n\tand tcp\n' >"$T/syn.bpf"
run "$SYNACK" print -r "$TLS" 'tcp[tcpflags] & tcp-syn != 0 and tcp'
cp "$OUT" "$T/syn.want"
run "$SYNACK" print -F "$T/syn.bpf" -r "$TLS"
check "-F FILE: the same lines as the expression given as words" "$(why_clean)$(why_differs "$T/syn.want" "$OUT")"
if [ "$HAVE_TCPDUMP" = 1 ]; then
	TZ=UTC timeout 20 tcpdump -nn -F "$T/syn.bpf" -r "$TLS" >"$T/syn.tcpdump" 2>/dev/null
	check "-F FILE: tcpdump -F prints the same lines" "$(why_differs "$T/syn.tcpdump" "$OUT")"
fi
run "$SYNACK" print -F "$T/syn.bpf" -r "$TLS" tcp port 1
check "-F FILE with an expression too: the file's, a warning" "$(why_differs "$T/syn.want" "$OUT")$(
	[ "$RC" = 0 ] || echo "exit $RC"
	grep -q '^synack: warning: -F .*ignored' "$ERR" || echo "stderr: $(first "$ERR")")"
expect_error "-F a missing file" 2 '^synack: -F .*No such file' "$SYNACK" print -F "$T/nope.bpf" -r "$TLS"
printf 'tcp\0port 80\n' >"$T/nul.bpf"
expect_error "-F a file with a NUL byte" 2 '^synack: -F .*NUL' "$SYNACK" print -F "$T/nul.bpf" -r "$TLS"

if [ "$HAVE_TCPDUMP" != 1 ]; then
	skip "BPF expressions against tcpdump" "tcpdump not installed"
else
	bpf_case() {   # NAME FILE EXPR [MIN_LINES]
		local name=$1 f=$2 expr=$3 min=${4:-1}
		tcpdump_lines "$f" "$expr" >"$T/want"
		local prec=()
		case $f in *nano*) prec=(--nano) ;; esac
		run "$SYNACK" print "${prec[@]}" -r "$f" "$expr"
		check "$name" "$(
			[ "$RC" = 0 ] || echo "exit $RC (stderr: $(first "$ERR"))"
			[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
			[ "$(nlines "$T/want")" -ge "$min" ] || echo "tcpdump gave only $(nlines "$T/want") lines, fixture changed?"
			why_differs "$T/want" "$OUT")"
	}
	syn='tcp[tcpflags] & tcp-syn != 0'
	bpf_case "BPF '$syn' = tcpdump: tls_loopback.pcap" "$TLS" "$syn" 2
	bpf_case "BPF '$syn' = tcpdump: rst.pcap" "$CAP/rst.pcap" "$syn" 2
	bpf_case "BPF '$syn' = tcpdump: sll2.pcap" "$CAP/sll2.pcap" "$syn" 2
	bpf_case "BPF '$syn' = tcpdump: nano.pcapng" "$NANO" "$syn" 2
	bpf_case "BPF 'port 443' = tcpdump (no match): tls_loopback.pcap" "$TLS" "port 443" 0
	bpf_case "BPF 'port 4433' = tcpdump: tls_loopback.pcap" "$TLS" "port 4433" 10
	bpf_case "BPF 'ip6 and tcp' = tcpdump: ipv6.pcap" "$CAP/ipv6.pcap" "ip6 and tcp" 2
	bpf_case "BPF 'tcp[tcpflags] & (tcp-rst) != 0' = tcpdump: rst.pcap" "$CAP/rst.pcap" \
		'tcp[tcpflags] & (tcp-rst) != 0' 1
	# the expression as several words, the way a shell passes it
	tcpdump_lines "$TLS" tcp and dst port 4433 >"$T/want"
	run "$SYNACK" print -r "$TLS" tcp and dst port 4433
	check "BPF as several words 'tcp and dst port 4433' = tcpdump" \
		"$(why_clean)$(why_differs "$T/want" "$OUT")"
fi

# ---------------------------------------------------------------------------
# -w: mode 0600, readable by tcpdump, replaces a world-readable file, --print, -w -.

mkdir "$T/w"
umask_was=$(umask)
umask 022
run "$SYNACK" print -r "$TLS" -w "$T/w/out.pcap"
check "-w: exit 0, nothing on stdout or stderr" "$(
	[ "$RC" = 0 ] || echo "exit $RC (stderr: $(first "$ERR"))"
	[ -s "$OUT" ] && echo "stdout: $(first "$OUT")"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")")"
check "-w: file mode 0600 (umask 022)" \
	"$([ "$(mode "$T/w/out.pcap")" = 600 ] || echo "mode $(mode "$T/w/out.pcap")")"
check "-w: no temp file left" "$(ls -A "$T/w" | grep -v '^out\.pcap$' | sed 's/^/left: /')"
if [ "$HAVE_TCPDUMP" = 1 ]; then
	timeout 20 tcpdump -nn -r "$T/w/out.pcap" >"$T/got" 2>"$T/got.err"
	r=$?
	timeout 20 tcpdump -nn -r "$TLS" >"$T/want" 2>/dev/null
	check "-w: tcpdump reads it back to the original's lines" "$(
		[ "$r" = 0 ] || echo "tcpdump exit $r: $(tail -n 1 "$T/got.err")"
		why_differs "$T/want" "$T/got")"
	run "$SYNACK" print -r "$NANO" -w "$T/w/nano.pcap"
	timeout 20 tcpdump -nn --time-stamp-precision=nano -r "$T/w/nano.pcap" >"$T/got" 2>/dev/null
	timeout 20 tcpdump -nn --time-stamp-precision=nano -r "$NANO" >"$T/want" 2>/dev/null
	check "-w of a nanosecond pcapng keeps nanoseconds" "$(
		[ "$RC" = 0 ] || echo "exit $RC"
		why_differs "$T/want" "$T/got")"
else
	skip "-w: tcpdump reads it back" "tcpdump not installed"
fi
run "$SYNACK" print -r "$T/w/out.pcap"
check "-w: synack reads it back to the same lines" "$(why_clean)$(why_differs "$T/tls.full" "$OUT")"

printf 'old contents\n' >"$T/w/old.pcap"
chmod 644 "$T/w/old.pcap"
run "$SYNACK" print -r "$TLS" -w "$T/w/old.pcap"
check "-w over an existing 0644 file: replaced, mode 0600" "$(
	[ "$RC" = 0 ] || echo "exit $RC (stderr: $(first "$ERR"))"
	[ "$(mode "$T/w/old.pcap")" = 600 ] || echo "mode $(mode "$T/w/old.pcap")"
	cmp -s "$T/w/old.pcap" "$T/w/out.pcap" || echo "contents differ from a fresh -w")"

run "$SYNACK" print -r "$TLS" -w "$T/w/both.pcap" --print
check "-w --print: prints the lines and writes the file" "$(why_clean)$(
	why_differs "$T/tls.full" "$OUT"
	cmp -s "$T/w/both.pcap" "$T/w/out.pcap" || echo "file differs from plain -w"
	[ "$(mode "$T/w/both.pcap")" = 600 ] || echo "mode $(mode "$T/w/both.pcap")")"

run "$SYNACK" print -r "$TLS" -w "$T/w/three.pcap" -c 3
run "$SYNACK" print -r "$T/w/three.pcap"
check "-w -c 3 writes exactly 3 packets" "$(why_clean)$(
	head -n 3 "$T/tls.full" | cmp -s - "$OUT" || echo "got $(nlines "$OUT") lines, not the first 3")"

run "$SYNACK" print -r "$TLS" -w "$T/w/syn.pcap" 'tcp[tcpflags] & tcp-syn != 0'
run "$SYNACK" print -r "$T/w/syn.pcap"
cp "$OUT" "$T/got"
run "$SYNACK" print -r "$TLS" 'tcp[tcpflags] & tcp-syn != 0'
check "-w with a filter writes only the matching packets" "$(why_clean)$(why_differs "$OUT" "$T/got")"

run "$SYNACK" print -r "$T/cut.pcap" -w "$T/w/cut.pcap"
run "$SYNACK" print -r "$T/w/cut.pcap"
check "-w of a truncated file keeps the packets before the cut" "$(why_clean)$(
	head -n "$(nlines "$OUT")" "$T/tls.full" | cmp -s - "$OUT" || echo "lines differ"
	[ "$(nlines "$OUT")" -gt 0 ] || echo "no packets")"

timeout 20 "$SYNACK" print -r "$TLS" -w - >"$T/w/stdout.pcap" 2>"$ERR"
RC=$?
check "-w -: a capture on stdout, nothing on stderr" "$(
	[ "$RC" = 0 ] || echo "exit $RC (stderr: $(first "$ERR"))"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
	cmp -s "$T/w/stdout.pcap" "$T/w/out.pcap" || echo "differs from -w FILE")"
if [ "$HAVE_TCPDUMP" = 1 ]; then
	timeout 20 "$SYNACK" print -r "$TLS" -w - 2>"$ERR" | timeout 20 tcpdump -nn -r - >"$T/got" 2>"$T/got.err"
	st=("${PIPESTATUS[@]}")
	timeout 20 tcpdump -nn -r "$TLS" >"$T/want" 2>/dev/null
	check "-w - | tcpdump -r - reads the same lines" "$(
		[ "${st[0]}" = 0 ] || echo "synack exit ${st[0]}"
		[ "${st[1]}" = 0 ] || echo "tcpdump exit ${st[1]}: $(tail -n 1 "$T/got.err")"
		why_differs "$T/want" "$T/got")"
fi
run "$SYNACK" print -r - -w - <"$NANO"
cp "$OUT" "$T/w/nano2.pcap"
run "$SYNACK" print -r "$T/w/nano2.pcap"
check "-r - -w -: stdin to stdout, readable" "$(why_clean)$(why_differs "$T/nano.full" "$OUT")"
umask "$umask_was"

# ---------------------------------------------------------------------------
# Help, usage, version.

run "$SYNACK" print --help
check "print --help: exit 0, usage on stdout" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	grep -q '^usage: synack print' "$OUT" || echo "no usage on stdout: $(first "$OUT")"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")")"
run "$SYNACK" print -h
check "print -h: exit 0, usage on stdout" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	grep -q '^usage: synack print' "$OUT" || echo "no usage on stdout"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")")"
# usage_error NAME ARGS...: exit 2, stdout empty, a "synack: " line then the
# hint to --help on stderr (the whole usage only when asked for)
usage_error() {
	local name=$1
	shift
	run "$SYNACK" print "$@"
	check "$name" "$(
		[ "$RC" = 2 ] || echo "exit $RC, want 2"
		[ -s "$OUT" ] && echo "stdout: $(first "$OUT")"
		[ "$(nlines "$ERR")" = 2 ] || echo "stderr is $(nlines "$ERR") lines, want 2"
		head -n 1 "$ERR" | grep -q '^synack: ' || echo "stderr's first line: $(first "$ERR")"
		[ "$(sed -n 2p "$ERR")" = "Try 'synack print --help' for more." ] || echo "no hint on stderr")"
}
usage_error "unknown long option: exit 2, error and hint" --bogus -r "$TLS"
usage_error "unknown short option: exit 2, error and hint" -0 -r "$TLS"
usage_error "option without its value: exit 2, error and hint" -r
usage_error "--print=value: exit 2, error and hint" --print=1 -r "$TLS"
run "$SYNACK" --version
check "--version: exit 0, a version on stdout" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	grep -Eq '^synack [0-9]+\.[0-9]+' "$OUT" || echo "stdout: $(first "$OUT")"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")")"
run "$SYNACK" --help
check "--help: exit 0, usage on stdout" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	grep -q '^usage: synack' "$OUT" || echo "stdout: $(first "$OUT")"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")")"
check "--help lists the analysis's options and the commands" "$(
	for o in --json --examples --all --close-delay --capture-point --idle-timeout --max-flows \
		--memory-limit --packets --color EXPRESSION; do
		grep -q -- "$o" "$OUT" || echo "no $o in --help"
	done
	grep -q '^  synack print ' "$OUT" || echo "no print command in --help")"
run "$SYNACK" help
check "help: the same as --help" "$([ "$RC" = 0 ] || echo "exit $RC"; grep -q -- '--close-delay' "$OUT" || echo "not the full usage")"
run "$SYNACK" help print
check "help print: print's usage" "$([ "$RC" = 0 ] || echo "exit $RC"; grep -q '^usage: synack print' "$OUT" || echo "stdout: $(first "$OUT")")"
run "$SYNACK" help analyze
check "help analyze: the analysis's usage" "$([ "$RC" = 0 ] || echo "exit $RC"; grep -q '^usage: synack \[-v\]' "$OUT" || echo "stdout: $(first "$OUT")")"
run "$SYNACK" help bogus
check "help bogus: exit 2, one line" "$(why_error 2 "help: no command 'bogus'")"
run "$SYNACK"
check "no arguments: exit 2, usage on stderr" "$(
	[ "$RC" = 2 ] || echo "exit $RC"
	[ -s "$OUT" ] && echo "stdout: $(first "$OUT")"
	grep -q '^usage: synack' "$ERR" || echo "stderr: $(first "$ERR")")"

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

# A TCP server that accepts N connections (answers "pong"), and a client making
# N connections (retrying while the server is not up yet).
cat >"$T/tcp.py" <<'EOF'
import socket, sys, time
role, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if role == "server":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(16)
    s.settimeout(8)
    for _ in range(n):
        c, _ = s.accept()
        c.settimeout(2)
        c.recv(100)
        c.sendall(b"pong")
        c.close()
else:
    deadline = time.time() + 5
    for _ in range(n):
        while True:
            try:
                c = socket.create_connection(("127.0.0.1", port), timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        c.sendall(b"ping")
        c.recv(100)
        c.close()
EOF
# traffic PORT N: a server and N client connections in the namespace, bounded.
traffic() {
	ip netns exec "$NS" timeout 10 python3 "$T/tcp.py" server "$1" "$2" 2>>"$T/traffic.err" &
	local s=$!
	sleep 0.2
	ip netns exec "$NS" timeout 10 python3 "$T/tcp.py" client "$1" "$2" 2>>"$T/traffic.err"
	local c=$?
	wait "$s"
	return $((c + $?))
}
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
	local c i
	for i in $(seq 1 50); do
		c=$(pgrep -P "$1" 2>/dev/null | head -n 1)
		[ -n "$c" ] && { echo "$c"; return; }
		sleep 0.05
	done
	echo "$1"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_for_grep ERE FILE SECONDS
wait_for_grep() {
	local i
	for i in $(seq 1 $(($3 * 10))); do
		grep -Eq -- "$1" "$2" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
# why_tcp_lines FILE: the lines show a full handshake and nothing but TCP
why_tcp_lines() {
	grep -q 'Flags \[S\], seq' "$1" || echo "no [S] line"
	grep -q 'Flags \[S\.\], seq' "$1" || echo "no [S.] line"
	grep -q 'Flags \[\.\], ack' "$1" || echo "no [.] line"
	grep -Evq '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.[0-9]+: Flags \[[^]]+\], .*length [0-9]+$' "$1" &&
		echo "a line not like tcpdump's: $(grep -Ev '^[0-9:.]+ IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.[0-9]+: Flags \[[^]]+\], .*length [0-9]+$' "$1" | head -n 1)"
}

# why_live_rc RC ERRFILE: a live run ended with exit 0 and nothing on stderr
why_live_rc() {
	[ "$1" = 0 ] || echo "exit $1 (stderr: $(first "$2"))"
	[ -s "$2" ] && echo "stderr: $(first "$2")"
}
# why_readable PCAP: tcpdump reads it without complaint
why_readable() {
	if [ "$HAVE_TCPDUMP" = 1 ]; then
		timeout 20 tcpdump -nn -r "$1" >/dev/null 2>"$T/td.err"
		local r=$?
		[ "$r" = 0 ] || echo "tcpdump -r exit $r: $(tail -n 1 "$T/td.err")"
		grep -v '^reading from file' "$T/td.err" | head -n 1 | sed 's/^/tcpdump said: /'
	fi
	timeout 20 "$SYNACK" print -r "$1" >/dev/null 2>"$T/td.err" ||
		echo "synack -r failed: $(first "$T/td.err")"
}
# wait_for_file GLOB_PREFIX SECONDS: a file named PREFIX* appears; its name in FOUND
wait_for_file() {
	local i f
	FOUND=
	for i in $(seq 1 $(($2 * 20))); do
		for f in "$1"*; do
			[ -e "$f" ] && { FOUND=$f; return 0; }
		done
		sleep 0.05
	done
	return 1
}

if [ -n "$LIVE_WHY" ]; then
	for name in "-G 3 stops by itself within 5 s, exit 0, handshake lines" \
		"-w naming a directory fails at once" "-c 3 stops after 3 packets" "SIGINT: exit 0, lines flushed" \
		"-G 2 -W 1 -w: while capturing, final name absent and temp file 0600" \
		"-G 2 -W 1 -w: ends with a complete 0600 file, no temp left" \
		"SIGINT during -w --print: complete readable 0600 file, lines = file" \
		"SIGHUP during -w: complete readable file, no temp left"; do
		skip "live: $name" "$LIVE_WHY"
	done
else
	mkdir "$T/live"
	umask 022
	: >"$T/traffic.err"

	# -G 3 with a filter: ends by itself, exit 0, a real handshake in the lines
	t0=$(now_ms)
	bg "$T/live/g3.out" "$T/live/g3.err" "$SYNACK" print -i lo -G 3 tcp
	p=$BG
	sleep 0.5
	traffic 5001 3
	tr=$?
	wait "$p"
	RC=$?
	dt=$(($(now_ms) - t0))
	check "live: -G 3 stops by itself within 5 s, exit 0, handshake lines" "$(
		[ "$tr" = 0 ] || echo "traffic failed: $(tail -n 1 "$T/traffic.err")"
		why_live_rc "$RC" "$T/live/g3.err"
		[ "$dt" -ge 2500 ] && [ "$dt" -le 5500 ] || echo "took $dt ms"
		why_tcp_lines "$T/live/g3.out")"

	# -w naming a directory fails at once, not when the capture ends
	t0=$(now_ms)
	ip netns exec "$NS" timeout 5 "$SYNACK" print -i lo -w "$T/wdir/sub" >"$OUT" 2>"$ERR"
	RC=$?
	dt=$(($(now_ms) - t0))
	check "live: -w naming a directory fails at once" "$(why_error 2 'wdir/sub: .*directory')$(
		[ "$dt" -le 2000 ] || echo " (took $dt ms)")"

	# -c 3: stops after three packets without any signal
	bg "$T/live/c3.out" "$T/live/c3.err" "$SYNACK" print -i lo -c 3 tcp
	p=$BG
	sleep 0.5
	traffic 5002 2
	tr=$?
	wait "$p"
	RC=$?
	check "live: -c 3 stops after 3 packets" "$(
		[ "$tr" = 0 ] || echo "traffic failed: $(tail -n 1 "$T/traffic.err")"
		why_live_rc "$RC" "$T/live/c3.err"
		[ "$(nlines "$T/live/c3.out")" = 3 ] || echo "$(nlines "$T/live/c3.out") lines")"

	# SIGINT: exit 0, the lines are all there
	bg "$T/live/int.out" "$T/live/int.err" "$SYNACK" print -i lo
	p=$BG
	sp=$(child_of "$p")
	sleep 0.5
	traffic 5003 2
	tr=$?
	wait_for_grep 'Flags \[F\.\]' "$T/live/int.out" 5
	sleep 0.3
	n_before=$(nlines "$T/live/int.out")
	kill -INT "$sp"
	wait "$p"
	RC=$?
	check "live: SIGINT: exit 0, lines flushed" "$(
		[ "$tr" = 0 ] || echo "traffic failed: $(tail -n 1 "$T/traffic.err")"
		why_live_rc "$RC" "$T/live/int.err"
		[ "$(grep -c 'Flags \[S\], seq' "$T/live/int.out")" -ge 2 ] || echo "fewer than 2 [S] lines"
		[ "$(nlines "$T/live/int.out")" -ge "$n_before" ] || echo "lines lost at exit"
		[ "$(tail -c 1 "$T/live/int.out" | od -An -c | tr -d ' ')" = '\n' ] || echo "last line cut"
		why_tcp_lines "$T/live/int.out")"

	# -G 2 -W 1 -w: the temp file is 0600 from birth, the final name appears only at the end,
	# when a packet comes after the 2 s (tcpdump: "Maximum file limit reached")
	bg "$T/live/g2.out" "$T/live/g2.err" "$SYNACK" print -i lo -G 2 -W 1 -w "$T/live/g2.pcap" tcp
	p=$BG
	wait_for_file "$T/live/g2.pcap.partial." 2
	tmpf=$FOUND
	check "live: -G 2 -W 1 -w: while capturing, final name absent and temp file 0600" "$(
		[ -n "$tmpf" ] || echo "no $T/live/g2.pcap.partial.* while capturing"
		[ -z "$tmpf" ] || [ "$(mode "$tmpf")" = 600 ] || echo "temp file mode $(mode "$tmpf")"
		[ -e "$T/live/g2.pcap" ] && echo "g2.pcap exists before the capture ended")"
	traffic 5004 2
	tr=$?
	sleep 2.2
	traffic 5005 1 || tr=1
	wait "$p"
	RC=$?
	check "live: -G 2 -W 1 -w: ends with a complete 0600 file, no temp left" "$(
		[ "$tr" = 0 ] || echo "traffic failed: $(tail -n 1 "$T/traffic.err")"
		[ "$RC" = 0 ] || echo "exit $RC (stderr: $(first "$T/live/g2.err"))"
		[ "$(cat "$T/live/g2.err")" = "synack: maximum file limit reached (-W): the capture ends" ] ||
			echo "stderr: $(first "$T/live/g2.err")"
		[ -s "$T/live/g2.out" ] && echo "stdout: $(first "$T/live/g2.out")"
		[ "$(mode "$T/live/g2.pcap")" = 600 ] || echo "mode '$(mode "$T/live/g2.pcap")'"
		ls "$T/live" | grep -q 'partial' && echo "temp file left: $(ls "$T/live" | grep partial)"
		why_readable "$T/live/g2.pcap"
		timeout 20 "$SYNACK" print -r "$T/live/g2.pcap" >"$T/live/g2.lines" 2>/dev/null
		why_tcp_lines "$T/live/g2.lines")"

	# SIGINT during -w --print: a complete file, and the lines printed are the file's
	bg "$T/live/wi.out" "$T/live/wi.err" "$SYNACK" print -i lo -w "$T/live/wi.pcap" --print
	p=$BG
	sp=$(child_of "$p")
	wait_for_file "$T/live/wi.pcap.partial." 2
	traffic 5005 2
	tr=$?
	wait_for_grep 'Flags \[F\.\]' "$T/live/wi.out" 5
	sleep 0.3
	kill -INT "$sp"
	wait "$p"
	RC=$?
	check "live: SIGINT during -w --print: complete readable 0600 file, lines = file" "$(
		[ "$tr" = 0 ] || echo "traffic failed: $(tail -n 1 "$T/traffic.err")"
		why_live_rc "$RC" "$T/live/wi.err"
		[ "$(mode "$T/live/wi.pcap")" = 600 ] || echo "mode '$(mode "$T/live/wi.pcap")'"
		ls "$T/live" | grep -q 'partial' && echo "temp file left: $(ls "$T/live" | grep partial)"
		why_readable "$T/live/wi.pcap"
		why_tcp_lines "$T/live/wi.out"
		if [ "$HAVE_TCPDUMP" = 1 ]; then
			tcpdump_lines "$T/live/wi.pcap" >"$T/live/wi.want"
			why_differs "$T/live/wi.want" "$T/live/wi.out"
		fi)"

	# SIGHUP (a closed terminal) during -w: the capture is kept, no temp file left
	bg "$T/live/hup.out" "$T/live/hup.err" "$SYNACK" print -i lo -w "$T/live/hup.pcap"
	p=$BG
	sp=$(child_of "$p")
	wait_for_file "$T/live/hup.pcap.partial." 2
	traffic 5006 1
	tr=$?
	sleep 0.3
	kill -HUP "$sp"
	wait "$p"
	RC=$?
	check "live: SIGHUP during -w: complete readable file, no temp left" "$(
		[ "$tr" = 0 ] || echo "traffic failed: $(tail -n 1 "$T/traffic.err")"
		why_live_rc "$RC" "$T/live/hup.err"
		ls "$T/live" | grep -q 'partial' && echo "temp file left: $(ls "$T/live" | grep partial)"
		[ -e "$T/live/hup.pcap" ] || echo "no hup.pcap"
		[ -e "$T/live/hup.pcap" ] && why_readable "$T/live/hup.pcap"
		timeout 20 "$SYNACK" print -r "$T/live/hup.pcap" 2>/dev/null | grep -q 'Flags \[S\]' ||
			echo "no [S] in the file")"
	umask "$umask_was"
fi

# ---------------------------------------------------------------------------
if [ "$SKIP" -gt 0 ]; then
	echo "$PASS passed, $FAIL failed, $SKIP skipped"
else
	echo "$PASS passed, $FAIL failed"
fi
[ "$FAIL" = 0 ]
