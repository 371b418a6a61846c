# lib.sh: what the command-line test scripts here share: the argument check,
# a temp dir and a namespace name, cleanup on exit, and the check helpers.
# Sourced as `. lib.sh "$@"` after the script sets NAME; defines SYNACK, HERE,
# CAP, CONN, T, NS, NS_MADE, BG_PIDS, OUT, ERR, RC.
# shellcheck shell=bash

if [ $# -ne 1 ]; then
	echo "usage: $0 SYNACK_BINARY" >&2
	exit 2
fi
case $1 in
/*) SYNACK=$1 ;;
*) SYNACK=$PWD/$1 ;;
esac
if [ ! -x "$SYNACK" ]; then
	echo "$0: $SYNACK: not an executable" >&2
	exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
CAP=$(cd "$HERE/../captures" && pwd)
CONN=$(cd "$HERE/../conn" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/synack-$NAME.XXXXXX") || exit 2
NS=synack-$NAME-$$
NS_MADE=0
BG_PIDS=()
export TZ=UTC LC_ALL=C

cleanup() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	if [ "$NS_MADE" = 1 ]; then
		ip netns delete "$NS" 2>/dev/null
	fi
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

PASS=0 FAIL=0 SKIP=0
ok() { PASS=$((PASS + 1)); echo "ok - $1"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $1: ${2//$'\n'/; }"; }
skip() { SKIP=$((SKIP + 1)); echo "skip - $1: $2"; }
# check NAME DETAIL: pass if DETAIL is empty, else fail with it.
check() { if [ -z "$2" ]; then ok "$1"; else not_ok "$1" "$2"; fi; }

OUT=$T/stdout ERR=$T/stderr RC=0
# run CMD...: run bounded, stdout in $OUT, stderr in $ERR, status in $RC.
run() {
	timeout 20 "$@" >"$OUT" 2>"$ERR"
	RC=$?
}
# the first line of a file, for messages
first() { head -n 1 "$1" | cut -c 1-160; }
nlines() { wc -l <"$1" | tr -d ' '; }

# why_error WANT_RC [ERE]: what is wrong with the last run as a one-line error
# (empty if nothing): exit status WANT_RC, stdout empty, stderr exactly one
# line starting "synack: " and matching ERE.
why_error() {
	local want=$1 re=${2:-}
	if [ "$RC" != "$want" ]; then
		echo "exit $RC, want $want (stderr: $(first "$ERR"))"
	elif [ -s "$OUT" ]; then
		echo "stdout not empty: $(first "$OUT")"
	elif [ "$(nlines "$ERR")" != 1 ] || [ "$(tail -c 1 "$ERR" | od -An -c | tr -d ' ')" != '\n' ]; then
		echo "stderr is $(nlines "$ERR") lines, want exactly 1: $(tr '\n' '|' <"$ERR" | cut -c 1-200)"
	elif ! grep -q '^synack: ' "$ERR"; then
		echo "stderr does not start with 'synack: ': $(first "$ERR")"
	elif [ -n "$re" ] && ! grep -Eq -- "$re" "$ERR"; then
		echo "stderr does not match /$re/: $(first "$ERR")"
	fi
}
# expect_error NAME WANT_RC ERE CMD...
expect_error() {
	local name=$1 want=$2 re=$3
	shift 3
	run "$@"
	check "$name" "$(why_error "$want" "$re")"
}
