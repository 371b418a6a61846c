#!/bin/bash
# vlan.pcap: 802.1Q-tagged Ethernet (VLAN 100) TCP exchange between two
# namespaces (192.0.2.1 -> 192.0.2.2:5001, 400-byte request, 2000-byte
# reply), captured on the client's veth so the frames carry the tag.
# This kernel has no 8021q module (no "type vlan" links), so the tag is
# pushed on veth egress and popped on veth ingress by a tc eBPF program
# (vlanbpf.py, bpf_skb_vlan_push/pop): on the wire between the two veths
# the frames are tagged exactly as with a VLAN sub-interface.
. "$(dirname "$0")/lib.sh"
need_root; sk_init
command -v tc >/dev/null || { echo "SKIP: tc not installed"; exit 77; }
OUT="$CAPDIR/vlan.pcap"
two_hosts 192.0.2.1/24 192.0.2.2/24 noipv6
for h in a b; do
    vlan_bpf "$h" "${h}0" egress push 0x8100 100
    vlan_bpf "$h" "${h}0" ingress pop 1
done
app_bg b serve 192.0.2.2 5001 --request 400 --reply 2000
wait_listen b 5001
cap_start a a0 "$OUT"
app a client 192.0.2.2 5001 --send 400
cap_stop
[ "$(tcpdump -enn -r "$OUT" 2>/dev/null | grep -c 'vlan 100')" -gt 0 ] || die "no VLAN tags in $OUT"
finish "$OUT"
