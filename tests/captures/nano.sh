#!/bin/bash
# nano_pcap.pcap and nano.pcapng: the same small IPv4+IPv6 TCP exchange with
# nanosecond timestamps. nano_pcap.pcap is written by tcpdump
# --time-stamp-precision=nano (classic pcap, magic 0xa1b23c4d);
# nano.pcapng is that file converted by "editcap -F pcapng", which keeps
# nanosecond resolution (the IDB gets if_tsresol=9): checked below with
# capinfos and tshark frame.time_epoch (9 decimals, not all ending in 000).
. "$(dirname "$0")/lib.sh"
need_root; sk_init
command -v editcap >/dev/null || { echo "SKIP: editcap (wireshark-common) not installed"; exit 77; }
PCAP="$CAPDIR/nano_pcap.pcap"
NG="$CAPDIR/nano.pcapng"
two_hosts 192.0.2.1/24 192.0.2.2/24
addr a a0 2001:db8::1/64; addr b b0 2001:db8::2/64
neigh a a0 2001:db8::2 "$MAC_B"; neigh b b0 2001:db8::1 "$MAC_A"
app_bg b serve 192.0.2.2 5001 --request 100 --reply 300
S1=$SK_LAST_PID
app_bg b serve 2001:db8::2 5001 --request 100 --reply 300
S2=$SK_LAST_PID
wait_listen b 5001
cap_start a a0 "$PCAP" --time-stamp-precision=nano -- tcp
app a client 192.0.2.2 5001 --send 100
app a client 2001:db8::2 5001 --send 100
wait_pid "$S1" 5; wait_pid "$S2" 5
cap_stop
rm -f "$NG"
editcap -F pcapng "$PCAP" "$NG"
# check: pcap magic is the nanosecond one, pcapng keeps nanoseconds
[ "$(head -c4 "$PCAP" | od -An -tx1 | tr -d ' ')" = 4d3cb2a1 ] || die "$PCAP is not a nanosecond pcap"
if command -v capinfos >/dev/null; then
    capinfos -M "$NG" 2>/dev/null | grep -c 'nanoseconds' >/dev/null || die "$NG lost nanosecond precision"
fi
if command -v tshark >/dev/null; then
    tshark -r "$NG" -T fields -e frame.time_epoch 2>/dev/null | grep -cv '000$' >/dev/null || die "$NG: no sub-microsecond digits"
fi
finish "$PCAP" "$NG"
