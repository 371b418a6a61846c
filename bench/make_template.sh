#!/bin/sh
# Record bench/template.pcap: one real TLS 1.3 connection between openssl
# s_client (192.0.2.1) and openssl s_server (203.0.113.20:443), each in its
# own network namespace, joined by a veth pair, captured on the client's veth.
#
# Usage: bench/make_template.sh [-6] [-k] [OUT.pcap]   (root; needs ip, ethtool, tcpdump, openssl)
#   -6  IPv6 instead: 2001:db8::1 -> [2001:db8::20]:443 (default OUT bench/template6.pcap)
#   -k  also write the client's key log (s_client -keylogfile, NSS format: the four
#       TLS 1.3 traffic secrets and the exporter secret) to OUT with .pcap replaced by
#       .keys (default OUT bench/template_keyed.pcap: the keyed benchmark part's
#       template, recorded apart so that template.pcap, and the other parts'
#       numbers, stay as they were)
set -eu

keyed=
if [ "${1:-}" = "-k" ]; then keyed=1; shift; fi
if [ "${1:-}" = "-6" ]; then
	shift
	if [ "${1:-}" = "-k" ]; then keyed=1; shift; fi
	out=${1:-$(dirname "$0")/template6.pcap}
	cli_ip=2001:db8::1 srv_ip=2001:db8::20 plen="64 nodad" cli_net='' srv_net='' connect="[2001:db8::20]"
else
	if [ -n "$keyed" ]; then out=${1:-$(dirname "$0")/template_keyed.pcap}; else out=${1:-$(dirname "$0")/template.pcap}; fi
	cli_ip=192.0.2.1 srv_ip=203.0.113.20 plen=24
	cli_net=192.0.2.0/24 srv_net=203.0.113.0/24 connect=$srv_ip
fi
port=443
TL_NAME=make_template
. "$(dirname "$0")/template_lib.sh"

# A throw-away self-signed P-256 certificate keeps the handshake small.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
	-subj "/CN=bench.example.net" >/dev/null 2>&1 || die "openssl req failed"

tl_topology

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
keyopt=
[ -z "$keyed" ] || keyopt="-keylogfile $tmp/keys"
# shellcheck disable=SC2086 # $keyopt: empty or two words
ip netns exec "$ns_c" timeout 10 openssl s_client -quiet -no_ign_eof $keyopt \
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
tl_stop_dump
wait "$srv_pid" 2>/dev/null || true
srv_pid=

cp "$tmp/t.pcap" "$out"
echo "make_template: wrote $out ($(wc -c <"$out") bytes)"
if [ -n "$keyed" ]; then
	keys=${out%.pcap}.keys
	grep -q '^SERVER_TRAFFIC_SECRET_0 ' "$tmp/keys" || die "s_client wrote no key log"
	cp "$tmp/keys" "$keys"
	echo "make_template: wrote $keys ($(grep -c . "$keys") lines)"
fi
tcpdump -nn -r "$out" 2>/dev/null
