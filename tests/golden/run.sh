#!/bin/bash
# run.sh SYNACK [--bless]: golden tests in tcpdump's manner. Each line of
# `list` is "name capture expected [args...]": the output (stdout, stderr and
# the exit status) of `TZ=UTC synack args -r tests/capture` must equal
# tests/golden/expected/expected exactly, once the run's own elapsed time in a
# JSON summary is set to 0. Every expected file was produced by
# a run checked by hand; --bless rewrites them after an intended change.
set -u
set -f   # filters like tcp[13] are not file patterns
here=$(cd "$(dirname "$0")" && pwd)
synack=$1
bless=${2:-}
tests=$here/..
pass=0 fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.raw"' EXIT
while read -r name capture expected args; do
    case "$name" in ''|'#'*) continue ;; esac
    # shellcheck disable=SC2086
    TZ=UTC LANG=C.UTF-8 "$synack" $args -r "$tests/$capture" >"$tmp.raw" 2>&1
    echo "exit $?" >>"$tmp.raw"
    sed 's/"elapsed_s":[0-9.]*/"elapsed_s":0/' "$tmp.raw" >"$tmp"
    if [ "$bless" = --bless ]; then
        cp "$tmp" "$here/expected/$expected"
        echo "blessed - $name"
        pass=$((pass + 1))
    elif cmp -s "$tmp" "$here/expected/$expected"; then
        echo "ok - $name"
        pass=$((pass + 1))
    else
        echo "not ok - $name"
        diff -u "$here/expected/$expected" "$tmp" | head -20
        fail=$((fail + 1))
    fi
done <"$here/list"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
