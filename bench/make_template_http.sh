#!/bin/sh
# Record bench/template_http.pcap: one real plain-HTTP/1.1 connection, no TLS.
# curl (192.0.2.1) fetches a small page from a python3 socket server
# (203.0.113.20:80), each in its own network namespace, joined by a veth pair,
# captured on the client's veth: handshake, request, response, both FINs.
# The analysis part of bench.sh replicates it for its TCP-only captures.
#
# Usage: bench/make_template_http.sh [OUT.pcap]   (root; needs ip, ethtool, tcpdump, curl, python3)
set -eu

out=${1:-$(dirname "$0")/template_http.pcap}
cli_ip=192.0.2.1 srv_ip=203.0.113.20 port=80
ns_c=synack_http_cli_$$
ns_s=synack_http_srv_$$
tmp=$(mktemp -d)
srv_pid=
dump_pid=

cleanup() {
	if [ -n "$dump_pid" ]; then kill -INT "$dump_pid" 2>/dev/null || true; fi
	if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; fi
	ip netns del "$ns_c" 2>/dev/null || true
	ip netns del "$ns_s" 2>/dev/null || true
	if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "make_template_http: $*" >&2; exit 1; }

# wait_for FILE PATTERN SECONDS: bounded wait for PATTERN to appear in FILE
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}

py=$(command -v python3) || die "python3: not found"

ip netns add "$ns_c"
ip netns add "$ns_s"
ip link add vc netns "$ns_c" type veth peer name vs netns "$ns_s"
for pair in "$ns_c vc $cli_ip 203.0.113.0/24" "$ns_s vs $srv_ip 192.0.2.0/24"; do
	# shellcheck disable=SC2086 # split on purpose: "NS IF ADDR ROUTE"
	set -- $pair
	ip -n "$1" link set lo up
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$1" link set "$2" up
	ip -n "$1" route add "$4" dev "$2"
	ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 ||
		die "ethtool -K $2 failed"
done

# Bounded wait for both ends of the veth to have carrier.
i=0
until ip -n "$ns_c" link show vc | grep -q LOWER_UP && ip -n "$ns_s" link show vs | grep -q LOWER_UP; do
	i=$((i + 1)); [ "$i" -gt 50 ] && die "veth has no carrier"; sleep 0.1
done

# The server: one connection, one HTTP/1.1 request, one response (headers and a
# 512-byte page in one write, Content-Length, keep-alive as HTTP/1.1 defaults),
# then it waits for the client to close (curl does when it exits) and closes too.
cat >"$tmp/server.py" <<'EOF'
import socket, sys
addr, port = sys.argv[1], int(sys.argv[2])
body = (b"<!doctype html>\n<html><head><title>synack bench</title></head>\n<body>\n"
        + b"<p>" + b"plain HTTP, no TLS. " * 22 + b"</p>\n</body></html>\n")
body = body[:511] + b"\n" if len(body) >= 512 else body + b" " * (511 - len(body)) + b"\n"
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(1)
s.settimeout(10)
print("listening", flush=True)
c, peer = s.accept()
c.settimeout(10)
req = b""
while b"\r\n\r\n" not in req:
    chunk = c.recv(4096)
    if not chunk:
        sys.exit("client closed before a whole request")
    req += chunk
line = req.split(b"\r\n", 1)[0]
print("request:", line.decode("ascii", "replace"), flush=True)
if not line.startswith(b"GET / HTTP/1.1"):
    sys.exit("unexpected request line")
c.sendall(b"HTTP/1.1 200 OK\r\nServer: synack-bench\r\nContent-Type: text/html\r\n"
          b"Content-Length: %d\r\n\r\n" % len(body) + body)
while c.recv(4096):                     # until the client's FIN
    pass
c.close()
print("closed", flush=True)
EOF
ip netns exec "$ns_s" timeout 20 "$py" "$tmp/server.py" "$srv_ip" "$port" >"$tmp/server.log" 2>&1 &
srv_pid=$!

ip netns exec "$ns_c" timeout 20 tcpdump -i vc --immediate-mode -U -n \
	-w "$tmp/t.pcap" "tcp port $port" >"$tmp/tcpdump.log" 2>&1 &
dump_pid=$!
wait_for "$tmp/tcpdump.log" "listening on" 5 || die "tcpdump did not start: $(cat "$tmp/tcpdump.log")"
wait_for "$tmp/server.log" "listening" 5 || die "server did not start: $(cat "$tmp/server.log")"

ip netns exec "$ns_c" timeout 10 curl -sS --http1.1 --max-time 5 -o "$tmp/page.html" \
	"http://$srv_ip:$port/" 2>"$tmp/client.err" || die "curl failed: $(cat "$tmp/client.err")"
[ "$(wc -c <"$tmp/page.html")" -eq 512 ] || die "the page did not arrive whole"

# The server closes after the client's FIN; bounded wait for it to exit.
i=0
while kill -0 "$srv_pid" 2>/dev/null; do
	i=$((i + 1)); [ "$i" -gt 50 ] && die "server did not close: $(cat "$tmp/server.log")"; sleep 0.1
done
wait "$srv_pid" || die "server failed: $(cat "$tmp/server.log")"
srv_pid=
grep -q closed "$tmp/server.log" || die "server did not close: $(cat "$tmp/server.log")"

sleep 0.3                           # let the last ACK reach the capture
kill -INT "$dump_pid"
i=0
while kill -0 "$dump_pid" 2>/dev/null; do
	i=$((i + 1)); [ "$i" -gt 50 ] && die "tcpdump did not stop"; sleep 0.1
done
wait "$dump_pid" 2>/dev/null || true
dump_pid=

n_syn=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & tcp-syn != 0' 2>/dev/null | wc -l)
n_fin=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | wc -l)
n_rst=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & tcp-rst != 0' 2>/dev/null | wc -l)
if [ "$n_syn" -ne 2 ] || [ "$n_fin" -ne 2 ] || [ "$n_rst" -ne 0 ]; then
	die "expected 2 SYNs, 2 FINs, no RST; got $n_syn, $n_fin, $n_rst"
fi

cp "$tmp/t.pcap" "$out"
echo "make_template_http: wrote $out ($(wc -c <"$out") bytes; $(sed -n 's/^request: //p' "$tmp/server.log"))"
tcpdump -nn -r "$out" 2>/dev/null
