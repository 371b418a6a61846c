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
TL_NAME=make_template_http
. "$(dirname "$0")/template_lib.sh"

py=$(command -v python3) || die "python3: not found"

tl_topology

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
tl_stop_dump

n_syn=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & tcp-syn != 0' 2>/dev/null | wc -l)
n_fin=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | wc -l)
n_rst=$(tcpdump -nn -r "$tmp/t.pcap" 'tcp[tcpflags] & tcp-rst != 0' 2>/dev/null | wc -l)
if [ "$n_syn" -ne 2 ] || [ "$n_fin" -ne 2 ] || [ "$n_rst" -ne 0 ]; then
	die "expected 2 SYNs, 2 FINs, no RST; got $n_syn, $n_fin, $n_rst"
fi

cp "$tmp/t.pcap" "$out"
echo "make_template_http: wrote $out ($(wc -c <"$out") bytes; $(sed -n 's/^request: //p' "$tmp/server.log"))"
tcpdump -nn -r "$out" 2>/dev/null
