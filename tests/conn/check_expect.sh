#!/bin/bash
# check_expect.sh [NAME...] - check the captures against the counting keys of
# NAME.expect, with tcpdump -nn -r (no root needed). Keys checked here
# (SIDE is client or server; value N exact, or ">=N"):
#   SIDE.packets       every packet in NAME.SIDE.pcap
#   SIDE.syn_count     lines with "Flags [S],"
#   SIDE.synack_count  lines with "Flags [S.],"
#   SIDE.rst_count     lines with "Flags [R"
#   SIDE.fin_count     lines with "Flags [F"
#   SIDE.icmp_count    ICMP / ICMP6 lines
# Every other key (verdict, connections, ...) states what an analyzer should
# conclude and is not checked here.
set -euo pipefail
cd "$(dirname "$0")"
names=("$@")
if [ ${#names[@]} = 0 ]; then
    for e in *.expect; do names+=("${e%.expect}"); done
fi
fail=0
for n in "${names[@]}"; do
    [ -f "$n.expect" ] || { echo "$n: no $n.expect"; fail=1; continue; }
    bad=0
    while read -r key val _; do
        case "$key" in ''|'#'*) continue ;; esac
        side=${key%%.*}; what=${key#*.}
        case "$side" in client|server) ;; *) continue ;; esac
        case "$what" in
            packets)      re='.' ;;
            syn_count)    re='Flags \[S\],' ;;
            synack_count) re='Flags \[S\.\],' ;;
            rst_count)    re='Flags \[R' ;;
            fin_count)    re='Flags \[F' ;;
            icmp_count)   re=' ICMP6?[ ,]' ;;
            *) continue ;;
        esac
        f="$n.$side.pcap"
        [ -f "$f" ] || { echo "$n: $f missing"; bad=1; break; }
        got=$(tcpdump -nn -r "$f" 2>/dev/null | grep -cE -- "$re" || true)
        case "$val" in
            '>='*) [ "$got" -ge "${val#>=}" ] || { echo "$n: $key is $got, expected $val"; bad=1; } ;;
            *)     [ "$got" -eq "$val" ]      || { echo "$n: $key is $got, expected $val"; bad=1; } ;;
        esac
    done < "$n.expect"
    if [ "$bad" = 0 ]; then echo "ok   $n"; else echo "FAIL $n"; fail=1; fi
done
exit "$fail"
