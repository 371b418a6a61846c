#!/usr/bin/env python3
"""Hostile TCP packets made from real captures, for differential tests
against tcpdump (standard library only; classic pcap in and out).

  mutate.py [--seed N] [--count N] [--outdir DIR] [--prefix NAME] CAPTURE...

Every TCP packet of the inputs (classic pcap, micro- or nanoseconds, either
byte order; link types EN10MB, LINUX_SLL, LINUX_SLL2, NULL, RAW; others and
pcapng are skipped) becomes a template. COUNT packets are made from the
templates with a seeded random generator, so the same seed and inputs give
the same bytes. Each is a template rebuilt with a few of these mutations:

  TCP   data offset 0..15; flags (a counter walks all 256 values); options
        (kinds 0-8, 11-13, 19, 20, 27-30 (MPTCP subtypes 0..15, many
        lengths), 34, 254 with magic 0xf989 or another, unknown kinds; lengths
        0, 1, 2, too long, odd SACK lengths); equal ports with the addresses
        in both orders; seq/ack from a small pool of conversations with
        SYN/ACK combinations, for tcpdump's relative sequence table.
  IPv4  total length shorter/longer than the frame, IHL 0..15 (with option
        bytes or without), fragment offset / MF / DF.
  IPv6  payload length 0 (with and without a jumbo option), extension
        headers inserted: hop-by-hop (Pad1, PadN, router alert, jumbo, home
        address, unknown; good and bad lengths), destination options,
        routing types 0/2/4/other, fragment headers first or later.
  link  VLAN tag counts 0..5 (EN10MB); SLL2 keeps ifindex 1; NULL keeps the
        template's address family.
  cut   caplen at any offset of the headers.

One output file per link type found in the inputs: DIR/PREFIX.pcap for
EN10MB, DIR/PREFIX_sll.pcap, PREFIX_sll2.pcap, PREFIX_null.pcap,
PREFIX_raw.pcap for the others (microsecond timestamps, snaplen 262144).
COUNT is shared out between the link types by their number of templates,
with at least COUNT/20 each.
"""
import argparse
import random
import struct
import sys

MAGIC_US, MAGIC_NS = 0xA1B2C3D4, 0xA1B23C4D
LT_NULL, LT_EN10MB, LT_RAW, LT_SLL, LT_SLL2 = 0, 1, 101, 113, 276
SUFFIX = {LT_EN10MB: "", LT_SLL: "_sll", LT_SLL2: "_sll2", LT_NULL: "_null", LT_RAW: "_raw"}
VLAN_TPIDS = (0x8100, 0x88A8, 0x9100, 0x9200)


# ---------------------------------------------------------------- pcap files

def read_pcap(path):
    """(linktype, [(caplen-bytes, wirelen)]) or None if not a classic pcap."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return None
    for endian in "<>":
        magic = struct.unpack(endian + "I", data[:4])[0]
        if magic in (MAGIC_US, MAGIC_NS):
            break
    else:
        return None
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0xFFFF
    off, pkts = 24, []
    while off + 16 <= len(data):
        _, _, incl, orig = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        pkts.append((data[off:off + incl], orig))
        off += incl
    return linktype, pkts


def write_pcap(path, linktype, pkts):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", MAGIC_US, 2, 4, 0, 0, 262144, linktype))
        for sec, usec, data, wirelen in pkts:
            f.write(struct.pack("<IIII", sec, usec, len(data), wirelen))
            f.write(data)


# ---------------------------------------------------------------- templates

class Template:
    """The parts of one real TCP packet."""

    def __init__(self, linktype, link, vlans, version, ip, tcp, opts, payload):
        self.linktype = linktype
        self.link = link          # link header without tags and without the type
        self.vlans = vlans        # [(tpid, tci)]
        self.version = version
        self.ip = ip              # IPv4: 20 bytes + options; IPv6: the 40-byte header
        self.tcp = tcp            # the fixed 20 bytes
        self.opts = opts
        self.payload = payload


def split_link(linktype, frame):
    """(link bytes, vlans, ethertype-ish, offset of IP) or None."""
    if linktype == LT_EN10MB:
        if len(frame) < 14:
            return None
        off, vlans = 12, []
        etype = struct.unpack(">H", frame[off:off + 2])[0]
        while etype in VLAN_TPIDS:
            if len(frame) < off + 6:
                return None
            tci, etype2 = struct.unpack(">HH", frame[off + 2:off + 6])
            vlans.append((etype, tci))
            etype = etype2
            off += 4
        return frame[:12], vlans, off + 2
    if linktype == LT_SLL:
        return (frame[:14], [], 16) if len(frame) >= 16 else None
    if linktype == LT_SLL2:
        return (frame[2:20], [], 20) if len(frame) >= 20 else None
    if linktype == LT_NULL:
        return (frame[:4], [], 4) if len(frame) >= 4 else None
    if linktype == LT_RAW:
        return b"", [], 0
    return None


def template_of(linktype, frame, wirelen):
    if len(frame) != wirelen:
        return None                      # keep whole packets only
    s = split_link(linktype, frame)
    if s is None:
        return None
    link, vlans, off = s
    ip = frame[off:]
    if len(ip) < 20:
        return None
    version = ip[0] >> 4
    if version == 4:
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack(">H", ip[2:4])[0]
        if ip[9] != 6 or ihl < 20 or struct.unpack(">H", ip[6:8])[0] & 0x3FFF or tot > len(ip):
            return None
        iph, l4 = ip[:ihl], ip[ihl:tot]
    elif version == 6:
        if len(ip) < 60 or ip[6] != 6:
            return None
        plen = struct.unpack(">H", ip[4:6])[0]
        iph, l4 = ip[:40], ip[40:40 + plen]
    else:
        return None
    if len(l4) < 20 or (l4[12] >> 4) * 4 < 20 or (l4[12] >> 4) * 4 > len(l4):
        return None
    hl = (l4[12] >> 4) * 4
    return Template(linktype, link, vlans, version, iph, l4[:20], l4[20:hl], l4[hl:hl + 48])


# ---------------------------------------------------------------- builders

def be16(v):
    return struct.pack(">H", v & 0xFFFF)


def be32(v):
    return struct.pack(">I", v & 0xFFFFFFFF)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.flag_counter = 0
        self.mptcp_counter = 0
        self.flows4 = [(bytes([192, 0, 2, 1 + i % 3]), bytes([192, 0, 2, 1 + (i // 3) % 3]),
                        (5001, 40000 + i, 5001 + i % 2)[i % 3], (5001, 40000 + i, 443)[(i + 1) % 3])
                       for i in range(12)]
        self.flows6 = [(bytes.fromhex("20010db8000000000000000000000001") [:15] + bytes([1 + i % 3]),
                        bytes.fromhex("20010db8000000000000000000000001")[:15] + bytes([1 + (i // 3) % 3]),
                        (8080, 50000 + i, 8080)[i % 3], (8080, 50000 + i, 22)[(i + 1) % 3])
                       for i in range(12)]
        self.seqs = [self.r.getrandbits(32) for _ in range(8)]

    def rb(self, n):
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def pick(self, *xs):
        return self.r.choice(xs)

    # ---- TCP options

    def bad_len(self, good):
        return self.pick(0, 1, 2, 3, good - 1, good + 1, good + 2, self.r.randrange(256))

    def opt_bytes(self, kind, length, body=None):
        """kind, length, then length-2 bytes (body, random filled/cut)."""
        if kind in (0, 1):
            return bytes([kind])
        n = max(length - 2, 0)
        if body is None:
            body = self.rb(n)
        body = (body + self.rb(n))[:n]
        return bytes([kind, length & 0xFF]) + body

    def mptcp(self):
        sub = self.mptcp_counter % 16 if self.r.random() < 0.7 else self.r.randrange(16)
        self.mptcp_counter += 1
        lens = {0: (4, 12, 20, 22), 1: (12, 16, 24), 2: (4, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28),
                3: (8, 10, 16, 18, 20, 22, 28, 30), 4: (3, 4, 5, 6, 8), 5: (3, 4),
                6: (12,), 7: (12,), 8: (3, 4, 12)}.get(sub, (3, 4, 8))
        n = self.r.choice(lens) if self.r.random() < 0.75 else self.r.randrange(0, 40)
        b2 = sub << 4 | self.r.choice((0, 1, 4, 6, self.r.randrange(16)))
        b3 = self.r.randrange(256)
        if sub == 2 and self.r.random() < 0.7:
            b3 = self.r.randrange(32)
        body = bytes([b2, b3]) + self.rb(40)
        return self.opt_bytes(30, n, body)

    def one_option(self):
        r = self.r
        k = r.choice((0, 1, 1, 2, 3, 4, 5, 5, 5, 6, 7, 8, 8, 11, 12, 13, 19, 20, 27, 28, 29,
                      30, 30, 30, 30, 34, 34, 254, 254, 254, 9, 10, 14, 15, 16, 17, 18, 21, 26,
                      69, 76, 99, 200, 253, 255))
        good = {2: 4, 3: 3, 4: 2, 6: 6, 7: 6, 8: 10, 11: 6, 12: 6, 13: 6, 19: 18, 20: 4,
                27: 8, 28: 4}.get(k)
        bad = r.random() < 0.2
        if k in (0, 1):
            return bytes([k])
        if k == 5:
            n = r.choice((0, 1, 2, 3, 4)) * 8 + 2
            if bad:
                n = r.choice((0, 1, 2, 3, 5, 7, 9, 11, 13, 17, 33, 41, 255))
            body = b"".join(be32(self.seqs[r.randrange(8)] + r.randrange(-5, 5000))
                            for _ in range(12))
            return self.opt_bytes(5, n, body)
        if k == 30:
            return self.mptcp()
        if k == 29:
            return self.opt_bytes(29, r.choice((0, 1, 2, 3, 4, 5, 16, 18)))
        if k == 34:
            return self.opt_bytes(34, r.choice((0, 1, 2, 3, 4, 6, 7, 10, 12, 17, 18, 19, 20)))
        if k == 254:
            n = r.choice((0, 1, 2, 3, 4, 5, 6, 8, 12, 18, 19))
            magic = be16(0xF989) if r.random() < 0.7 else self.rb(2)
            return self.opt_bytes(254, n, magic)
        if good is not None:
            return self.opt_bytes(k, self.bad_len(good) if bad else good)
        return self.opt_bytes(k, r.choice((0, 1, 2, 3, 4, 6, 9, 40)))

    def options(self, t):
        r = self.r
        how = r.random()
        if how < 0.15:
            return t.opts
        if how < 0.3:                      # the template's, one byte changed
            o = bytearray(t.opts or b"\x01\x01\x01\x01")
            o[r.randrange(len(o))] = r.randrange(256)
            return bytes(o)
        if how < 0.45:                     # MPTCP alone, maybe after a few NOPs
            out = b"\x01" * r.choice((0, 0, 1, 2)) + self.mptcp()
        else:
            out = b"".join(self.one_option() for _ in range(r.choice((1, 1, 2, 2, 3, 4))))
        if r.random() < 0.5:
            out += b"\x01" * ((-len(out)) % 4)
        return out[:40]

    # ---- IP

    def ip4_options(self, n):
        r = self.r
        if r.random() < 0.5:
            return self.rb(n)
        o = bytearray()
        while len(o) < n:
            o += r.choice((b"\x01", b"\x00", b"\x07\x07\x04" + self.rb(4), b"\x94\x04\x00\x00",
                           b"\x44\x0c\x05\x00" + self.rb(8)))
        return bytes(o[:n])

    def hbh_options(self, plen_zero):
        """The option area of a hop-by-hop or destination options header."""
        r = self.r
        parts = []
        for _ in range(r.choice((1, 1, 2, 3))):
            c = r.random()
            if c < 0.15:
                parts.append(b"\x00")
            elif c < 0.3:
                n = r.choice((0, 1, 2, 4))
                parts.append(bytes([1, n]) + bytes(n))
            elif c < 0.45:
                parts.append(bytes([5, r.choice((2, 2, 2, 0, 1, 3, 4))]) + bytes(4))
            elif c < 0.7:
                length = r.choice((4, 4, 4, 2, 3, 5, 6))
                v = r.choice((65536, 70000, 100, 0, 1 << 31, 0xFFFFFFFF, 65535))
                parts.append(bytes([0xC2, length]) + (be32(v) + bytes(8))[:length])
            elif c < 0.8:
                length = r.choice((16, 16, 15, 18, 3))
                parts.append(bytes([0xC9, length]) + self.rb(length))
            else:
                length = r.choice((0, 1, 2, 6))
                parts.append(bytes([r.choice((0x3E, 0x1E, 0x63, 0x8B)), length]) + self.rb(length))
        return b"".join(parts)

    def ext_header(self, kind, nxt, plen_zero):
        r = self.r
        if kind in (0, 60):
            body = self.hbh_options(plen_zero) if r.random() < 0.9 else self.rb(r.randrange(14))
            total = len(body) + 2
            pad = (-total) % 8
            if pad == 1:
                body += b"\x00"
            elif pad:
                body += bytes([1, pad - 2]) + bytes(pad - 2)
            hl = (len(body) + 2) // 8 - 1
            if r.random() < 0.1:
                hl = r.randrange(4)
            return bytes([nxt, hl]) + body
        if kind == 43:
            typ = r.choice((0, 2, 4, 4, 3, 1, 253))
            naddr = r.choice((0, 1, 2, 1))
            hl = naddr * 2
            if r.random() < 0.15:
                hl = r.randrange(8)
            segleft = r.choice((0, naddr, r.randrange(256)))
            if typ == 4:
                rest = bytes([r.randrange(4), r.choice((0, 0, 0x40)), ]) + be16(r.randrange(65536))
            else:
                rest = bytes(4) if r.random() < 0.8 else self.rb(4)
            addrs = b"".join(bytes.fromhex("20010db8") + self.rb(12) for _ in range(naddr))
            return bytes([nxt, hl, typ, segleft]) + rest + addrs
        # fragment
        off = r.choice((0, 0, 0, 1, 185, 8191)) << 3
        m = r.choice((0, 1))
        return bytes([nxt, r.choice((0, 0, 0, 5))]) + be16(off | m) + self.rb(4)

    def ah(self, nxt):
        """An authentication header (RFC 4302): length in 4-byte words minus 2."""
        r = self.r
        words = r.choice((1, 2, 3, 4, 0, 7))
        reserved = b"\0\0" if r.random() < 0.8 else self.rb(2)
        return bytes([nxt, words]) + reserved + self.rb(8) + self.rb((words + 2) * 4 - 12 if words >= 1 else 0)

    def ip6_chain(self, plen_zero):
        """[(kind, bytes)] extension headers; the last one's next header is TCP."""
        r = self.r
        kinds = []
        for _ in range(r.choice((1, 1, 2, 2, 3))):
            kinds.append(r.choice((0, 0, 60, 60, 43, 43, 44, 44, 51)))
        if r.random() < 0.05:
            kinds.append(r.choice((50, 59, 135, 108, 253)))
        if plen_zero and r.random() < 0.6:
            kinds.insert(0, 0)
        out = []
        for i, k in enumerate(kinds):
            nxt = kinds[i + 1] if i + 1 < len(kinds) else 6
            if k == 51:
                out.append(self.ah(nxt))
            elif k in (0, 60, 43, 44):
                out.append(self.ext_header(k, nxt, plen_zero))
            else:                          # ESP, no next header, mobility, ...: opaque bytes
                out.append(bytes([6, 0]) + self.rb(14))
        return kinds, out

    # ---- one packet

    def packet(self, t, want_flags):
        """(frame bytes, wire length) of one mutated packet from template t."""
        r = self.r
        tcp = bytearray(t.tcp)
        opts = t.opts
        payload = t.payload[:r.choice((0, 0, 1, 5, 48))]
        ip = bytearray(t.ip)
        v6 = t.version == 6
        muts = set(r.sample(("doff", "opts", "opts", "opts", "iplen", "ihl", "frag", "ext",
                             "plen0", "cut", "cut", "ports", "flow", "flow", "vlan", "seq",
                             "ah", "linkmix", "pkttype", "rsvd"),
                            r.choice((1, 2, 2, 3, 3, 4))))
        if want_flags is not None:
            tcp[13] = want_flags
        elif r.random() < 0.3:
            tcp[13] = r.choice((0x02, 0x12, 0x10, 0x18, 0x11, 0x14, 0x04, 0x01, 0x52, 0xC2))
        if "opts" in muts:
            opts = self.options(t)
        doff = 5 + (len(opts) + 3) // 4
        opts = opts + bytes(doff * 4 - 20 - len(opts))
        if "doff" in muts:
            doff = r.randrange(16)
        tcp[12] = doff << 4 | (r.randrange(16) if "rsvd" in muts else tcp[12] & 0x0F)
        if "flow" in muts or "seq" in muts:
            src, dst, sp, dp = r.choice(self.flows6 if v6 else self.flows4)
            if r.random() < 0.5:
                src, dst, sp, dp = dst, src, dp, sp
            tcp[0:4] = be16(sp) + be16(dp)
            ip = self.set_addrs(ip, v6, src, dst)
            s1, s2 = r.sample(self.seqs, 2)
            tcp[4:12] = be32(s1 + r.choice((0, 0, 1, r.randrange(100000)))) + \
                be32(s2 + r.choice((0, 1, 1, r.randrange(100000))))
            if want_flags is None:
                tcp[13] = r.choice((0x02, 0x12, 0x10, 0x18, 0x11, 0x14, 0x04, 0x12, 0x10, 0x1A))
        if "ports" in muts:
            tcp[2:4] = tcp[0:2]
            if r.random() < 0.5:
                a, b = self.addrs(ip, v6)
                ip = self.set_addrs(ip, v6, b, a)
        seg = bytes(tcp) + opts + payload
        if v6:
            l3 = self.ip6(ip, seg, muts)
        else:
            l3 = self.ip4(ip, seg, muts)
        frame = self.link(t, l3, muts)
        wire = len(frame)
        if "cut" in muts:
            hdr_end = len(frame) - len(payload)
            frame = frame[:r.randrange(0, hdr_end + 3)]
        if r.random() < 0.003:             # a record header that lies
            wire = r.choice((0, max(len(frame) - 1, 0)))
        return frame, wire

    @staticmethod
    def addrs(ip, v6):
        return (bytes(ip[8:24]), bytes(ip[24:40])) if v6 else (bytes(ip[12:16]), bytes(ip[16:20]))

    @staticmethod
    def set_addrs(ip, v6, src, dst):
        ip = bytearray(ip)
        if v6:
            ip[8:24], ip[24:40] = src, dst
        else:
            ip[12:16], ip[16:20] = src, dst
        return ip

    def ip4(self, ip, seg, muts):
        r = self.r
        ip = bytearray(ip[:20])
        ihl, opts = 5, b""
        if "ihl" in muts:
            ihl = r.randrange(16)
            if r.random() < 0.7 and ihl > 5:
                opts = self.ip4_options((ihl - 5) * 4)
        ip[0] = 0x40 | ihl
        ip[9] = 6
        if "ah" in muts:
            seg = self.ah(6) + seg
            ip[9] = 51
        tot = 20 + len(opts) + len(seg)
        if "iplen" in muts:
            tot = r.choice((tot - r.randrange(1, 30), tot + r.randrange(1, 30), r.randrange(65536),
                            r.randrange(60), 20, 0, 19))
        ip[2:4] = be16(max(tot, 0))
        if "frag" in muts:
            off = r.choice((0, 0, 1, 2, 185, 8191, r.randrange(8192)))
            ip[6:8] = be16(r.choice((0, 0x2000, 0x4000, 0x6000, 0x8000)) | off)
        ip[10:12] = b"\0\0"
        return bytes(ip) + opts + seg

    def ip6(self, ip, seg, muts):
        r = self.r
        ip = bytearray(ip[:40])
        plen_zero = "plen0" in muts
        ext = b""
        if "ah" in muts:
            ip[6] = 51
            ext = self.ah(6)
        elif "ext" in muts or (plen_zero and r.random() < 0.5):
            kinds, hdrs = self.ip6_chain(plen_zero)
            ip[6] = kinds[0]
            ext = b"".join(hdrs)
        else:
            ip[6] = 6
        plen = len(ext) + len(seg)
        if "iplen" in muts:
            plen = r.choice((plen - r.randrange(1, 30), plen + r.randrange(1, 30), r.randrange(65536),
                             r.randrange(40), 0))
        if plen_zero:
            plen = 0
        ip[4:6] = be16(max(plen, 0))
        if r.random() < 0.02:
            ip[0] = (ip[0] & 0x0F) | r.choice((0x40, 0x50, 0x70))
        return bytes(ip) + ext + seg

    def link(self, t, l3, muts):
        r = self.r
        v6 = t.version == 6
        if "linkmix" in muts:              # the link says the other IP version
            v6 = not v6
        etype = be16(0x86DD if v6 else 0x0800)
        if t.linktype == LT_EN10MB:
            vlans = t.vlans
            if "vlan" in muts:
                vlans = [(r.choice(VLAN_TPIDS), r.randrange(65536)) for _ in range(r.randrange(6))]
            tags = b"".join(be16(tp) + be16(tci) for tp, tci in vlans)
            return t.link + tags + etype + l3
        if t.linktype in (LT_SLL, LT_SLL2):
            link = bytearray(t.link)
            if "pkttype" in muts:
                pos = 1 if t.linktype == LT_SLL else 8
                link[pos] = r.choice((0, 1, 2, 3, 4, 5, 7, 255))
            if "vlan" in muts:             # tcpdump follows 802.1Q tags in cooked headers too
                for _ in range(r.choice((1, 1, 2))):
                    etype = be16(0x8100) + be16(r.randrange(65536)) + etype
            if t.linktype == LT_SLL:
                return bytes(link) + etype + l3
            return etype[:2] + bytes(link) + etype[2:] + l3
        if t.linktype == LT_NULL:
            fam = 2 if not v6 else struct.unpack("<I", t.link)[0]
            if v6 and fam == 2:
                fam = r.choice((24, 28, 30))
            return struct.pack("<I", fam) + l3
        return l3


def timestamp(r, i):
    """Mostly increasing microseconds; now and then one tcpdump may not convert."""
    if r.random() < 0.01:
        return r.choice(((0, 0), (0x7FFFFFFF, 999999), (0x80000000, 0), (0xFFFFFFFF, 1),
                         (1700000000, 1000000), (1700000000, 0xFFFFFFFF)))
    return 1700000000 + i // 1000, (i % 1000) * 1000 + r.randrange(1000)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--outdir", default=".")
    ap.add_argument("--prefix", default="mutated")
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()

    by_link = {}
    for path in sorted(a.captures):
        got = read_pcap(path)
        if got is None:
            continue
        lt, pkts = got
        if lt not in SUFFIX:
            continue
        for frame, wire in pkts:
            t = template_of(lt, frame, wire)
            if t is not None:
                by_link.setdefault(lt, []).append(t)
    if not by_link:
        sys.exit("mutate.py: no TCP packets in the inputs")
    total = sum(len(v) for v in by_link.values())
    g = Gen(a.seed)
    floor = max(a.count // 20, 1)
    for lt in sorted(by_link):
        temps = by_link[lt]
        n = max(floor, a.count * len(temps) // total)
        out = []
        for i in range(n):
            t = g.r.choice(temps)
            flags = None
            if g.r.random() < 0.35:
                flags = g.flag_counter % 256
                g.flag_counter += 1
            frame, wire = g.packet(t, flags)
            out.append(timestamp(g.r, i) + (frame, wire))
        path = f"{a.outdir}/{a.prefix}{SUFFIX[lt]}.pcap"
        write_pcap(path, lt, out)
        print(f"{path}: {n} packets from {len(temps)} templates", file=sys.stderr)


if __name__ == "__main__":
    main()
