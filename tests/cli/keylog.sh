#!/usr/bin/env bash
# tests/cli/keylog.sh: --keylog FILE and the pcapng Decryption Secrets Blocks,
# as the command line sees them: errors, warnings, the summary's counts, a key
# log re-read during a live capture, and no secret in any output.
#
#   tests/cli/keylog.sh SYNACK_BINARY
#
# The live check needs root, ip(8) namespaces and openssl; it is skipped otherwise.
NAME=keylog
. "$(dirname "$0")/lib.sh" "$@"

KL=$(cd "$HERE/../keylog" && pwd)
KEYS=$(cd "$HERE/../keys" && pwd)
PCAP=$KL/tls13_aes128gcm.pcap
KEYFILE=$KL/tls13_aes128gcm.keys
DSB=$KL/tls13_aes128gcm_dsb.pcapng
NANO_DSB=$KEYS/nano_dsb.pcapng

# The secrets (third field) of key log files, lower case, one a line: none may appear in any output.
secrets_of() { awk 'NF == 3 && $1 !~ /^#/ { print tolower($3) }' "$@" | sort -u; }
# why_leak SECRETS FILES...: a secret (either case) found in one of the files
why_leak() {
	local s f list=$1
	shift
	while read -r s; do
		[ -n "$s" ] || continue
		for f in "$@"; do
			if grep -qiF -- "$s" "$f"; then
				echo "a secret of the key log is in $(basename "$f")"
				return
			fi
		done
	done <"$list"
}
# json_summary FILE KEY: the summary's value at a dotted path (python3), or "absent"
json_summary() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
last = None
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("type") == "summary":
        last = o
v = last
for k in sys.argv[2].split("."):
    v = v.get(k) if isinstance(v, dict) else None
    if v is None:
        break
print("absent" if v is None else v)
EOF
}
secrets_of "$KEYFILE" >"$T/secrets"
[ -s "$T/secrets" ] || { echo "no secrets in $KEYFILE" >&2; exit 2; }

# ---------------------------------------------------------------------------
# Input errors: exit 2, one line, nothing written.

expect_error "missing key log: exit 2, one line" 2 '^synack: --keylog '"$T"'/none\.keys: .*No such file' \
	"$SYNACK" -r "$PCAP" --keylog "$T/none.keys"
mkdir "$T/dir"
expect_error "a directory as key log: exit 2, one line" 2 '^synack: --keylog .*dir: .*directory' \
	"$SYNACK" -r "$PCAP" --keylog "$T/dir"
run "$SYNACK" -r "$PCAP" -w "$T/saved.pcap" --keylog "$T/none.keys"
check "unreadable key log with -w: exit 2, no -w file left" "$(
	why_error 2 '^synack: --keylog '
	[ -e "$T/saved.pcap" ] && echo "-w file made")"
run "$SYNACK" print -r "$PCAP" --keylog "$KEYFILE"
check "--keylog with synack print: a usage error" "$(
	[ "$RC" = 2 ] || echo "exit $RC"
	[ -s "$OUT" ] && echo "stdout: $(first "$OUT")"
	grep -q '^synack: bad option --keylog' "$ERR" || echo "stderr: $(first "$ERR")")"

# ---------------------------------------------------------------------------
# A key log read: the summary counts it; malformed lines one warning.

run "$SYNACK" -r "$PCAP" --keylog "$KEYFILE" --json
check "--keylog: summary counts its client randoms and secrets, exit 0, stderr empty" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
	[ "$(json_summary "$OUT" keylog.randoms)" = 1 ] || echo "randoms $(json_summary "$OUT" keylog.randoms)"
	[ "$(json_summary "$OUT" keylog.secrets)" = "$(wc -l <"$T/secrets" | tr -d ' ')" ] ||
		echo "secrets $(json_summary "$OUT" keylog.secrets)"
	[ "$(json_summary "$OUT" keylog.dsb_blocks)" = 0 ] || echo "dsb_blocks $(json_summary "$OUT" keylog.dsb_blocks)"
	why_leak "$T/secrets" "$OUT" "$ERR")"

run "$SYNACK" -r "$PCAP" --keylog "$KEYFILE" -v --all --packets
check "--keylog, text -v --all --packets: key log lines in the summary, no secret" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	grep -Eq '^  key log client randoms +1$' "$OUT" || echo "no 'key log client randoms 1' line"
	why_leak "$T/secrets" "$OUT" "$ERR")"

# three malformed lines, the first on line 2; a comment, a blank line, an unknown label
{
	echo "# made by keylog.sh"
	echo "CLIENT_RANDOM nothex 00"
	echo
	sed -n 1p "$KEYFILE"
	echo "NOT_A_LABEL $(printf '%064d' 0) 0011"
	echo "CLIENT_HANDSHAKE_TRAFFIC_SECRET $(printf '%064d' 1) 0g"
	echo "two fields"
	sed -n '2,$p' "$KEYFILE"
} >"$T/bad.keys"
run "$SYNACK" -r "$PCAP" --keylog "$T/bad.keys"
check "malformed lines: one warning with their count and the first" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	[ "$(nlines "$ERR")" = 1 ] || echo "stderr is $(nlines "$ERR") lines"
	grep -Eq "^synack: warning: --keylog $T/bad\.keys: 3 malformed lines \(first: line 2, client random not 64 hex digits\)$" \
		"$ERR" || echo "stderr: $(first "$ERR")"
	grep -Eq '^  key log malformed lines +3$' "$OUT" || echo "summary lacks 'key log malformed lines 3'"
	grep -Eq '^  key log unknown labels +1$' "$OUT" || echo "summary lacks 'key log unknown labels 1'"
	why_leak "$T/secrets" "$OUT" "$ERR")"

# ---------------------------------------------------------------------------
# pcapng Decryption Secrets Blocks: read without --keylog.

run "$SYNACK" -r "$DSB" --json
check "DSB pcapng without --keylog: its secrets loaded, counted in the summary" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	[ -s "$ERR" ] && echo "stderr: $(first "$ERR")"
	[ "$(json_summary "$OUT" keylog.dsb_blocks)" = 1 ] || echo "dsb_blocks $(json_summary "$OUT" keylog.dsb_blocks)"
	[ "$(json_summary "$OUT" keylog.randoms)" = 1 ] || echo "randoms $(json_summary "$OUT" keylog.randoms)"
	why_leak "$T/secrets" "$OUT" "$ERR")"
run "$SYNACK" -r "$DSB"
check "DSB pcapng, text: the summary says the capture's secrets blocks" "$(
	grep -Eq '^  secrets blocks in capture +1$' "$OUT" || echo "no 'secrets blocks in capture 1' line"
	why_leak "$T/secrets" "$OUT" "$ERR")"
run "$SYNACK" -r "$DSB" --keylog "$KEYFILE" --json
check "DSB pcapng and the same key log: one client random, the lines repeated not conflicting" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	[ "$(json_summary "$OUT" keylog.randoms)" = 1 ] || echo "randoms $(json_summary "$OUT" keylog.randoms)"
	[ "$(json_summary "$OUT" keylog.conflicts)" = 0 ] || echo "conflicts $(json_summary "$OUT" keylog.conflicts)")"
run "$SYNACK" -r "$NANO_DSB" --json
check "nano_dsb.pcapng: two client randoms from its secrets block" "$(
	[ "$RC" = 0 ] || echo "exit $RC"
	[ "$(json_summary "$OUT" keylog.randoms)" = 2 ] || echo "randoms $(json_summary "$OUT" keylog.randoms)"
	[ "$(json_summary "$OUT" keylog.dsb_blocks)" = 1 ] || echo "dsb_blocks $(json_summary "$OUT" keylog.dsb_blocks)")"

# a cut DSB capture: a warning, the run goes on
size=$(wc -c <"$DSB")
head -c $((size - 7)) "$DSB" >"$T/cut.pcapng"
run "$SYNACK" -r "$T/cut.pcapng" --keylog "$KEYFILE"
check "cut pcapng with --keylog: a warning about its secrets blocks" "$(
	grep -q "^synack: warning: $T/cut.pcapng: its secrets blocks were read up to a truncated block" "$ERR" ||
		echo "stderr: $(tr '\n' '|' <"$ERR" | cut -c 1-200)")"

# no key log, no secrets block: nothing about keys anywhere (the output as before --keylog)
for f in "$PCAP" "$CAP/nano.pcapng"; do
	run "$SYNACK" -r "$f" --json
	check "no key log, no DSB ($(basename "$f")): no keylog in the summary" "$(
		[ "$(json_summary "$OUT" keylog)" = absent ] || echo "keylog in the summary"
		grep -qi 'key log\|keylog' "$ERR" && echo "stderr: $(first "$ERR")")"
	run "$SYNACK" -r "$f"
	# (but for the hint that a key log would confirm an inference: docs/verdicts.md)
	check "no key log, no DSB ($(basename "$f")), text: no key log lines" "$(
		tr -s '\n ' '  ' <"$OUT" |
			sed 's/[Rr]un with --keylog FILE to [^(]*(a key log of this session: clients write one when SSLKEYLOGFILE=FILE is set)//g' |
			grep -qi 'key log\|secrets block' && echo "a key log line in the text")"
done

# ---------------------------------------------------------------------------
# Live: a key log written during the capture is re-read.

LIVE_WHY=
if [ "$(id -u)" != 0 ]; then
	LIVE_WHY="not root"
elif ! command -v ip >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1 ||
	! command -v python3 >/dev/null 2>&1; then
	LIVE_WHY="no ip(8), openssl or python3"
elif ! ip netns add "$NS" 2>"$T/ns.err"; then
	LIVE_WHY="ip netns add failed: $(head -n 1 "$T/ns.err")"
else
	NS_MADE=1
	ip -n "$NS" link set lo up 2>"$T/ns.err" || LIVE_WHY="cannot bring lo up: $(head -n 1 "$T/ns.err")"
fi
if [ -n "$LIVE_WHY" ]; then
	skip "live: a key log written during the capture is re-read" "$LIVE_WHY"
else
	: >"$T/live.keys"
	ip netns exec "$NS" timeout 20 "$SYNACK" --json -i lo --keylog "$T/live.keys" tcp port 4433 \
		>"$T/live.out" 2>"$T/live.err" &
	SYN=$!
	BG_PIDS+=("$SYN")
	ip netns exec "$NS" timeout 15 openssl s_server -quiet -accept 127.0.0.1:4433 -tls1_3 \
		-cert "$KL/certs/rsa.pem" -key "$KL/certs/rsa.key" >"$T/srv.out" 2>&1 </dev/null &
	SRV=$!
	BG_PIDS+=("$SRV")
	sleep 1
	# the client writes its secrets to the key log synack watches; a last line left without
	# its end is read at the finish
	{ echo hello; sleep 1; } | ip netns exec "$NS" timeout 10 openssl s_client -quiet \
		-connect 127.0.0.1:4433 -tls1_3 -keylogfile "$T/live.keys" >"$T/cli.out" 2>&1
	cl=$?
	sleep 0.5
	printf 'CLIENT_RANDOM %064d %096d' 7 7 >>"$T/live.keys"
	sleep 0.6
	# gone before the end: what the summary counts was read while capturing, and the re-reads
	# that fail now are said once
	secrets_of "$T/live.keys" >"$T/live.secrets"
	n=$(awk 'NF == 3 && $1 !~ /^#/' "$T/live.keys" | cut -d' ' -f2 | sort -u | wc -l | tr -d ' ')
	rm "$T/live.keys"
	sleep 0.7
	kill -INT "$(pgrep -P "$SYN" | head -n 1 || echo "$SYN")" 2>/dev/null
	wait "$SYN"
	RC=$?
	kill "$SRV" 2>/dev/null
	check "live: a key log written during the capture is re-read; its removal said once" "$(
		[ "$cl" = 0 ] || echo "s_client exit $cl: $(first "$T/cli.out")"
		[ "$n" -ge 2 ] || echo "the key log has $n client randoms"
		[ "$RC" -le 1 ] || echo "exit $RC (stderr: $(first "$T/live.err"))"
		[ "$(nlines "$T/live.err")" = 1 ] || echo "stderr is $(nlines "$T/live.err") lines"
		grep -q "^synack: warning: --keylog $T/live.keys: .*No such file.* (re-reading it" "$T/live.err" ||
			echo "stderr: $(first "$T/live.err")"
		got=$(json_summary "$T/live.out" keylog.randoms 2>&1)
		[ "$got" = "$n" ] || echo "summary: $got client randoms, the key log has $n"
		why_leak "$T/live.secrets" "$T/live.out" "$T/live.err")"
fi

echo "# $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" = 0 ]
