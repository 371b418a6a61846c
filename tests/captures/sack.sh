#!/bin/bash
# sack.pcap: loss recovery with SACK. Client 192.0.2.1 - router - server
# 198.51.100.1:5001; the client asks (100-byte request) for 153600 bytes.
# netem is not available in this kernel, so the router namespace drops a
# deterministic pattern instead: nftables "numgen inc mod 30 { 5, 8 }" on the
# server's data segments (data segments number 5 and 8 of every 30, counted including
# retransmissions). Captured at the server (sender) side on b0: the original
# segments, the client's duplicate ACKs carrying SACK blocks, and the
# retransmissions.
. "$(dirname "$0")/lib.sh"
need_root; sk_init
command -v nft >/dev/null || { echo "SKIP: nft not installed"; exit 77; }
OUT="$CAPDIR/sack.pcap"
routed noipv6
in_ns r nft -f - <<'NFT'
table ip sklossy {
    chain forward {
        type filter hook forward priority 0; policy accept;
        ip saddr 198.51.100.1 tcp sport 5001 meta length > 200 numgen inc mod 30 { 5, 8 } counter drop
    }
}
NFT
app_bg b serve 198.51.100.1 5001 --request 100 --reply 153600
wait_listen b 5001
cap_start b b0 "$OUT" -- tcp
app a client 198.51.100.1 5001 --send 100
cap_stop
in_ns r nft list chain ip sklossy forward | grep -o 'packets [0-9]*' | sed 's/^/dropped by router: /' >&2
tcpdump -nn -r "$OUT" 2>/dev/null | grep -c "sack " >/dev/null || die "no SACK blocks in $OUT"
finish "$OUT"
