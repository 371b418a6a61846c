#!/usr/bin/env python3
"""kinds.py: built captures of the ICMP, ICMPv6, UDP and ARP kinds that
tcpdump 4.99 words each in its own way, for the conformance test of
`synack print` (standard library only; deterministic: the same bytes on
every run).

NOT CAPTURED: every packet is written by this script (no sender here makes
most of these kinds on demand: ICMP redirects, router advertisements,
timestamp and mask replies, RPL, ARP inverse requests, cut-off headers).

  icmp_kinds.pcap      EN10MB. ICMP: echo, unreachable codes 0-16 (the
                       quoted packet TCP, UDP, GRE, with IP options, cut),
                       need-to-frag with and without an MTU, redirect codes
                       0-4, router advertisement (lifetimes, address sizes,
                       entries cut), router solicitation, time exceeded
                       0-2, parameter problem, timestamp request/reply,
                       information request/reply, mask request/reply,
                       source quench, unknown types; each cut inside its
                       fields. ICMPv6: destination unreachable codes 0-6
                       (port unreachable quoting TCP, UDP, ICMPv6, behind
                       extension headers), packet too big, time exceeded
                       0-2, parameter problem 0-4, echo, MLD v1 and v2
                       queries and reports, router/neighbor solicitation and
                       advertisement, redirect, inverse ND, home agent and
                       mobile prefix messages, RPL, unknown types, length 0;
                       cut inside their fields.
  udp_kinds.pcap       EN10MB. UDP to ports tcpdump does not decode and to
                       ports it does (DNS, NTP, DHCP, QUIC's 443 that 4.99
                       does not decode, NFS, AppleTalk); bad and short
                       lengths; cut headers; IPv4 first fragments, IPv6
                       fragments and extension headers, AH.
  arp_kinds.pcap       EN10MB. ARP request (target hardware address zero or
                       not), reply, RARP, inverse ARP, unknown operations,
                       non-IPv4 protocol and odd lengths, Frame Relay (Q.922
                       addresses) and ATM ARP (RFC 2225); frames padded to
                       60 bytes and not; 802.1Q-tagged; cut.
  arp_kinds_sll.pcap   LINUX_SLL: ARP as `tcpdump -i any` sees it.

    python3 tests/captures/kinds.py        # rewrites the four captures here
    tests/captures/bless_tcpdump.sh        # then their tcpdump goldens
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1767225600          # 2026-01-01 00:00:00 UTC

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
V4_A, V4_B, V4_R, V4_S = "192.0.2.10", "203.0.113.20", "192.0.2.1", "198.51.100.7"
V6_A, V6_B, V6_R = "2001:db8:1::10", "2001:db8:2::20", "2001:db8:1::1"


# ------------------------------------------------------------------ helpers

def ip4a(s):
    return bytes(int(x) for x in s.split("."))


def ip6a(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ttl=64, ident=0x1234, off=0, tot=None, opts=b"", ihl=None):
    hl = 5 + len(opts) // 4 if ihl is None else ihl
    tot = 20 + len(opts) + len(payload) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl, 0, tot, ident, off, ttl, proto, 0,
                    ip4a(src), ip4a(dst)) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, hlim=64, plen=None):
    plen = len(payload) if plen is None else plen
    return struct.pack("!IHBB16s16s", 0x60000000, plen, nh, hlim, ip6a(src), ip6a(dst)) + payload


def tcp(sport, dport, seq=1000, ack=0, flags=0x02, win=64240):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, win, 0, 0)


def udp(sport, dport, payload, ulen=None):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload) if ulen is None else ulen, 0) + payload


def icmp4(typ, code, rest, body=b""):
    m = struct.pack("!BBH", typ, code, 0) + rest + body
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def icmp6(src, dst, typ, code, rest, body=b""):
    m = struct.pack("!BBH", typ, code, 0) + rest + body
    pseudo = ip6a(src) + ip6a(dst) + struct.pack("!IxxxB", len(m), 58)
    return m[:2] + struct.pack("!H", csum(pseudo + m)) + m[4:]


def eth(payload, etype=0x0800, src=MAC_A, dst=MAC_B, vlans=()):
    tags = b"".join(struct.pack("!HH", 0x8100, v) for v in vlans)
    return dst + src + tags + struct.pack("!H", etype) + payload


def e4(src, dst, proto, payload, **kw):
    return eth(ipv4(src, dst, proto, payload, **kw))


def e6(src, dst, nh, payload, **kw):
    return eth(ipv6(src, dst, nh, payload, **kw), 0x86DD)


def cuts(frame, hdr, points):
    """The frame captured only up to hdr + n bytes, for each n: (bytes, wire length)."""
    return [(frame[:hdr + n], len(frame)) for n in points]


def write_pcap(name, frames, linktype=1):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for i, fr in enumerate(frames):
            data, wire = fr if isinstance(fr, tuple) else (fr, len(fr))
            f.write(struct.pack("<IIII", T0 + i // 100, (i % 100) * 10000, len(data), wire))
            f.write(data)
    print(f"{name}: {len(frames)} packets")


# ------------------------------------------------------------------ ICMP

def quoted_tcp4(src=V4_A, dst=V4_B, dport=443, opts=b""):
    return ipv4(src, dst, 6, tcp(40000, dport), opts=opts)[:len(opts) + 28]


def icmp_v4():
    fr = []
    q = quoted_tcp4()
    qu = ipv4(V4_A, V4_B, 17, udp(40000, 53, b"x" * 20))[:28]
    qg = ipv4(V4_A, V4_B, 47, b"\0\0\x08\0" + b"\0" * 8)[:28]
    qopt = quoted_tcp4(opts=b"\x01\x01\x01\x00")
    def err(typ, code, rest=b"\0\0\0\0", body=q, src=V4_R):
        return e4(src, V4_A, 1, icmp4(typ, code, rest, body))
    fr.append(e4(V4_A, V4_B, 1, icmp4(8, 0, struct.pack("!HH", 4660, 1), b"ping" * 14)))
    fr.append(e4(V4_B, V4_A, 1, icmp4(0, 0, struct.pack("!HH", 4660, 1), b"ping" * 14)))
    for code in range(17):
        fr.append(err(3, code))
    fr.append(err(3, 3, body=qu, src=V4_B))
    fr.append(err(3, 3, body=qg))
    fr.append(err(3, 3, body=qopt))
    fr.append(err(3, 3, body=b"\x40" + q[1:]))              # quoted IHL 0: its port read from its own header
    fr.append(err(3, 2, body=qg))
    fr.append(err(3, 4, struct.pack("!HH", 0, 1400)))
    fr.append(err(3, 4, struct.pack("!HH", 0, 0)))
    for code in range(5):
        fr.append(err(5, code, ip4a("192.0.2.254")))
    ra = struct.pack("!BBH", 2, 2, 1800) + ip4a("192.0.2.1") + struct.pack("!I", 0) + \
        ip4a("192.0.2.2") + struct.pack("!i", -1)
    fr.append(e4(V4_R, "224.0.0.1", 1, icmp4(9, 0, ra[:4], ra[4:])))
    for life in (0, 59, 60, 3599, 3600, 65535):
        fr.append(e4(V4_R, "224.0.0.1", 1, icmp4(9, 0, struct.pack("!BBH", 0, 2, life))))
    fr.append(e4(V4_R, "224.0.0.1", 1, icmp4(9, 0, struct.pack("!BBH", 1, 3, 600), b"\0" * 12)))
    fr.append(e4(V4_R, "224.0.0.1", 1, icmp4(9, 0, ra[:4], ra[4:12])))    # the second entry missing
    many = b"".join(ip4a("192.0.2.%d" % (100 + i)) + struct.pack("!I", 4000000000 + i) for i in range(20))
    fr.append(e4(V4_R, "224.0.0.1", 1, icmp4(9, 0, struct.pack("!BBH", 20, 2, 9000), many)))   # words cut
    fr.append(e4(V4_A, "224.0.0.2", 1, icmp4(10, 0, b"\0\0\0\0")))
    for code in range(3):
        fr.append(err(11, code))
    fr.append(err(12, 0, b"\x14\0\0\0"))
    fr.append(err(12, 1))
    fr.append(err(12, 2))
    fr.append(err(4, 0))
    fr.append(e4(V4_A, V4_B, 1, icmp4(13, 0, struct.pack("!HH", 7, 8), struct.pack("!III", 1000, 0, 0))))
    fr.append(e4(V4_B, V4_A, 1, icmp4(14, 0, struct.pack("!HH", 7, 8),
                                       struct.pack("!III", 45296789, 86399999, 4294967295))))
    fr.append(e4(V4_A, V4_B, 1, icmp4(15, 0, struct.pack("!HH", 1, 2))))
    fr.append(e4(V4_B, V4_A, 1, icmp4(16, 0, struct.pack("!HH", 1, 2))))
    fr.append(e4(V4_A, V4_B, 1, icmp4(17, 0, struct.pack("!HH", 1, 2), b"\0" * 4)))
    fr.append(e4(V4_B, V4_A, 1, icmp4(18, 0, struct.pack("!HH", 1, 2), ip4a("255.255.255.0"))))
    for typ in (1, 2, 6, 7, 19, 30, 42, 255):
        fr.append(e4(V4_A, V4_B, 1, icmp4(typ, 0, b"\0\0\0\0")))
    # cut inside the fields each kind reads (the Ethernet and IP headers are 34 bytes)
    fr += cuts(err(3, 13), 34, (0, 1, 2, 8, 27, 28))
    fr += cuts(err(3, 3), 34, (17, 18, 31, 33, 35, 36))
    fr += cuts(err(3, 3, body=qopt), 34, (39, 40))
    fr += cuts(err(3, 2, body=qg), 34, (17, 27, 28))
    fr += cuts(err(3, 4, struct.pack("!HH", 0, 1400)), 34, (6, 8, 27))
    fr += cuts(err(5, 1, ip4a("192.0.2.254")), 34, (7, 27))
    fr += cuts(err(11, 0), 34, (4, 27, 28))
    fr += cuts(err(12, 0, b"\x14\0\0\0"), 34, (4, 5))
    fr += cuts(e4(V4_A, V4_B, 1, icmp4(8, 0, struct.pack("!HH", 1, 2), b"x" * 8)), 34, (4, 6, 7, 8))
    fr += cuts(e4(V4_R, "224.0.0.1", 1, icmp4(9, 0, ra[:4], ra[4:])), 34, (4, 7, 8, 15, 16, 23))
    fr += cuts(e4(V4_B, V4_A, 1, icmp4(14, 0, struct.pack("!HH", 7, 8), b"\0" * 12)), 34, (8, 19, 20))
    fr += cuts(e4(V4_B, V4_A, 1, icmp4(18, 0, b"\0" * 4, b"\xff" * 4)), 34, (8, 11))
    fr += cuts(e4(V4_A, V4_B, 1, icmp4(42, 0, b"\0\0\0\0")), 34, (1,))
    # an ICMP message shorter than its header on the wire, and one as an IPv4 first fragment
    fr.append(e4(V4_A, V4_B, 1, b"\x08\x00"))
    fr.append(e4(V4_A, V4_B, 1, icmp4(8, 0, struct.pack("!HH", 9, 9), b"y" * 16), off=0x2000))
    return fr


def quoted_tcp6(dport=443):
    return ipv6(V6_A, V6_B, 6, tcp(40000, dport))


def icmp_v6():
    fr = []
    q = quoted_tcp6()
    qu = ipv6(V6_A, V6_B, 17, udp(40000, 53, b"x" * 12))
    qi = ipv6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, 128, 0, b"\0\1\0\1"))
    qx = ipv6(V6_A, V6_B, 0, bytes([6, 0, 1, 4, 0, 0, 0, 0]) + tcp(40000, 8443))           # HBH, then TCP
    qf = ipv6(V6_A, V6_B, 44, bytes([17, 0, 0, 1, 0, 0, 0, 7]) + udp(40000, 9999, b"z"))   # first fragment
    qf2 = ipv6(V6_A, V6_B, 44, bytes([17, 0, 0, 9, 0, 0, 0, 7]) + udp(40000, 9999, b"z"))  # a later one
    qah = ipv6(V6_A, V6_B, 51, bytes([17, 4]) + b"\0" * 22 + udp(40000, 500, b"a"))         # AH, then UDP

    def err(typ, code, rest=b"\0\0\0\0", body=q, src=V6_R):
        return e6(src, V6_A, 58, icmp6(src, V6_A, typ, code, rest, body))
    for code in range(7):
        fr.append(err(1, code))
    for body in (qu, qi, qx, qf, qf2, qah):
        fr.append(err(1, 4, body=body))
    fr.append(err(2, 0, struct.pack("!I", 1280)))
    for code in range(3):
        fr.append(err(3, code))
    for code in range(5):
        fr.append(err(4, code, struct.pack("!I", 40)))
    fr.append(e6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, 128, 0, struct.pack("!HH", 77, 3), b"ping" * 14)))
    fr.append(e6(V6_B, V6_A, 58, icmp6(V6_B, V6_A, 129, 0, struct.pack("!HH", 77, 3), b"ping" * 14)))
    mc = ip6a("ff02::1:ff00:10")
    fr.append(e6(V6_R, "ff02::1", 58, icmp6(V6_R, "ff02::1", 130, 0, struct.pack("!HH", 1000, 0), mc)))
    fr.append(e6(V6_R, "ff02::1", 58, icmp6(V6_R, "ff02::1", 130, 0, struct.pack("!HH", 1000, 0),
                                            mc + struct.pack("!BBH", 2, 125, 0))))
    fr.append(e6(V6_R, "ff02::1", 58, icmp6(V6_R, "ff02::1", 130, 0, struct.pack("!HH", 1000, 0),
                                            mc + struct.pack("!BBH", 2, 125, 2) + ip6a(V6_A) + ip6a(V6_B))))
    fr.append(e6(V6_R, "ff02::1", 58, icmp6(V6_R, "ff02::1", 130, 0, struct.pack("!HH", 1000, 0),
                                            mc + struct.pack("!BBH", 2, 125, 3) + ip6a(V6_A))))
    fr.append(e6(V6_R, "ff02::1", 58, icmp6(V6_R, "ff02::1", 130, 0, struct.pack("!HH", 1000, 0), mc[:10])))
    fr.append(e6(V6_A, "ff02::16", 58, icmp6(V6_A, "ff02::16", 131, 0, b"\0\0\0\0", mc)))
    fr.append(e6(V6_A, "ff02::2", 58, icmp6(V6_A, "ff02::2", 132, 0, b"\0\0\0\0", mc)))
    rec = struct.pack("!BBH", 4, 0, 0) + mc
    fr.append(e6(V6_A, "ff02::16", 58, icmp6(V6_A, "ff02::16", 143, 0, struct.pack("!HH", 0, 2), rec + rec)))
    fr.append(e6("fe80::1", "ff02::2", 58, icmp6("fe80::1", "ff02::2", 133, 0, b"\0\0\0\0",
                                                 b"\x01\x01" + MAC_A)))
    fr.append(e6("fe80::1", "ff02::1", 58, icmp6("fe80::1", "ff02::1", 134, 0, struct.pack("!BBH", 64, 0, 1800),
                                                 b"\0" * 8 + b"\x01\x01" + MAC_A)))
    fr.append(e6(V6_A, "ff02::1:ff00:20", 58, icmp6(V6_A, "ff02::1:ff00:20", 135, 0, b"\0\0\0\0",
                                                    ip6a(V6_B) + b"\x01\x01" + MAC_A)))
    fr.append(e6(V6_B, V6_A, 58, icmp6(V6_B, V6_A, 136, 0, b"\x60\0\0\0", ip6a(V6_B) + b"\x02\x01" + MAC_B)))
    fr.append(e6(V6_R, V6_A, 58, icmp6(V6_R, V6_A, 137, 0, b"\0\0\0\0", ip6a("fe80::2") + ip6a(V6_B))))
    for typ in (141, 142, 145, 147):
        fr.append(e6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, typ, 0, b"\0\0\0\0", b"\0" * 8)))
    fr.append(e6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, 144, 0, struct.pack("!HH", 0xBEEF, 0))))
    fr.append(e6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, 146, 0, struct.pack("!HH", 0x0102, 0))))
    for code in (0, 1, 2, 3, 4, 0x80):
        fr.append(e6("fe80::1", "ff02::1a", 58, icmp6("fe80::1", "ff02::1a", 155, code, b"\0\0\0\0", b"\0" * 24)))
    for typ in (0, 5, 127, 200, 201, 250):
        fr.append(e6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, typ, 0, b"\0\0\0\0", b"\xab" * 5)))
    fr += icmp6_rare()
    fr.append(e6(V6_A, V6_B, 58, b""))                                          # length 0
    fr.append(e6(V6_A, V6_B, 58, b"\x80", plen=1))
    # cut inside the fields each kind reads (the Ethernet and IPv6 headers are 54 bytes)
    fr += cuts(err(1, 0), 54, (0, 1, 2, 8, 47, 48))
    fr += cuts(err(1, 2), 54, (31, 47, 48))
    fr += cuts(err(1, 4), 54, (14, 47, 49, 50, 51))
    fr += cuts(err(1, 4, body=qx), 54, (49, 50, 51, 59))
    fr += cuts(err(2, 0, struct.pack("!I", 1280)), 54, (4, 7, 8))
    fr += cuts(err(3, 0), 54, (4, 47, 48))
    fr += cuts(err(4, 0, struct.pack("!I", 40)), 54, (8, 47, 48))
    fr += cuts(e6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, 128, 0, struct.pack("!HH", 1, 2), b"x" * 8)), 54, (4, 6, 7, 8))
    fr += cuts(e6(V6_A, "ff02::1:ff00:20", 58, icmp6(V6_A, "ff02::1:ff00:20", 135, 0, b"\0\0\0\0",
                                                     ip6a(V6_B))), 54, (8, 23, 24))
    fr += cuts(e6(V6_R, V6_A, 58, icmp6(V6_R, V6_A, 137, 0, b"\0\0\0\0", ip6a("fe80::2") + ip6a(V6_B))),
               54, (23, 24, 39, 40))
    fr += cuts(e6(V6_A, "ff02::16", 58, icmp6(V6_A, "ff02::16", 143, 0, struct.pack("!HH", 0, 2), rec)),
               54, (6, 7, 8))
    fr += cuts(e6(V6_R, "ff02::1", 58, icmp6(V6_R, "ff02::1", 130, 0, struct.pack("!HH", 1000, 0), mc)),
               54, (8, 23, 24))
    fr += cuts(e6(V6_R, "ff02::1", 58, icmp6(V6_R, "ff02::1", 130, 0, struct.pack("!HH", 1000, 0),
                                             mc + struct.pack("!BBH", 2, 125, 1) + ip6a(V6_A))), 54, (23, 24, 27, 28))
    fr += cuts(e6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, 144, 0, struct.pack("!HH", 0xBEEF, 0))), 54, (4, 5, 6))
    fr += cuts(e6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, 250, 0, b"\0\0\0\0")), 54, (1, 2))
    return fr


def ni(typ, code, qtype, flags, data=b""):
    return e6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, typ, code, struct.pack("!HH", qtype, flags), b"\x11" * 8 + data))


def icmp6_rare():
    """Router renumbering and node information (RFC 4620) messages."""
    fr = []
    pre = ip6a("2001:db8:77::")
    use = struct.pack("!BBBBIII", 48, 16, 0, 0, 3600, 1800, 0xC0000000) + ip6a("2001:db8:88::")
    def rr(code, rpm_len=3, uses=b""):
        match = struct.pack("!BBBBBBH", 1, rpm_len, 0, 48, 48, 64, 0) + pre
        return e6(V6_R, "ff02::2", 58, icmp6(V6_R, "ff02::2", 138, code, struct.pack("!I", 42),
                                              struct.pack("!BBHI", 0, 0, 0, 0) + match + uses))
    fr.append(rr(0))
    fr.append(rr(0, 7, use))
    fr.append(rr(0, 11, use + use[:12] + b"\0\0\0\0" + use[16:]))
    fr.append(rr(0, 5))
    fr.append(rr(0, 2))
    for code in (1, 255, 7):
        fr.append(rr(code))
    fr += cuts(rr(0, 7, use), 54, (15, 16, 39, 40, 71, 72))
    name = b"\x07example\x04test\x00"
    fr.append(e6(V6_A, V6_B, 58, icmp6(V6_A, V6_B, 139, 0, b"\0\0\0\0", b"\0" * 4)))     # who-are-you
    fr.append(ni(139, 0, 0, 0))
    fr.append(ni(139, 0, 1, 0))
    fr.append(ni(139, 0, 1, 1))
    fr.append(ni(139, 0, 1, 2))
    fr.append(ni(139, 0, 2, 0))                                   # 03 draft
    fr.append(ni(139, 1, 2, 0, name))
    fr.append(ni(139, 1, 2, 0, b"\x0bexample.com"))              # a length byte for the rest
    fr.append(ni(139, 1, 2, 0, b"\x05ab\x81\x7f\x01\x00\x03xyz"))
    fr.append(ni(139, 1, 2, 0, b"\x09short"))
    fr.append(ni(139, 1, 2, 0, b"\x03abc\x00\x00"))
    fr.append(ni(139, 1, 2, 0, b"\x03abc\x00\x01\x02"))
    fr.append(ni(139, 1, 2, 0, b"\x03abc"))
    fr.append(ni(139, 0, 3, 0x7E, ip6a(V6_B)))
    fr.append(ni(139, 0, 3, 0, ip6a(V6_B) + b"\0"))
    fr.append(ni(139, 2, 4, 0, ip4a("192.0.2.55")))
    fr.append(ni(139, 2, 4, 0, ip4a("192.0.2.55") + b"\0"))
    fr.append(ni(139, 5, 9, 0, b"\0" * 4))
    fr += cuts(ni(139, 0, 3, 0x7E, ip6a(V6_B)), 54, (12, 13, 15, 16, 31))
    fr.append(ni(140, 1, 2, 0))
    fr.append(ni(140, 2, 2, 0, b"\0" * 4))
    fr.append(ni(140, 3, 2, 0))
    fr.append(ni(140, 0, 0, 0))
    fr.append(ni(140, 0, 1, 1))
    fr.append(ni(140, 0, 2, 1, struct.pack("!I", 300) + name))
    fr.append(ni(140, 0, 2, 0, struct.pack("!I", 300) + b"\x0chost.example"))
    fr.append(ni(140, 0, 2, 1))                                   # no name: cut
    fr.append(ni(140, 0, 3, 0x7F, struct.pack("!I", 60) + ip6a(V6_A) + struct.pack("!I", 70) + ip6a(V6_B) + b"\0\0"))
    fr.append(ni(140, 0, 7, 0))
    fr += cuts(ni(140, 1, 2, 0), 54, (15, 16))
    return fr


# ------------------------------------------------------------------ UDP

def udp_kinds():
    fr = []
    a, b = V4_A, V4_B
    for sport, dport in ((40000, 9), (40000, 443), (443, 40000), (40000, 53), (53, 40000), (40000, 123),
                         (68, 67), (40000, 5353), (40000, 500), (40000, 4500), (40000, 514), (40000, 1985),
                         (1985, 40000), (40000, 7005), (49152, 40000), (40000, 49152), (40000, 3456),
                         (40000, 12223), (12223, 40000), (40000, 30490), (40000, 40001), (0, 0)):
        fr.append(e4(a, b, 17, udp(sport, dport, b"\0" * 48)))
    dns = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + b"\x07example\x04test\x00\x00\x01\x00\x01"
    fr.append(e4(a, b, 17, udp(40000, 53, dns)))
    fr.append(e4(a, b, 17, udp(40000, 123, bytes([0x23]) + b"\0" * 47)))
    fr.append(e4(a, b, 17, udp(40000, 2049, b"\0\0\0\1\0\0\0\0" + b"\0" * 32)))      # an NFS call
    fr.append(e4(a, b, 17, udp(2049, 40000, b"\0\0\0\1\0\0\0\1" + b"\0" * 32)))      # an NFS reply
    fr.append(e4(a, b, 17, udp(2049, 40000, b"\0\0\0\1\0\0\0\0" + b"\0" * 32)))      # neither
    fr.append(e4(a, b, 17, udp(40000, 2049, b"\0\0\0\1\0\0")))                       # direction not there
    fr.append(e4(a, b, 17, udp(40000, 200, b"\0\0\x02\0" + b"\0" * 12)))             # AppleTalk
    fr.append(e4(a, b, 17, udp(40000, 200, b"\0\0\x03\0" + b"\0" * 12)))
    fr.append(e4(a, b, 17, udp(40000, 9, b"\0" * 48, ulen=100)))                     # bad length
    fr.append(e4(a, b, 17, udp(40000, 9, b"\0" * 48, ulen=20)))                      # shorter than the datagram
    fr.append(e4(a, b, 17, udp(40000, 9, b"\0" * 48, ulen=4)))                       # truncated-udplength
    fr.append(e4(a, b, 17, udp(40000, 53, b"\0" * 48, ulen=100)))
    fr.append(e4(a, b, 17, udp(40000, 9, b"")[:6]))                                  # truncated-udp
    fr.append(e4(a, b, 17, udp(40000, 9, b"\0" * 48), tot=20 + 6))
    big = udp(40000, 9, b"f" * 2000)
    fr.append(e4(a, b, 17, big[:1208], off=0x2000))                                  # a first fragment
    fr.append(e4(a, b, 17, big[:1208], off=0x2000 | 0))
    fr.append(e4(a, b, 17, big[1208:], off=151))                                     # a later one
    fr.append(e4(a, b, 17, udp(40000, 9, b"\0" * 48, ulen=100), off=0x4000))         # DF: not fragmented
    fr.append(e4(a, b, 51, bytes([17, 4]) + b"\0" * 22 + udp(40000, 9, b"ah")))       # AH
    fr.append(e4(a, b, 17, udp(40000, 9, b"\0" * 4), opts=b"\x01\x01\x01\x00"))       # IP options
    x, y = V6_A, V6_B
    fr.append(e6(x, y, 17, udp(40000, 9, b"\0" * 48)))
    fr.append(e6(x, y, 17, udp(40000, 547, b"\x01" + b"\0" * 47)))
    fr.append(e6(x, y, 17, udp(40000, 9, b"\0" * 48, ulen=300)))
    fr.append(e6(x, y, 0, bytes([17, 0, 1, 4, 0, 0, 0, 0]) + udp(40000, 9, b"\0" * 8)))   # HBH
    fr.append(e6(x, y, 60, bytes([17, 0, 1, 4, 0, 0, 0, 0]) + udp(40000, 53, dns)))      # DSTOPT, DNS
    big6 = udp(40000, 9, b"g" * 2000)
    fr.append(e6(x, y, 44, bytes([17, 0, 0, 1, 0, 0, 0, 5]) + big6[:1200]))
    fr.append(e6(x, y, 44, bytes([17, 0, 0x04, 0xb0, 0, 0, 0, 5]) + big6[1200:]))
    # cut inside the UDP header (Ethernet and IP: 34 / 54 bytes)
    f4 = e4(a, b, 17, udp(40000, 9, b"\0" * 48))
    fr += cuts(f4, 34, (0, 2, 3, 4, 5, 6, 7, 8))
    fr += cuts(e4(a, b, 17, udp(40000, 53, dns)), 34, (8, 12))
    fr += cuts(e4(a, b, 17, udp(40000, 2049, b"\0\0\0\1\0\0\0\0" + b"\0" * 32)), 34, (11, 15, 16))
    fr += cuts(e4(a, b, 17, udp(40000, 200, b"\0\0\x02\0" + b"\0" * 12)), 34, (10, 11))
    f6 = e6(x, y, 17, udp(40000, 9, b"\0" * 48))
    fr += cuts(f6, 54, (0, 3, 4, 6, 8))
    return fr


# ------------------------------------------------------------------ ARP

def arp(op, sha, spa, tha, tpa, hrd=1, pro=0x0800, hln=None, pln=None):
    hln = len(sha) if hln is None else hln
    pln = len(spa) if pln is None else pln
    return struct.pack("!HHBBH", hrd, pro, hln, pln, op) + sha + spa + tha + tpa


def arp_bodies():
    z = b"\0" * 6
    bc = b"\xff" * 6
    A4, B4 = ip4a("192.0.2.10"), ip4a("192.0.2.1")
    return [
        arp(1, MAC_A, A4, z, B4),
        arp(1, MAC_A, A4, bc, B4),
        arp(1, MAC_A, A4, MAC_B, B4),
        arp(2, MAC_B, B4, MAC_A, A4),
        arp(1, MAC_A, A4, z, A4),                       # gratuitous
        arp(3, MAC_A, z[:4], MAC_A, z[:4]),              # RARP request
        arp(4, MAC_B, B4, MAC_A, A4),                   # RARP reply
        arp(8, MAC_A, A4, MAC_B, z[:4]),                # inverse request
        arp(9, MAC_B, B4, MAC_A, A4),                   # inverse reply
        arp(10, MAC_B, B4, MAC_A, A4),                  # NAK (ATM only)
        arp(5, MAC_B, B4, MAC_A, A4),                   # unknown operation
        arp(1, MAC_A, ip6a(V6_A), z, ip6a(V6_B), pro=0x86DD),
        arp(1, MAC_A, A4, z, B4, pro=0x1234),
        arp(1, MAC_A[:4], A4, z[:4], B4, hrd=6),        # token ring, 4-byte hardware addresses
        arp(1, b"", A4, b"", B4, hrd=1),                # hardware length 0
        arp(2, MAC_B + b"\x07\x08", B4, MAC_A + b"\0\0", A4, hrd=32),
        arp(1, MAC_A, A4, z, B4, hrd=99),
        arp(2, MAC_B, B4, MAC_A, A4, pro=0x1000 + 5),   # not the trailer encapsulation: a name of its own
        arp(2, MAC_B, B4, MAC_A, A4, pro=0x1000),       # trailer encapsulation
        arp(1, MAC_A, A4, z, B4, pro=0x0500),
        arp(1, b"\x18\x41", A4, b"\x20\x51", B4, hrd=15),                  # Frame Relay: 2-byte Q.922 DLCIs
        arp(2, b"\x18\x40\x41", B4, b"\x18\x40\x40\x41", A4, hrd=15),     # 3 and 4 bytes
        arp(8, b"\x19\x41", B4, b"\x18\x40", A4, hrd=15),                  # invalid, cut short
    ]


def atmarp(op, sha=b"", ssa=b"", spa=b"", tha=b"", tsa=b"", tpa=b"", pro=0x0800, e164=0):
    return struct.pack("!HHBBHBBBB", 19, pro, len(sha) | e164, len(ssa), op, len(spa), len(tha), len(tsa),
                       len(tpa)) + sha + ssa + spa + tha + tsa + tpa


def atmarp_bodies():
    """ATM ARP (RFC 2225): 20-byte NSAP numbers, E.164 numbers, subaddresses."""
    nsap = bytes(range(0x47, 0x47 + 20))
    A4, B4 = ip4a("192.0.2.10"), ip4a("192.0.2.1")
    return [
        atmarp(1, nsap, b"", A4, b"", b"", B4),
        atmarp(1, nsap, b"", A4, nsap[::-1], b"\x01\x02", B4),
        atmarp(2, nsap[::-1], b"\x09", B4, nsap, b"", A4),
        atmarp(8, nsap, b"", A4, nsap[::-1], b"", b"\0" * 4),
        atmarp(9, nsap[::-1], b"", B4, nsap, b"", A4),
        atmarp(10, b"", b"", B4, b"", b"", A4),
        atmarp(3, nsap, b"", A4, b"", b"", B4),
        atmarp(1, b"\x12\x34", b"", A4, b"", b"", B4, e164=0x40),
        atmarp(1, nsap, b"", ip6a(V6_A), b"", b"", ip6a(V6_B), pro=0x86DD),
    ]


def arp_kinds():
    fr = []
    for body in arp_bodies():
        fr.append(eth(body, 0x0806, dst=b"\xff" * 6))
        fr.append(eth(body + b"\0" * max(0, 46 - len(body)), 0x0806, dst=b"\xff" * 6))   # padded to 60
    for body in atmarp_bodies():
        fr.append(eth(body, 0x0806, dst=b"\xff" * 6))
    fr += cuts(eth(atmarp_bodies()[1], 0x0806), 14, (8, 11, 12, 40, 62))
    fr.append(eth(arp_bodies()[0], 0x8035))                                             # as RARP
    fr.append(eth(arp_bodies()[0], 0x0806, vlans=(100,)))
    fr.append(eth(arp_bodies()[3] + b"\0" * 14, 0x0806, vlans=(200, 100)))
    full = eth(arp_bodies()[0], 0x0806)
    fr += cuts(full, 14, (0, 1, 7, 8, 13, 14, 27))
    fr += cuts(eth(arp_bodies()[3], 0x0806), 14, (14, 20))
    return fr


def sll(payload, etype, pkttype=0, hatype=1, addr=MAC_A):
    return struct.pack("!HHH", pkttype, hatype, len(addr)) + addr.ljust(8, b"\0") + struct.pack("!H", etype) + payload


def arp_sll():
    fr = [sll(body, 0x0806, pkttype=i % 5) for i, body in enumerate(arp_bodies()[:5])]
    fr.append(sll(arp_bodies()[3] + b"\0" * 18, 0x0806, pkttype=4))
    fr += cuts(sll(arp_bodies()[0], 0x0806), 16, (0, 8, 27))
    return fr


def main():
    write_pcap("icmp_kinds.pcap", icmp_v4() + icmp_v6())
    write_pcap("udp_kinds.pcap", udp_kinds())
    write_pcap("arp_kinds.pcap", arp_kinds())
    write_pcap("arp_kinds_sll.pcap", arp_sll(), linktype=113)


if __name__ == "__main__":
    main()
