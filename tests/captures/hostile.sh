#!/bin/bash
# hostile.sh - hostile.pcap (EN10MB) and hostile_{null,raw,sll,sll2}.pcap:
# mutated TCP packets made by mutate.py (seed 1, 3000 packets in all) from
# the real captures listed below, with their tcpdump goldens (made as
# bless_tcpdump.sh makes them). No root needed. The inputs are listed, not
# globbed, so that new captures here do not change these files; regenerate
# after re-making any of the inputs.
set -euo pipefail
cd "$(dirname "$0")"
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump not installed"; exit 77; }
INPUTS="icmp ip_options_frag ipv6 nano_pcap null qinq raw rst sack sll sll2
        snaplen60 snaplen80 tls_loopback vlan wscale"
files=()
for i in $INPUTS; do files+=("$i.pcap"); done
rm -f hostile*.pcap hostile*.pcap.tcpdump hostile*.pcap.tcpdump-S
python3 mutate.py --seed 1 --count 3000 --outdir . --prefix hostile "${files[@]}"
for f in hostile*.pcap; do
    TZ=UTC tcpdump -nn -r "$f" >"$f.tcpdump" 2>/dev/null
    TZ=UTC tcpdump -nn -S -r "$f" >"$f.tcpdump-S" 2>/dev/null
    printf '%-20s %6d bytes %5d lines\n' "$f" "$(wc -c <"$f")" "$(wc -l <"$f.tcpdump")"
done
