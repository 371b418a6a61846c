#!/bin/sh
# Record bench/template_bulk.pcap: one real TLS 1.3 download of 256 KiB, curl
# (192.0.2.1) fetching a file from `openssl s_server -WWW` (203.0.113.20:443),
# each in its own network namespace, joined by a veth pair, captured on the
# client's veth (as make_template.sh does). The capture is then EDITED: the
# server's first data segment, the one carrying the ServerHello, is removed
# with editcap, as if the capture point had missed that one segment. Everything
# the server sends after it waits behind that hole in a reassembler (synack
# keeps up to REASM_CAP, 64 KiB, per direction): the buffers part of bench.sh
# replicates this connection to hold many full reassembly buffers at once.
#
# Usage: bench/make_template_bulk.sh [OUT.pcap]
#        (root; needs ip, ethtool, tcpdump, openssl, curl, ss, tshark, editcap)
#   KEEP_WHOLE=FILE  also keep the capture as recorded (before the edit) in FILE
set -eu

out=${1:-$(dirname "$0")/template_bulk.pcap}
cli_ip=192.0.2.1 srv_ip=203.0.113.20 port=443 name=bench.example.net
size=262144
TL_NAME=make_template_bulk
. "$(dirname "$0")/template_lib.sh"

# A throw-away self-signed P-256 certificate (the server's first flight stays
# one segment) and the file to serve: random bytes, so nothing compresses it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
	-subj "/CN=$name" >/dev/null 2>&1 || die "openssl req failed"
mkdir "$tmp/www"
head -c "$size" /dev/urandom >"$tmp/www/bulk.bin"

tl_topology

# -WWW serves ./path relative to its working directory, then closes.
(cd "$tmp/www" && exec ip netns exec "$ns_s" timeout 20 openssl s_server -quiet -WWW \
	-http_server_binmode -naccept 1 -accept "$srv_ip:$port" \
	-cert "$tmp/cert.pem" -key "$tmp/key.pem" -tls1_3 -num_tickets 0) >"$tmp/server.log" 2>&1 &
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

ip netns exec "$ns_c" timeout 10 curl -sS -k --tlsv1.3 --http1.1 --max-time 8 \
	--resolve "$name:$port:$srv_ip" -o "$tmp/got.bin" "https://$name/bulk.bin" \
	2>"$tmp/client.err" || die "curl failed: $(cat "$tmp/client.err")"
cmp -s "$tmp/got.bin" "$tmp/www/bulk.bin" || die "curl got $(wc -c <"$tmp/got.bin") bytes, not the file"

sleep 0.3                           # let the last FIN/ACK reach the capture
tl_stop_dump
wait "$srv_pid" 2>/dev/null || true
srv_pid=

# The capture must hold one whole connection: a SYN first, FINs from both sides.
n_syn=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & tcp-syn != 0' 2>/dev/null | wc -l)
n_fin=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | wc -l)
[ "$n_syn" -eq 2 ] && [ "$n_fin" -eq 2 ] || die "expected 2 SYNs and 2 FINs, got $n_syn and $n_fin"

# The edit: the server's first segment with payload must carry the ServerHello.
first=$(tshark -r "$tmp/t.pcap" -Y "tcp.srcport == $port && tcp.len > 0" -T fields \
	-e frame.number 2>/dev/null | head -1)
sh_frame=$(tshark -r "$tmp/t.pcap" -Y "tls.handshake.type == 2" -T fields \
	-e frame.number 2>/dev/null | head -1)
[ -n "$first" ] && [ "$first" = "$sh_frame" ] ||
	die "the server's first data segment (frame $first) is not the ServerHello's ($sh_frame)"
[ -z "${KEEP_WHOLE:-}" ] || cp "$tmp/t.pcap" "$KEEP_WHOLE"
editcap "$tmp/t.pcap" "$tmp/edited.pcap" "$first" || die "editcap failed"

cp "$tmp/edited.pcap" "$out"
echo "make_template_bulk: recorded $(tcpdump -nn -r "$tmp/t.pcap" 2>/dev/null | wc -l) packets;" \
	"removed frame $first (the server's first data segment, with the ServerHello):"
tcpdump -nn -r "$tmp/t.pcap" 2>/dev/null | sed -n "${first}p" | sed 's/^/    /'
echo "make_template_bulk: wrote $out ($(wc -c <"$out") bytes, $(tcpdump -nn -r "$out" 2>/dev/null | wc -l) packets)"
tcpdump -nn -r "$out" 2>/dev/null | head -8
