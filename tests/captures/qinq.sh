#!/bin/bash
# qinq.pcap: 802.1ad outer tag (S-VLAN 200, TPID 0x88a8) over an 802.1Q inner tag
# (C-VLAN 100): a TCP exchange between two namespaces (192.0.2.1 ->
# 192.0.2.2:5001, 400-byte request, 2000-byte reply), captured on the
# client's veth so the frames carry both tags.
# This kernel has no 8021q module (no "type vlan" links), so the tag is
# pushed on veth egress and popped on veth ingress by a tc eBPF program
# (vlanbpf.py, bpf_skb_vlan_push/pop): on the wire between the two veths
# the frames are double-tagged exactly as with stacked VLAN sub-interfaces
# ("type vlan protocol 802.1ad id 200" with "type vlan id 100" on top).
. "$(dirname "$0")/lib.sh"
need_root; sk_init
command -v tc >/dev/null || { echo "SKIP: tc not installed"; exit 77; }
OUT="$CAPDIR/qinq.pcap"
two_hosts 192.0.2.1/24 192.0.2.2/24 noipv6
for h in a b; do
    vlan_bpf "$h" "${h}0" egress push 0x8100 100 0x88a8 200
    vlan_bpf "$h" "${h}0" ingress pop 2
done
app_bg b serve 192.0.2.2 5001 --request 400 --reply 2000
wait_listen b 5001
cap_start a a0 "$OUT"
app a client 192.0.2.2 5001 --send 400
cap_stop
[ "$(tcpdump -enn -r "$OUT" 2>/dev/null | grep -c "ethertype 802.1Q-QinQ (0x88a8).*vlan 200.*vlan 100")" -gt 0 ] || die "no QinQ tags in $OUT"
finish "$OUT"
