# shellcheck shell=sh
# template_lib.sh: what the bench/make_template*.sh scripts share. Sourced after
# the script sets TL_NAME (its name, for messages), cli_ip and srv_ip (and, for
# IPv6, plen="64 nodad" with cli_net= srv_net= empty). Gives: a temp dir $tmp,
# the two namespace names $ns_c and $ns_s, the pids to stop on exit ($srv_pid,
# $dump_pid, $cli_pid), die, wait_for, tl_topology (the namespaces, the veth
# pair vc/vs with offloads off, addresses, routes, carrier) and tl_stop_dump.

plen=${plen:-24}
cli_net=${cli_net-192.0.2.0/24}
srv_net=${srv_net-203.0.113.0/24}
ns_c=synack_${TL_NAME}_cli_$$
ns_s=synack_${TL_NAME}_srv_$$
tmp=$(mktemp -d)
srv_pid=
dump_pid=
cli_pid=

cleanup() {
	if [ -n "$dump_pid" ]; then kill -INT "$dump_pid" 2>/dev/null || true; fi
	if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; fi
	if [ -n "$cli_pid" ]; then kill "$cli_pid" 2>/dev/null || true; fi
	ip netns del "$ns_c" 2>/dev/null || true
	ip netns del "$ns_s" 2>/dev/null || true
	if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "$TL_NAME: $*" >&2; exit 1; }

# wait_for FILE PATTERN SECONDS: bounded wait for PATTERN to appear in FILE
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}

# tl_topology: client namespace (vc, cli_ip) and server namespace (vs, srv_ip),
# one veth pair, offloads off (wire-sized packets), a route to the other side's
# network when there is one, and a bounded wait for carrier on both ends.
tl_topology() {
	ip netns add "$ns_c"
	ip netns add "$ns_s"
	ip link add vc netns "$ns_c" type veth peer name vs netns "$ns_s"
	for pair in "$ns_c vc $cli_ip $srv_net" "$ns_s vs $srv_ip $cli_net"; do
		# shellcheck disable=SC2086 # split on purpose: "NS IF ADDR [ROUTE]"
		set -- $pair
		ip -n "$1" link set lo up
		# shellcheck disable=SC2086 # $plen may carry "nodad"
		ip -n "$1" addr add "$3/"$plen dev "$2"
		ip -n "$1" link set "$2" up
		[ -z "${4:-}" ] || ip -n "$1" route add "$4" dev "$2"
		ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 ||
			die "ethtool -K $2 failed"
	done
	i=0
	until ip -n "$ns_c" link show vc | grep -q LOWER_UP && ip -n "$ns_s" link show vs | grep -q LOWER_UP; do
		i=$((i + 1)); [ "$i" -gt 50 ] && die "veth has no carrier"; sleep 0.1
	done
}

# tl_stop_dump: stop the capture ($dump_pid), bounded
tl_stop_dump() {
	kill -INT "$dump_pid"
	i=0
	while kill -0 "$dump_pid" 2>/dev/null; do
		i=$((i + 1)); [ "$i" -gt 50 ] && die "tcpdump did not stop"; sleep 0.1
	done
	wait "$dump_pid" 2>/dev/null || true
	dump_pid=
}
