#!/bin/bash
# tests/probe/run.sh SYNACK: `synack probe` against real servers in network
# namespaces (client - router - server, tests/conn's topology and addresses):
# each scenario sets up the server and the router's nftables rules, runs the
# probe in the client namespace with --json, and checks the verdict of its
# captured connection and the client library's own words. Needs root, ip
# netns, nft, openssl and python3; otherwise SKIP (77).
set -u
if [ $# -ne 1 ]; then echo "usage: $0 SYNACK" >&2; exit 2; fi
case $1 in /*) SYNACK=$1 ;; *) SYNACK=$PWD/$1 ;; esac
[ -x "$SYNACK" ] || { echo "$0: $SYNACK: not an executable" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
CONN_NAME=probe
. "$HERE/../conn/connlib.sh"
need_root
need_nft
for t in openssl runuser; do
	command -v "$t" >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
done
sk_init
export TZ=UTC LC_ALL=C
T=$SK_TMP
FAILS=0 RUNS=0 AS=""

# A CA, a server certificate it signed (probe.test) and a self-signed one.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=probe-test-ca \
	-keyout "$T/ca.key" -out "$T/ca.pem" 2>/dev/null || die "openssl: CA"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=probe.test \
	-keyout "$T/srv.key" -out "$T/srv.csr" 2>/dev/null || die "openssl: CSR"
printf 'subjectAltName=DNS:probe.test,IP:203.0.113.20,IP:2001:db8:2::20\n' >"$T/ext"
openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 30 \
	-extfile "$T/ext" -out "$T/srv.pem" 2>/dev/null || die "openssl: sign"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=probe.test \
	-addext subjectAltName=DNS:probe.test -keyout "$T/self.key" -out "$T/self.pem" 2>/dev/null || die "openssl: self"

conn_topo v6
printf '%s probe.test\n' "$S4" >"$T/hosts"

SRV_PID=""
server() {                 # server ARGS... : openssl s_server on port 443 in "s", background
	stop_server
	bg s timeout 60 openssl s_server -quiet -naccept 4 -accept 443 "$@" >/dev/null 2>&1
	SRV_PID=$SK_LAST_PID
	wait_listen s 443
}
server_cmd() {             # server_cmd PORT CMD... : any listener in "s"
	stop_server
	local port=$1; shift
	bg s timeout 60 "$@" >/dev/null 2>&1
	SRV_PID=$SK_LAST_PID
	wait_listen s "$port"
}
stop_server() {
	if [ -n "$SRV_PID" ]; then kill -TERM "$SRV_PID" 2>/dev/null || true; wait "$SRV_PID" 2>/dev/null || true; fi
	SRV_PID=""
}
rules() { in_ns r nft flush ruleset; [ $# -eq 0 ] || printf '%s\n' "$@" | router_nft; }

# probe NAME WANT_RC PYTHON_CHECK ARGS... : run the probe, check exit status and the JSON
probe() {
	local name=$1 want=$2 check=$3 rc
	shift 3
	RUNS=$((RUNS + 1))
	rc=0
	in_ns c $AS timeout 40 "$SYNACK" probe --json "$@" >"$T/$name.json" 2>"$T/$name.err" || rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL $name: exit $rc, wanted $want ($(head -c 300 "$T/$name.err"))"
		FAILS=$((FAILS + 1))
		return
	fi
	if ! python3 - "$T/$name.json" "$check" <<'PY' >"$T/$name.py" 2>&1; then
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
conns = [o for o in objs if o["type"] == "connection"]
probe = [o for o in objs if o["type"] == "probe"]
assert len(probe) == 1, "one probe object"
p = probe[0]
a = p["attempts"]
codes = [c["verdict"]["code"] for c in conns]
def conn(port):
    m = [c for c in conns if c["client"]["port"] == port]
    assert len(m) == 1, "one connection from port %d in %s" % (port, codes)
    return m[0]
exec(sys.argv[2])
PY
		echo "FAIL $name: $(tail -n 3 "$T/$name.py")"
		FAILS=$((FAILS + 1))
		return
	fi
	echo "ok   $name"
}

S="203.0.113.20"
rules

# 1. healthy TLS 1.3, the server's certificate verified against our CA; a name from the
#    hosts file is not looked up by the probe's resolver, so use the address and --sni
server -cert "$T/srv.pem" -key "$T/srv.key" -tls1_3
probe tls13_ok 0 '
assert p["capture"] and a[0]["ok"] and a[0]["version"] == "TLSv1.3", a
assert a[0]["verify"]["code"] == 0
c = conn(a[0]["source_port"])
assert c["verdict"]["code"] == "tls.established", codes
assert c["tls"]["decrypted"]["finished_verified"]["server"] is True
assert c["tls"]["client_hello"]["sni"] == "probe.test"
assert p["interface"] == "c0" and p["source"] == "192.0.2.10"
' --sni probe.test --cafile "$T/ca.pem" "$S"

# 2. healthy TLS 1.2
server -cert "$T/srv.pem" -key "$T/srv.key" -tls1_2
probe tls12_ok 0 '
assert a[0]["ok"] and a[0]["version"] == "TLSv1.2", a
assert conn(a[0]["source_port"])["verdict"]["code"] == "tls.established", codes
' --tls1.2 --sni probe.test --cafile "$T/ca.pem" "$S:443"

# 3. a TLS 1.3-only server probed with --tls1.2: its protocol_version alert
server -cert "$T/srv.pem" -key "$T/srv.key" -tls1_3
probe version_alert 1 '
assert not a[0]["ok"] and a[0]["stage"] == "tls", a
assert "protocol version" in a[0]["error"], a[0]["error"]
c = conn(a[0]["source_port"])
assert c["verdict"]["code"] == "tls.alert", codes
assert c["tls"]["alerts"][0]["description"] == "protocol_version"
' --tls1.2 --sni probe.test --cafile "$T/ca.pem" "$S"

# 4. an untrusted (self-signed) certificate over TLS 1.3: named from the probe's own keys
server -cert "$T/self.pem" -key "$T/self.key" -tls1_3
probe untrusted 1 '
assert not a[0]["ok"] and "certificate verify failed" in a[0]["error"], a
assert a[0]["verify"]["code"] in (18, 19), a[0]["verify"]
c = conn(a[0]["source_port"])
assert c["verdict"]["code"] == "tls.certificate", codes
assert c["tls"]["decrypted"]["handshake"] is True
assert any("self-signed" in f["text"] for f in c["tls"]["certificate_findings"])
' --sni probe.test "$S"

# 5. ALPN: the server speaks only h2, the client offers only http/1.1
server -cert "$T/srv.pem" -key "$T/srv.key" -tls1_3 -alpn h2
probe alpn_mismatch 1 '
assert "no application protocol" in a[0]["error"], a[0]["error"]
c = conn(a[0]["source_port"])
assert c["verdict"]["code"] == "tls.alert", codes
assert c["tls"]["alerts"][0]["description"] == "no_application_protocol"
' --alpn http/1.1 --sni probe.test --cafile "$T/ca.pem" "$S"

# 6. a closed port: the server's kernel resets
stop_server
probe closed_port 1 '
assert not a[0]["connected"] and a[0]["error"] == "Connection refused", a
assert conn(a[0]["source_port"])["verdict"]["code"] == "tcp.refused", codes
' "$S:444"

# 7. SYNs dropped on the router: no answer within the timeout
server -cert "$T/srv.pem" -key "$T/srv.key"
rules 'table inet f { chain fw { type filter hook forward priority 0; tcp dport 443 drop; }; }'
probe syn_dropped 1 '
assert a[0]["timed_out"] and not a[0]["connected"], a
c = conn(a[0]["source_port"])
assert c["verdict"]["code"] == "tcp.no_answer", codes
assert c["tcp"]["syn_count"] >= 2
' --timeout 2.5 "$S"

# 8. an ICMP reject from the router
rules 'table inet f { chain fw { type filter hook forward priority 0; tcp dport 443 reject with icmp type admin-prohibited; }; }'
probe icmp_reject 1 '
assert not a[0]["connected"] and a[0]["error"] == "No route to host", a
c = conn(a[0]["source_port"])
assert c["verdict"]["code"] == "tcp.icmp_unreachable", codes
' "$S"
rules

# 9. the router drops packets over 1,400 bytes: the small hello works, the large one is black-holed
rules 'table inet f { chain fw { type filter hook forward priority 0; ip length > 1400 drop; }; }'
probe large_hello 1 '
small, large = a
assert small["ok"] and not small["large_hello"] and small["client_hello_bytes"] < 1400, small
assert large["large_hello"] and large["client_hello_bytes"] > 1500, large
assert not large["ok"] and large["timed_out"] and large["stage"] == "tls", large
assert conn(small["source_port"])["verdict"]["code"] == "tls.established", codes
assert conn(large["source_port"])["verdict"]["code"] == "tls.no_server_hello", codes
' --large-hello --timeout 3 --interval 0.1 --sni probe.test --cafile "$T/ca.pem" "$S"
rules

# 10. a server that accepts and never answers
server_cmd 443 python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 443)); s.listen(4)
c, _ = s.accept(); time.sleep(20)
'
probe silent_server 1 '
assert a[0]["connected"] and a[0]["timed_out"] and "no TLS answer within 2 s" in a[0]["error"], a
assert conn(a[0]["source_port"])["verdict"]["code"] == "tls.no_server_hello", codes
' --timeout 2 "$S"

# 11. IPv6, -6, with -w and --keylog kept (mode 0600) and the capture read again with the keys
server -cert "$T/srv.pem" -key "$T/srv.key" -tls1_3
probe ipv6 0 '
assert a[0]["ok"] and p["address"] == "2001:db8:2::20" and p["source"] == "2001:db8:1::10", p
assert conn(a[0]["source_port"])["verdict"]["code"] == "tls.established", codes
' -6 -w "$T/v6.pcap" --keylog "$T/v6.keys" --sni probe.test --cafile "$T/ca.pem" "[2001:db8:2::20]:443"
RUNS=$((RUNS + 1))
m1=$(stat -c %a "$T/v6.pcap" 2>/dev/null) m2=$(stat -c %a "$T/v6.keys" 2>/dev/null)
v=$("$SYNACK" --json -r "$T/v6.pcap" --keylog "$T/v6.keys" 2>/dev/null | python3 -c '
import json, sys
c = [json.loads(l) for l in sys.stdin if "\"connection\"" in l][0]
print(c["verdict"]["code"], c["tls"]["decrypted"]["handshake"])')
if [ "$m1" = 600 ] && [ "$m2" = 600 ] && [ "$v" = "tls.established True" ]; then
	echo "ok   ipv6_files"
else
	echo "FAIL ipv6_files: modes $m1 $m2, re-read: $v"; FAILS=$((FAILS + 1))
fi

# 12. --count: three attempts, one table
probe count3 0 '
assert len(a) == 3 and all(x["ok"] for x in a), a
assert len({x["source_port"] for x in a}) == 3
assert sorted(codes) == ["tls.established"] * 3, codes
' --count 3 --interval 0.2 --sni probe.test --cafile "$T/ca.pem" "$S"

# 13. without permission to capture: the client's view only, said once on stderr
server -cert "$T/srv.pem" -key "$T/srv.key" -tls1_3
chmod 755 "$T"; chmod 644 "$T/ca.pem"
AS="runuser -u nobody --"
probe no_capture 0 '
assert not p["capture"] and "CAP_NET_RAW" in p["capture_note"], p
assert a[0]["ok"] and conns == []
' --sni probe.test --cafile "$T/ca.pem" "$S"
AS=""
RUNS=$((RUNS + 1))
if [ "$(grep -c 'needs root or CAP_NET_RAW' "$T/no_capture.err")" = 1 ]; then
	echo "ok   no_capture_stderr"
else
	echo "FAIL no_capture_stderr: $(cat "$T/no_capture.err")"; FAILS=$((FAILS + 1))
fi
stop_server

# 15. other TLS stacks: a GnuTLS server (healthy, then an untrusted certificate) and a Go
#     server that requires a client certificate the probe does not have
if command -v gnutls-serv >/dev/null 2>&1; then
	GN="gnutls-serv -p 443 --priority NORMAL:-VERS-ALL:+VERS-TLS1.3"
	server_cmd 443 $GN --x509certfile "$T/srv.pem" --x509keyfile "$T/srv.key"
	probe gnutls_ok 0 '
assert a[0]["ok"] and a[0]["version"] == "TLSv1.3", a
c = conn(a[0]["source_port"])
assert c["verdict"]["code"] == "tls.established", codes
assert c["tls"]["decrypted"]["finished_verified"]["server"] is True
' --sni probe.test --cafile "$T/ca.pem" "$S"
	server_cmd 443 $GN --x509certfile "$T/self.pem" --x509keyfile "$T/self.key"
	probe gnutls_untrusted 1 '
assert "certificate verify failed" in a[0]["error"], a
c = conn(a[0]["source_port"])
assert c["verdict"]["code"] == "tls.certificate", codes
assert any("self-signed" in f["text"] for f in c["tls"]["certificate_findings"])
' --sni probe.test "$S"
else
	echo "skip gnutls_ok gnutls_untrusted: gnutls-serv not installed (gnutls-bin)"
fi
if command -v go >/dev/null 2>&1 && mkdir -p "$T/go" && cp "$HERE/../tls/clients/tlsserver.go" "$T/go/" &&
	(cd "$T/go" && GOCACHE="$T/go/cache" GOPATH="$T/go/path" GOFLAGS=-mod=mod GOPROXY=off \
		timeout 120 go build -o tlsserver tlsserver.go) >"$T/go/build.log" 2>&1; then
	chmod 644 "$T/srv.pem" "$T/srv.key"
	server_cmd 443 "$T/go/tlsserver" -addr "$S:443" -cert "$T/srv.pem" -key "$T/srv.key" -ca "$T/ca.pem" -tls 1.3
	probe go_client_cert 1 '
c = conn(a[0]["source_port"])
assert c["verdict"]["code"] == "tls.alert", codes
al = [x for x in c["tls"]["alerts"] if x["level"] == "fatal"]
# Go 1.21 and later send certificate_required(116), older ones bad_certificate(42)
assert al and al[0]["from"] == "server", al
assert al[0]["description"] in ("certificate_required", "bad_certificate"), al
assert a[0]["stage"] == "after" and not a[0]["ok"], a
assert al[0]["description"].replace("_", " ") in a[0]["error"], a[0]["error"]
assert al[0]["decrypted"] is True
assert c["tls"]["decrypted"]["certificate_request"] is True
' --sni probe.test --cafile "$T/ca.pem" "$S"
	stop_server
else
	echo "skip go_client_cert: go not installed or the server did not build ($(tail -n 1 "$T/go/build.log" 2>/dev/null))"
fi

# 14. usage and setup errors: one line on stderr (a usage mistake adds "Try 'synack probe
#     --help'"), exit 2, no file left behind
err_case() {               # err_case NAME ARGS...
	local name=$1 rc
	shift
	RUNS=$((RUNS + 1))
	rc=0
	in_ns c timeout 20 "$SYNACK" probe "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
	if [ "$rc" = 2 ] && head -n 1 "$T/$name.err" | grep -q '^synack: ' &&
		{ [ "$(wc -l <"$T/$name.err")" = 1 ] || { [ "$(wc -l <"$T/$name.err")" = 2 ] &&
			[ "$(sed -n 2p "$T/$name.err")" = "Try 'synack probe --help' for more." ]; }; }; then
		echo "ok   $name"
	else
		echo "FAIL $name: exit $rc, stderr: $(cat "$T/$name.err")"; FAILS=$((FAILS + 1))
	fi
}
err_case no_host
err_case two_hosts "$S" "$S"
err_case port_zero "$S:0"
err_case count_zero --count 0 "$S"
err_case bad_timeout --timeout -1 "$S"
err_case no_tls_alpn --no-tls --alpn h2 "$S"
err_case unknown_name probe.invalid
err_case bad_option --bogus "$S"
mkdir -p "$T/ro" && chmod 555 "$T/ro"
err_case unwritable -w "$T/missing/dir/x.pcap" "$S"
RUNS=$((RUNS + 1))
if [ -z "$(ls -A "$T/ro")" ] && [ ! -e "$T/missing" ]; then echo "ok   nothing_left"; else
	echo "FAIL nothing_left"; FAILS=$((FAILS + 1)); fi

echo "probe: $RUNS checks, $FAILS failed"
[ "$FAILS" = 0 ]
