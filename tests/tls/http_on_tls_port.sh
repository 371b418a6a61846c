#!/bin/bash
# http_on_tls_port: a plaintext HTTP server on the TLS port. python3 -m
# http.server 443 --bind 203.0.113.20; curl https://www.example.test/ sends a
# TLS ClientHello. http.server reads it as a request line (up to the first
# 0x0a byte: always one in OpenSSL's hello, e.g. cipher 0xc00a) and sends a
# plaintext "400" HTML error page: the status line and headers are missing
# because the garbage request is taken as HTTP/0.9, so the answer starts
# "<!DOCTYPE HTML>". curl fails ("wrong version number", exit 35) and
# closes with the rest of the page unread: RST. Whether the server's FIN
# goes out before that RST is a race (both orders seen).
# Expect tls.not_tls (server sent non-TLS bytes "<!DOCTYPE HTML>") at both points.
. "$(dirname "$0")/tlslib.sh"
tls_init curl
mkdir "$SK_TMP/www"; cd "$SK_TMP/www"
srv python3 -m http.server 443 --bind $S4
wait_listen s 443
caps_start
cli 10 curl -sS --cacert "$CERTS/ca.pem" \
    --resolve www.example.test:443:$S4 https://www.example.test/
caps_stop
[ "$CLI_RC" = 35 ] || { cli_log; die "curl: exit $CLI_RC, want 35"; }
client_says 'wrong version number'
for f in "$OUT_C" "$OUT_S"; do
    twant "$f" 'tls.handshake.type==1' 1
    twant "$f" 'ip.src==203.0.113.20 && tcp.len>0' 1
    p=$(tfields "$f" 'ip.src==203.0.113.20 && tcp.len>0' tcp.payload)
    [ "${p:0:30}" = 3c21444f43545950452048544d4c3e ] || die "$(basename "$f"): server payload starts ${p:0:30}, want <!DOCTYPE HTML>"
    python3 -c 'import sys; sys.exit(b"Error code: 400" not in bytes.fromhex(sys.argv[1]))' "$p" || \
        die "no 400 in the server's answer"
    twant "$f" 'tls.record' 1                            # the ClientHello only
    twant "$f" 'ip.src==192.0.2.10 && tcp.flags.reset==1' 1
    twant "$f" 'ip.src==203.0.113.20 && tcp.flags.reset==1' 0
done
tls_finish
