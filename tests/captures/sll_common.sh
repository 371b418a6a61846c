# sll_common.sh - sourced by sll.sh and sll2.sh (after lib.sh).
# sll_capture DLT FILE: in a fresh namespace whose only interface is lo
# (ifindex 1 in every namespace, so the interface name tcpdump prints for
# SLL2 is "lo" on any reading machine), capture "-i any -y DLT" while a
# client sends 300 bytes to a server on 127.0.0.1:5001 and gets 700 back,
# then the same over [::1]:5002.
sll_capture() {
    local dlt=$1 out=$2
    ns_new a
    [ "$(in_ns a cat /sys/class/net/lo/ifindex)" = 1 ] || die "lo is not ifindex 1"
    app_bg a serve 127.0.0.1 5001 --request 300 --reply 700
    local s1=$SK_LAST_PID
    app_bg a serve ::1 5002 --request 300 --reply 700
    local s2=$SK_LAST_PID
    wait_listen a 5001; wait_listen a 5002
    cap_start a any "$out" -y "$dlt" -- tcp
    app a client 127.0.0.1 5001 --send 300
    app a client ::1 5002 --send 300
    wait_pid "$s1" 5; wait_pid "$s2" 5
    cap_stop
    finish "$out"
}
