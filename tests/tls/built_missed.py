#!/usr/bin/env python3
"""built_missed.py: captures in which the capture point missed one segment (EDITED from real ones).

built_missed_server_hello.pcap is tls13_ok.client.pcap (a real TLS 1.3
handshake, curl -> openssl s_server) without its frame 6, the server's first
data segment (ServerHello and the start of its encrypted flight): what a
capture point that dropped that one packet holds. The server's bytes after it
wait behind a hole at offset 0; the client acknowledged all of them. Not a
failure of the server: the capture does not say how the handshake went.

    tests/tls/built_missed.py    (writes the capture beside this script)
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def drop(src, dst, frames):
    b = open(src, "rb").read()
    e = "<" if struct.unpack("<I", b[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    out, off, n = [b[:24]], 24, 0
    while off + 16 <= len(b):
        cap = struct.unpack(e + "I", b[off + 8:off + 12])[0]
        n += 1
        if n not in frames:
            out.append(b[off:off + 16 + cap])
        off += 16 + cap
    open(dst, "wb").write(b"".join(out))


drop(os.path.join(HERE, "tls13_ok.client.pcap"), os.path.join(HERE, "built_missed_server_hello.pcap"), {6})
