#!/usr/bin/env python3
"""Re-encapsulate the IP packets of Ethernet captures into another link type
(standard library only; classic pcap in, classic pcap out, micro- or
nanosecond input, either byte order).

  relink.py null|raw OUT IN.pcap [IN2.pcap ...]

Non-IP frames are dropped; 802.1Q/802.1ad tags are skipped. With several
inputs, packets are merged in timestamp order.
  null: LINKTYPE_NULL (0): 4-byte host-byte-order (here little-endian, like
        the file header) address family, then the IP packet. IPv4 gets
        AF_INET = 2; IPv6 packets cycle through the three BSD AF_INET6 values
        tcpdump accepts: 24 (NetBSD/OpenBSD/BSD/OS), 28 (FreeBSD),
        30 (Darwin), so one file exercises all of them.
  raw:  LINKTYPE_RAW (101): the IP packet alone.
The output keeps the input's timestamp precision (the first input decides;
all inputs must agree) and its snapshot length.
"""
import struct
import sys

MAGIC_US, MAGIC_NS = 0xA1B2C3D4, 0xA1B23C4D
LINKTYPE_ETHERNET, LINKTYPE_NULL, LINKTYPE_RAW = 1, 0, 101
AF_INET6_BSD = (24, 28, 30)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise SystemExit(f"{path}: too short for a pcap header")
    for endian in "<>":
        magic = struct.unpack(endian + "I", data[:4])[0]
        if magic in (MAGIC_US, MAGIC_NS):
            break
    else:
        raise SystemExit(f"{path}: not a classic pcap file")
    _, _, _, _, _, snaplen, linktype = struct.unpack(endian + "IHHiIII", data[:24])
    if linktype & 0xFFFF != LINKTYPE_ETHERNET:
        raise SystemExit(f"{path}: link type {linktype}, want Ethernet (1)")
    off, pkts = 24, []
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        pkts.append((sec, frac, orig, data[off:off + incl]))
        off += incl
    return magic, snaplen, pkts


def ip_of(frame):
    """Return (ethertype, ip bytes, bytes removed) or None."""
    off = 12
    while off + 2 <= len(frame):
        et = struct.unpack(">H", frame[off:off + 2])[0]
        if et in (0x8100, 0x88A8, 0x9100):
            off += 4
            continue
        if et in (0x0800, 0x86DD):
            return et, frame[off + 2:], off + 2
        return None
    return None


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("null", "raw"):
        raise SystemExit(__doc__)
    kind, out, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    magic, snaplen, allp = None, 0, []
    for path in inputs:
        m, s, pkts = read_pcap(path)
        if magic is None:
            magic = m
        elif m != magic:
            raise SystemExit(f"{path}: timestamp precision differs from {inputs[0]}")
        snaplen = max(snaplen, s)
        allp.extend(pkts)
    allp.sort(key=lambda p: (p[0], p[1]))
    linktype = LINKTYPE_NULL if kind == "null" else LINKTYPE_RAW
    n6 = 0
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
        for sec, frac, orig, frame in allp:
            r = ip_of(frame)
            if r is None:
                continue
            et, ip, removed = r
            if kind == "null":
                if et == 0x0800:
                    af = 2
                else:
                    af = AF_INET6_BSD[n6 % 3]
                    n6 += 1
                hdr = struct.pack("<I", af)
            else:
                hdr = b""
            body = hdr + ip
            f.write(struct.pack("<IIII", sec, frac, len(body), orig - removed + len(hdr)))
            f.write(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
