#!/bin/sh
# Record bench/template.pcap: one real TLS 1.3 connection between openssl
# s_client (192.0.2.1) and openssl s_server (203.0.113.20:443), each in its
# own network namespace, joined by a veth pair, captured on the client's veth.
#
# Usage: bench/make_template.sh [-6] [OUT.pcap]   (root; needs ip, ethtool, tcpdump, openssl)
#   -6  IPv6 instead: 2001:db8::1 -> [2001:db8::20]:443 (default OUT bench/template6.pcap)
set -eu

if [ "${1:-}" = "-6" ]; then
	shift
	out=${1:-$(dirname "$0")/template6.pcap}
	cli_ip=2001:db8::1 srv_ip=2001:db8::20 plen="64 nodad" cli_net='' srv_net='' connect="[2001:db8::20]"
else
	out=${1:-$(dirname "$0")/template.pcap}
	cli_ip=192.0.2.1 srv_ip=203.0.113.20 plen=24
	cli_net=192.0.2.0/24 srv_net=203.0.113.0/24 connect=$srv_ip
fi
port=443
ns_c=synack_tpl_cli_$$
ns_s=synack_tpl_srv_$$
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

die() { echo "make_template: $*" >&2; exit 1; }

# wait_for FILE PATTERN SECONDS: bounded wait for PATTERN to appear in FILE
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}

# A throw-away self-signed P-256 certificate keeps the handshake small.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
	-subj "/CN=bench.example.net" >/dev/null 2>&1 || die "openssl req failed"

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

# Bounded wait for both ends of the veth to have carrier.
i=0
until ip -n "$ns_c" link show vc | grep -q LOWER_UP && ip -n "$ns_s" link show vs | grep -q LOWER_UP; do
	i=$((i + 1)); [ "$i" -gt 50 ] && die "veth has no carrier"; sleep 0.1
done

ip netns exec "$ns_s" timeout 20 openssl s_server -quiet -rev -naccept 1 \
	-accept "$connect:$port" -cert "$tmp/cert.pem" -key "$tmp/key.pem" \
	-tls1_3 -num_tickets 1 >"$tmp/server.log" 2>&1 &
srv_pid=$!

ip netns exec "$ns_c" timeout 20 tcpdump -i vc --immediate-mode -U -n \
	-w "$tmp/t.pcap" "tcp port $port" >"$tmp/tcpdump.log" 2>&1 &
dump_pid=$!
wait_for "$tmp/tcpdump.log" "listening on" 5 || die "tcpdump did not start: $(cat "$tmp/tcpdump.log")"

# Bounded wait for the server's listening socket.
i=0
until ip netns exec "$ns_s" ss -Hltn "sport = :$port" | grep -q LISTEN; do
	i=$((i + 1)); [ "$i" -gt 50 ] && die "s_server did not listen"; sleep 0.1
done

# One short exchange: a line the server echoes reversed, then a clean close.
# stdin is a fifo held open until the echo is back, so the close never races it.
mkfifo "$tmp/in"
ip netns exec "$ns_c" timeout 10 openssl s_client -quiet -no_ign_eof \
	-connect "$connect:$port" -servername bench.example.net -tls1_3 \
	<"$tmp/in" >"$tmp/client.out" 2>"$tmp/client.err" &
cli_pid=$!
exec 3>"$tmp/in"
printf 'hello synack\n' >&3
wait_for "$tmp/client.out" "kcanys olleh" 5 || die "no reversed echo from s_server: $(cat "$tmp/client.err")"
exec 3>&-
wait "$cli_pid" || die "s_client failed: $(cat "$tmp/client.err")"
cli_pid=

sleep 0.3                           # let the last FIN/ACK reach the capture
kill -INT "$dump_pid"
i=0
while kill -0 "$dump_pid" 2>/dev/null; do
	i=$((i + 1)); [ "$i" -gt 50 ] && die "tcpdump did not stop"; sleep 0.1
done
wait "$dump_pid" 2>/dev/null || true
dump_pid=
wait "$srv_pid" 2>/dev/null || true
srv_pid=

cp "$tmp/t.pcap" "$out"
echo "make_template: wrote $out ($(wc -c <"$out") bytes)"
tcpdump -nn -r "$out" 2>/dev/null
