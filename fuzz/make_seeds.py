#!/usr/bin/env python3
"""make_seeds.py: seed corpora for the fuzz targets from the project's own captures.

A seed is: one byte choosing the link type (an index into fuzz_links[] in
fuzz_common.h), then records of a 2-byte big-endian length and the packet
bytes. Each capture gives one seed with its first packets in order (so the
printer's relative-sequence state is exercised), and a seed per packet kind.
"""
import os
import struct
import sys

LINKS = [1, 113, 276, 0, 108, 101, 228, 229, 9, 50, 104, 242, 7, 129, 178, 105, 127, 109, 117]   # order of fuzz_links[]


def read_pcap(path):
    data = open(path, "rb").read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return None, []
    link = struct.unpack(e + "I", data[20:24])[0] & 0x0FFFFFFF
    off, pkts = 24, []
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(e + "IIII", data[off:off + 16])
        pkts.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return link, pkts


def seed(link, pkts):
    out = bytes([LINKS.index(link)])
    for p in pkts:
        out += struct.pack(">H", len(p)) + p
    return out


def main():
    caps, outdir = sys.argv[1], sys.argv[2:]
    for name in sorted(os.listdir(caps)):
        if not name.endswith(".pcap"):
            continue
        link, pkts = read_pcap(os.path.join(caps, name))
        if link not in LINKS or not pkts:
            continue
        base = name[:-5]
        seeds = {f"{base}-flow": seed(link, pkts[:12])}
        for i, p in enumerate(pkts[:40:5]):
            seeds[f"{base}-{i}"] = seed(link, [p])
        for d in outdir:
            os.makedirs(d, exist_ok=True)
            for n, s in seeds.items():
                open(os.path.join(d, n), "wb").write(s)


if __name__ == "__main__":
    main()
