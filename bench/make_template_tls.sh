#!/bin/sh
# Record the TLS 1.2 templates of the bench's TLS part: one real connection
# between openssl s_client (192.0.2.1) and openssl s_server (203.0.113.20:443),
# each in its own network namespace, joined by a veth pair, captured on the
# client's veth (as make_template.sh does for the TLS 1.3 template).
#
#   ok     (default, bench/template_tls12.pcap) TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256,
#          the server sends a two-certificate RSA chain (its own and the
#          intermediate's); the client verifies it against the root, sends one
#          line, waits for it to come back reversed, then closes (close_notify, FIN).
#   alert  (bench/template_tls_alert.pcap) a client that offers TLS 1.2 at most
#          against a server that accepts TLS 1.3 only: the server answers the
#          ClientHello with a protocol_version alert and both sides close.
#
# Usage: bench/make_template_tls.sh [ok|alert] [OUT.pcap]
#        (root; needs ip, ethtool, tcpdump, openssl, ss; tshark to check the result if present)
# The certificates are made afresh each time (throw-away keys) with fixed
# validity 2000-01-01 .. 2099-12-31, so they are valid at whatever time the
# generator (bench-gen -T) puts the copies.
set -eu

mode=${1:-ok}
case $mode in
ok) out=${2:-$(dirname "$0")/template_tls12.pcap} ;;
alert) out=${2:-$(dirname "$0")/template_tls_alert.pcap} ;;
*) echo "usage: $0 [ok|alert] [OUT.pcap]" >&2; exit 2 ;;
esac
cli_ip=192.0.2.1 srv_ip=203.0.113.20 port=443 name=bench.example.net
TL_NAME=make_template_tls
. "$(dirname "$0")/template_lib.sh"

# A root CA (not sent), an intermediate CA and the server's certificate, RSA
# 2048 as most public TLS 1.2 servers still use: the server's flight is then
# about 2.8 KB, certificates over several TCP segments.
pki() {
	cd "$tmp"
	mkdir -p db
	: >db/index
	echo 1000 >db/serial
	cat >ca.cnf <<EOF
[ca]
default_ca = bench
[bench]
dir = $tmp/db
database = \$dir/index
serial = \$dir/serial
new_certs_dir = \$dir
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
[root_ext]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[inter_ext]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_ext]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:$name
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
	dates="-startdate 20000101000000Z -enddate 20991231235959Z"
	for k in root inter leaf; do
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$k.key" 2>/dev/null
	done
	openssl req -new -key root.key -subj "/O=synack bench/CN=synack bench root CA" -out root.csr
	# shellcheck disable=SC2086 # $dates: two options
	openssl ca -batch -config ca.cnf -selfsign -keyfile root.key $dates -extensions root_ext \
		-in root.csr -out root.pem 2>/dev/null
	openssl req -new -key inter.key -subj "/O=synack bench/CN=synack bench intermediate CA" -out inter.csr
	# shellcheck disable=SC2086
	openssl ca -batch -config ca.cnf -cert root.pem -keyfile root.key $dates -extensions inter_ext \
		-in inter.csr -out inter.pem 2>/dev/null
	openssl req -new -key leaf.key -subj "/CN=$name" -out leaf.csr
	# shellcheck disable=SC2086
	openssl ca -batch -config ca.cnf -cert inter.pem -keyfile inter.key $dates -extensions leaf_ext \
		-in leaf.csr -out leaf.pem 2>/dev/null
	openssl verify -CAfile root.pem -untrusted inter.pem leaf.pem >/dev/null
}
(pki) || die "making the certificates failed"

tl_topology

if [ "$mode" = ok ]; then
	srv_ver=-tls1_2 cli_ver=-tls1_2
else
	srv_ver=-tls1_3 cli_ver=-tls1_2
fi
ip netns exec "$ns_s" timeout 20 openssl s_server -quiet -rev -naccept 1 \
	-accept "$srv_ip:$port" -cert "$tmp/leaf.pem" -key "$tmp/leaf.key" -cert_chain "$tmp/inter.pem" \
	$srv_ver -cipher ECDHE-RSA-AES128-GCM-SHA256 >"$tmp/server.log" 2>&1 &
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

mkfifo "$tmp/in"
ip netns exec "$ns_c" timeout 10 openssl s_client -quiet -no_ign_eof \
	-connect "$srv_ip:$port" -servername "$name" $cli_ver \
	-CAfile "$tmp/root.pem" -verify_return_error -verify_hostname "$name" \
	<"$tmp/in" >"$tmp/client.out" 2>"$tmp/client.err" &
cli_pid=$!
exec 3>"$tmp/in"
if [ "$mode" = ok ]; then
	# One short exchange: a line the server echoes reversed, then a clean close.
	# stdin is a fifo held open until the echo is back, so the close never races it.
	printf 'hello synack\n' >&3
	wait_for "$tmp/client.out" "kcanys olleh" 5 ||
		die "no reversed echo from s_server: $(cat "$tmp/client.err")"
	exec 3>&-
	wait "$cli_pid" || die "s_client failed: $(cat "$tmp/client.err")"
else
	# The handshake fails: s_client must exit non-zero after the server's alert.
	rc=0
	wait "$cli_pid" || rc=$?
	exec 3>&-
	[ "$rc" -ne 0 ] || die "s_client succeeded against a TLS 1.3-only server"
	grep -q "protocol version" "$tmp/client.err" ||
		die "s_client failed without a protocol_version alert: $(cat "$tmp/client.err")"
fi
cli_pid=

sleep 0.3                           # let the last FIN/ACK reach the capture
tl_stop_dump
if [ "$mode" = alert ]; then kill "$srv_pid" 2>/dev/null || true; fi
wait "$srv_pid" 2>/dev/null || true
srv_pid=

# The capture must hold one whole connection: a SYN first, FINs from both sides.
n_syn=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & tcp-syn != 0' 2>/dev/null | wc -l)
n_fin=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | wc -l)
if [ "$n_syn" -ne 2 ] || [ "$n_fin" -ne 2 ]; then
	die "expected 2 SYNs and 2 FINs, got $n_syn and $n_fin"
fi
if command -v tshark >/dev/null; then
	echo "make_template_tls: tshark: frame, handshake message types, alert (empty: encrypted)"
	tshark -r "$tmp/t.pcap" -T fields -e frame.number -e tls.handshake.type -e tls.alert_message.desc \
		-Y 'tls.handshake or tls.alert_message' 2>/dev/null | sed 's/^/    /'
fi

cp "$tmp/t.pcap" "$out"
echo "make_template_tls: wrote $out ($(wc -c <"$out") bytes)"
tcpdump -nn -r "$out" 2>/dev/null
