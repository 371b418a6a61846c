#!/usr/bin/env python3
"""tlsclient.py - a minimal python3 ssl client for the tests/tls captures
(standard library only; python's ssl module is OpenSSL).

  tlsclient.py ADDR PORT SNI CAFILE 1.3|1.2 [KEYLOG]

Verifies the server's certificate against CAFILE and the name SNI
(ssl.create_default_context), with exactly one protocol version enabled;
KEYLOG is written through SSLContext.keylog_filename. On success it sends
"GET /hello.txt HTTP/1.0", prints the reply and exits 0; on failure it prints
"tlsclient.py: <error>" on stderr and exits 1. Every blocking call has a
timeout (5 s).
"""
import socket
import ssl
import sys


def main():
    if len(sys.argv) not in (6, 7):
        print(__doc__, file=sys.stderr)
        return 2
    addr, port, sni, cafile, ver = sys.argv[1:6]
    ctx = ssl.create_default_context(cafile=cafile)
    v = {"1.3": ssl.TLSVersion.TLSv1_3, "1.2": ssl.TLSVersion.TLSv1_2}[ver]
    ctx.minimum_version = ctx.maximum_version = v
    if len(sys.argv) == 7:
        ctx.keylog_filename = sys.argv[6]
    try:
        with socket.create_connection((addr, int(port)), timeout=5) as raw:
            with ctx.wrap_socket(raw, server_hostname=sni) as s:
                print(f"tlsclient.py: handshake done: {s.version()} {s.cipher()[0]} ({ssl.OPENSSL_VERSION})")
                s.sendall(f"GET /hello.txt HTTP/1.0\r\nHost: {sni}\r\n\r\n".encode())
                while True:
                    b = s.recv(4096)
                    if not b:
                        break
                    sys.stdout.write(b.decode(errors="replace"))
    except (OSError, ssl.SSLError) as e:
        print(f"tlsclient.py: {e} ({ssl.OPENSSL_VERSION})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
