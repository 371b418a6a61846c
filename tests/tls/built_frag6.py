#!/usr/bin/env python3
"""built_frag6.py [NAME...]: IPv6 fragment fixtures BUILT from a real capture (not captured).

The source is the real TLS 1.3 connection over IPv6 in
../captures/encap/plain.pcap (2001:db8:1::1 -> [2001:db8:1::2]:4433, its
README: connection 4). Its frames are copied unchanged, except the client's
ClientHello segment (245 bytes of TLS, 277 with its TCP header), which is
cut into three IPv6 fragments (RFC 8200 section 4.5: a Fragment header,
next header 6, identification 0x5ca1ab1e; 96 + 96 + 85 bytes of the TCP
segment; the IPv6 header's payload length for each), all with the
ClientHello's time plus 1, 2, 3 microseconds:

  built_frag6_clienthello   the three fragments in order: the datagram is
                            whole at the third; the handshake is healthy
  built_frag6_differ        the second fragment, then a copy of it whose
                            bytes are all 0x41, before the third: a
                            fragment wholly inside bytes already held, with
                            other bytes (Linux keeps the first, RFC 5722
                            would drop the datagram): whole, but not ok

Standard library only; writes NAME.pcap next to this file.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "captures", "encap", "plain.pcap")
CLIENT = bytes.fromhex("20010db8000100000000000000000001")
SERVER = bytes.fromhex("20010db8000100000000000000000002")
FRAG_ID = 0x5CA1AB1E
CUTS = (96, 96)            # fragment payload sizes but the last's: multiples of 8


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"\xd4\xc3\xb2\xa1", "a little-endian microsecond pcap"
    hdr, off, frames = data[:24], 24, []
    while off < len(data):
        sec, usec, incl, orig = struct.unpack_from("<IIII", data, off)
        frames.append([sec, usec, data[off + 16:off + 16 + incl]])
        off += 16 + incl
    return hdr, frames


def conn4(frame):
    """Whether an Ethernet frame is IPv6 TCP between the client and [server]:4433."""
    f = frame[2]
    if len(f) < 14 + 40 + 20 or f[12:14] != b"\x86\xdd" or f[14 + 6] != 6:
        return False
    src, dst = f[22:38], f[38:54]
    sport, dport = struct.unpack_from(">HH", f, 54)
    return {src, dst} == {CLIENT, SERVER} and 4433 in (sport, dport)


def is_client_hello(frame):
    f = frame[2]
    doff = (f[54 + 12] >> 4) * 4
    return f[22:38] == CLIENT and f[54 + doff:54 + doff + 1] == b"\x16" and f[54 + doff + 5] == 1


def fragments(frame):
    """The ClientHello's frame as three fragments: (offset, payload) each, and a builder."""
    f = frame[2]
    eth, ip6, seg = f[:14], bytearray(f[14:54]), f[54:]
    pieces, at = [], 0
    for n in CUTS:
        pieces.append((at, seg[at:at + n]))
        at += n
    pieces.append((at, seg[at:]))

    def build(off, payload, last):
        h = bytearray(ip6)
        struct.pack_into(">H", h, 4, 8 + len(payload))
        h[6] = 44                                   # next header: Fragment
        fh = struct.pack(">BBHI", 6, 0, off | (0 if last else 1), FRAG_ID)
        return eth + bytes(h) + fh + payload
    return pieces, build


def make(name):
    hdr, frames = read_pcap(SRC)
    frames = [fr for fr in frames if conn4(fr)]
    ch = next(i for i, fr in enumerate(frames) if is_client_hello(fr))
    sec, usec = frames[ch][0], frames[ch][1]
    pieces, build = fragments(frames[ch])
    out = [build(off, p, i == len(pieces) - 1) for i, (off, p) in enumerate(pieces)]
    if name == "built_frag6_differ":
        off, p = pieces[1]
        out.insert(2, build(off, b"\x41" * len(p), False))
    elif name != "built_frag6_clienthello":
        sys.exit(f"built_frag6.py: {name}: no such fixture")
    new = frames[:ch] + [[sec, usec + 1 + i, fr] for i, fr in enumerate(out)] + frames[ch + 1:]
    assert all(u < 1000000 for _, u, _ in new)
    with open(os.path.join(HERE, name + ".pcap"), "wb") as f:
        f.write(hdr)
        for s, u, fr in new:
            f.write(struct.pack("<IIII", s, u, len(fr), len(fr)) + fr)


def main():
    for name in sys.argv[1:] or ["built_frag6_clienthello", "built_frag6_differ"]:
        make(name)


if __name__ == "__main__":
    main()
