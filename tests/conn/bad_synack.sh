#!/bin/bash
# bad_synack: the client's SYN to tcp/5009 is answered with a SYN-ACK whose
# ack is not ISN+1 (ISN+1+100000), as a stale or confused peer/middlebox would.
# No scapy here: connapp.py badsynack, a raw IPv4 socket (IPPROTO_TCP) in the
# server namespace, sees each SYN and sends a hand-built SYN-ACK (TCP header,
# MSS option and checksum built in Python, IP header by the kernel). Nothing
# listens on 5009, so the server kernel would also answer RST-ACK: nftables in
# the SERVER's own output hook drops those RSTs (the server's tap comes after
# its output hook, so they are in neither capture). The client kernel, in
# SYN_SENT, answers every unacceptable SYN-ACK with a bare RST (seq = the
# SYN-ACK's ack) and retransmits its SYN (same ISN): the first time at once
# (~10 ms: Linux re-arms the SYN timer to its minimum after such a reset),
# then ~1 s apart, until its 2.5 s connect timeout: 4 x (SYN, bad SYN-ACK,
# RST) at both sides, SYNs at about 0, 0.01, 1.03, 2.05 s.
# Both sides: tcp.bad_synack.
. "$(dirname "$0")/connlib.sh"
need_root; sk_init; need_nft
conn_topo
in_ns s nft -f - <<'NFT'
table ip conn {
    chain output {
        type filter hook output priority 0; policy accept;
        tcp sport 5009 tcp flags & rst == rst counter drop
    }
}
NFT
bg s timeout 15 python3 "$CAPP" badsynack "$S4" 5009 --count 4 --ack-offset 100000 --timeout 6
RAW=$SK_LAST_PID
sleep 0.3      # the raw socket is open before the first SYN
caps_start
client "$S4" 5009 --outcome timeout --timeout 2.5
wait_pid "$RAW" 5
caps_stop
for f in "$OUT_C" "$OUT_S"; do
    want "$f" 'Flags \[S\],' 4
    want "$f" 'Flags \[S\.\],' 4
    want "$f" '192\.0\.2\.10\.[0-9]+ > 203\.0\.113\.20\.5009: Flags \[R\], seq [0-9]+, win 0, length 0' 4
    want "$f" '.' 12
done
isn=$(lines "$OUT_C" | grep -m1 'Flags \[S\],' | sed -E 's/.*seq ([0-9]+),.*/\1/')
ack=$(lines "$OUT_C" | grep -m1 'Flags \[S\.\],' | sed -E 's/.*ack ([0-9]+),.*/\1/')
[ "$ack" = $(( (isn + 1 + 100000) % 4294967296 )) ] || die "SYN-ACK ack $ack is not ISN+1+100000 (ISN $isn)"
conn_finish
