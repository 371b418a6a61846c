#!/usr/bin/env python3
"""fuzz/make_frag_seeds.py: seeds for fuzz_frag (fuzz/corpus/fuzz_frag/): IPv4 and IPv6 fragments.

    python3 fuzz/make_frag_seeds.py

Each seed is byte 0 = 5 (raw IP, fuzz_common.h), then records of a 2-byte
length and a packet: datagrams cut in order, out of order, with duplicates,
overlaps (same and other bytes), a missing piece, an atomic IPv6 fragment.
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_frag")
SRC4, DST4 = bytes([192, 0, 2, 1]), bytes([198, 51, 100, 1])
SRC6 = bytes.fromhex("20010db8000000000000000000000001")
DST6 = bytes.fromhex("20010db8000000000000000000000002")


def payload(n):
    tcp = struct.pack("!HHIIBBHHH", 40000, 443, 1, 0, 0x50, 0x18, 65535, 0, 0)
    return (tcp + bytes((i * 7 + 3) & 0xff for i in range(n)))[:n]


def v4(ident, off, data, more):
    fo = (off // 8) | (0x2000 if more else 0)
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), ident, fo, 64, 6, 0, SRC4, DST4) + data


def v6(ident, off, data, more, hbh=False):
    frag = struct.pack("!BBHI", 6, 0, off | (1 if more else 0), ident)
    ext, nh = b"", 44
    if hbh:
        ext, nh = bytes([44, 0, 1, 4, 0, 0, 0, 0]), 0
    body = ext + frag + data
    return struct.pack("!IHBB16s16s", 0x60000000, len(body), nh, 64, SRC6, DST6) + body


def seed(name, packets):
    blob = bytes([5]) + b"".join(struct.pack("!H", len(p)) + p for p in packets)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(blob)


def main():
    os.makedirs(OUT, exist_ok=True)
    d = payload(3000)
    seed("v4-in-order", [v4(1, 0, d[:1480], 1), v4(1, 1480, d[1480:2960], 1), v4(1, 2960, d[2960:], 0)])
    seed("v4-out-of-order", [v4(2, 2960, d[2960:], 0), v4(2, 0, d[:1480], 1), v4(2, 1480, d[1480:2960], 1)])
    seed("v4-duplicate", [v4(3, 0, d[:800], 1), v4(3, 0, d[:800], 1), v4(3, 800, d[800:1000], 0)])
    seed("v4-overlap-differ", [v4(4, 0, d[:800], 1), v4(4, 200, b"\xee" * 400, 1), v4(4, 800, d[800:808], 0)])
    seed("v4-overlap-partial", [v4(5, 0, d[:800], 1), v4(5, 400, d[400:1200], 1), v4(5, 1200, d[1200:1208], 0)])
    seed("v4-missing", [v4(6, 0, d[:800], 1), v4(6, 1600, d[1600:1608], 0)])
    seed("v4-many", [v4(100 + i, 0, d[:8], 1) for i in range(12)] + [v4(111, 8, d[8:24], 0)])
    seed("v6-in-order", [v6(0x12345678, 0, d[:1232], 1), v6(0x12345678, 1232, d[1232:1732], 0)])
    seed("v6-hop-by-hop", [v6(7, 1232, d[1232:1296], 0, True), v6(7, 0, d[:1232], 1, True)])
    seed("v6-atomic", [v6(8, 0, d[:100], 0)])
    seed("v6-overlap", [v6(9, 0, d[:1232], 1), v6(9, 1224, d[1224:1288], 0)])


if __name__ == "__main__":
    main()
