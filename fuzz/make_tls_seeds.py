#!/usr/bin/env python3
"""make_tls_seeds.py PCAP... : fuzz_tls and fuzz_reasm seeds from one-connection captures.

fuzz_tls (see fuzz_tls.c): both SYNs first, the ISNs, then every payload
segment in capture order, placed by its offset from that side's furthest
byte so far. fuzz_reasm (see fuzz_reasm.c): the client's stream, with the
consumer retaining what it reads (mode bit 1), every segment at its absolute
sequence number with its own bytes, everything available consumed after each,
the queries (and a discard) at the end. Written to fuzz/corpus/fuzz_tls/NAME
and fuzz/corpus/fuzz_reasm/NAME, NAME the capture's base name.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def segments(path):
    data = open(path, "rb").read()
    e = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off, client, isn, out = 24, None, {}, []
    while off + 16 <= len(data):
        caplen = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        p = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        if len(p) < 34 or p[12:14] != b"\x08\x00" or p[23] != 6:
            continue
        t = 14 + (p[14] & 15) * 4
        ip_len = struct.unpack(">H", p[16:18])[0]
        sport, seq, flags = struct.unpack(">H", p[t:t + 2])[0], struct.unpack(">I", p[t + 4:t + 8])[0], p[t + 13]
        key = (p[26:30], sport)
        if flags & 0x02:
            isn[key] = seq
            if not flags & 0x10:
                client = key
        payload = p[t + (p[t + 12] >> 4) * 4:14 + ip_len]
        if payload:
            out.append((0 if key == client else 1, seq, payload))
    keys = sorted(isn, key=lambda k: k != client)
    return isn[keys[0]], isn[keys[1]], out


def tls_seed(ci, si, segs):
    b = bytearray(b"\x03" + struct.pack(">II", ci, si))
    nxt = [0, 0]
    for d, seq, pl in segs:
        o = (seq - (ci if d == 0 else si) - 1) % 2**32
        delta, shift = o - nxt[d], 0
        while not -32768 <= delta >> shift <= 32767 or (delta >> shift) << shift != delta:
            shift += 1
        b += bytes([d | shift << 2]) + struct.pack(">h", delta >> shift) + struct.pack(">H", len(pl)) + pl
        nxt[d] = max(nxt[d], o + len(pl))
    return bytes(b)


def reasm_seed(ci, segs):
    b = bytearray(b"\x03" + struct.pack(">I", ci))
    for d, seq, pl in segs:
        if d == 0:
            for i in range(0, len(pl), 0x3fff):
                part = pl[i:i + 0x3fff]
                b += b"\x02" + struct.pack(">IH", (seq + i) % 2**32, len(part)) + part
            b += b"\x03\xff\xff"                      # consume what is there
    b += b"\x05\x00\x01\x00\x10" + b"\x05\x00\xff\x00\x10"   # queries; retain on; then discard
    return bytes(b)


def main():
    for path in sys.argv[1:]:
        name = os.path.basename(path).rsplit(".", 1)[0]
        ci, si, segs = segments(path)
        open(os.path.join(HERE, "corpus", "fuzz_tls", name), "wb").write(tls_seed(ci, si, segs))
        open(os.path.join(HERE, "corpus", "fuzz_reasm", name), "wb").write(reasm_seed(ci, segs))


if __name__ == "__main__":
    main()
