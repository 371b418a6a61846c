#!/usr/bin/env python3
"""wrap.py: a plain Ethernet capture's IP packets put inside a tunnel or on another link type.

    python3 tests/encap/wrap.py KIND IN.pcap OUT.pcap

Built from the specifications (RFC 7348 VXLAN, RFC 8926 GENEVE, RFC 2784/2890
GRE, the ERSPAN draft, WCCP's redirect header, RFC 3032 MPLS with an RFC 4385
control word, RFC 2003/4213/2473 IP in IP, RFC 2516 PPPoE; libpcap's
LINKTYPE_ pages for the link types), not captured: verdicts.py checks that the
analysis finds the same connections inside as in IN.pcap. KINDS lists them,
with the link type each writes and the encapsulation records expected.
"""
import struct
import sys

O4 = (bytes([203, 0, 113, 1]), bytes([203, 0, 113, 2]))
O6 = (bytes.fromhex("20010db8000000000000000000000001"), bytes.fromhex("20010db8000000000000000000000002"))
MAC = bytes.fromhex("020000000001020000000002")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip4(proto, payload_len, src=O4[0], dst=O4[1]):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, 1, 0, 64, proto, 0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:]


def ip6(nh, payload_len, src=O6[0], dst=O6[1]):
    return struct.pack("!IHBB16s16s", 0x60000000, payload_len, nh, 64, src, dst)


def ver(ip):
    return ip[0] >> 4 if ip else 4


def etype(ip):
    return 0x86dd if ver(ip) == 6 else 0x0800


def eth(ip, tags=()):
    h = MAC
    for t in tags:
        h += struct.pack("!HH", 0x8100, t)
    return h + struct.pack("!H", etype(ip))


def udp_over(outer, sport, dport, body_len):
    u = struct.pack("!HHHH", sport, dport, 8 + body_len, 0)
    return outer(17, 8 + body_len) + u


# Each kind: (link type, a function of the inner IP bytes and their wire length giving the header
# to put before them, the expected "encap" list of a connection (None: the key absent)).
def vxlan(ip, n, tags=()):
    inner = eth(ip, tags)
    body = struct.pack("!B3sI", 0x08, b"\0\0\0", 42 << 8) + inner
    return MAC + b"\x08\x00" + udp_over(ip4, 54321, 4789, len(body) + n) + body


def geneve(ip, n):
    opt = struct.pack("!HBB", 0x0102, 0x03, 1) + b"\xaa\xbb\xcc\xdd"   # one 8-byte option
    body = struct.pack("!BBHI", len(opt) // 4, 0, 0x6558, 7 << 8) + opt + eth(ip)
    return MAC + b"\x86\xdd" + udp_over(ip6, 54321, 6081, len(body) + n) + body


def gre(ip, n, outer6=False):
    g = struct.pack("!HHI", 0x2000, etype(ip), 1234)   # key present
    outer = ip6 if outer6 else ip4
    return MAC + (b"\x86\xdd" if outer6 else b"\x08\x00") + outer(47, len(g) + n) + g


def gre6(ip, n):
    return gre(ip, n, True)


def erspan1(ip, n):
    g = struct.pack("!HH", 0x0000, 0x88be) + eth(ip)
    return MAC + b"\x08\x00" + ip4(47, len(g) + n) + g


def erspan2(ip, n):
    g = struct.pack("!HHI", 0x1000, 0x88be, 9) + struct.pack("!HHI", 0x1000 | 5, 10, 0) + eth(ip)
    return MAC + b"\x08\x00" + ip4(47, len(g) + n) + g


def erspan3(ip, n):
    hdr = struct.pack("!HHIHH", 0x2000 | 6, 10, 0, 0, 0x0001)     # O bit: a platform subheader
    g = struct.pack("!HHI", 0x1000, 0x22eb, 9) + hdr + b"\0" * 8 + eth(ip)
    return MAC + b"\x08\x00" + ip4(47, len(g) + n) + g


def wccp(ip, n):
    g = struct.pack("!HH", 0, 0x883e) + bytes([0, 0x51, 0, 0])
    return MAC + b"\x08\x00" + ip4(47, len(g) + n) + g


def mpls(ip, n):
    return MAC + b"\x88\x47" + struct.pack("!II", 100 << 12 | 64, 200 << 12 | 0x100 | 64)


def mpls_pw(ip, n):
    return MAC + b"\x88\x47" + struct.pack("!II", 300 << 12 | 0x100 | 64, 0) + eth(ip)


def ipip(ip, n):
    nh = 4 if ver(ip) == 4 else 41
    return MAC + b"\x08\x00" + ip4(nh, n)


def in6(ip, n):
    nh = 4 if ver(ip) == 4 else 41
    return MAC + b"\x86\xdd" + ip6(nh, n)


def pppoe(ip, n):
    proto = 0x0021 if ver(ip) == 4 else 0x0057
    return MAC + b"\x88\x64" + struct.pack("!BBHHH", 0x11, 0, 0x0011, n + 2, proto)


def vxlan_qinq(ip, n):
    return vxlan(ip, n, (0x0064, 0x00c8))


def deep(ip, n):
    """Five VXLANs: one more than the decoder follows."""
    h, inner_ip, inner_n = b"", ip, n
    for _ in range(5):
        h = vxlan(inner_ip, inner_n)[14:] + h if h else vxlan(inner_ip, inner_n)[14:]
        inner_ip, inner_n = h, len(h) + n
    return MAC + b"\x08\x00" + h


def ppp(ip, n):
    return b"\xff\x03" + struct.pack("!H", 0x0021 if ver(ip) == 4 else 0x0057)


def ppp_pfc(ip, n):
    return bytes([0x21 if ver(ip) == 4 else 0x57])


def chdlc(ip, n):
    return struct.pack("!BBH", 0x0f, 0, etype(ip))


def chdlc_mpls(ip, n):
    return struct.pack("!BBH", 0x0f, 0, 0x8847) + struct.pack("!I", 16 << 12 | 0x100 | 64)


def ipoib(ip, n):
    return b"\x11" * 40 + struct.pack("!HH", etype(ip), 0)


def arcnet(ip, n):
    return struct.pack("!BBBBH", 1, 2, 212 if ver(ip) == 4 else 0xc4, 0, 7)


def arcnet_linux(ip, n):
    return struct.pack("!BBHBBH", 1, 2, 0, 212 if ver(ip) == 4 else 0xc4, 0, 7)


def juniper(ip, n):
    return b"MGC" + bytes([0x80 | 0x01]) + struct.pack("!H", 4) + b"\x01\x02\x00\x00" + eth(ip)


SNAP = bytes([0xaa, 0xaa, 0x03, 0, 0, 0])


def wifi(ip, n):
    # a QoS data frame from the DS (FromDS), unprotected
    return bytes([0x88, 0x02]) + b"\0\0" + b"\x01" * 18 + b"\0\0" + b"\0\0" + SNAP + struct.pack("!H", etype(ip))


def radiotap(ip, n):
    # version, pad, length 13, present: TSFT and Flags (0x20: the 802.11 header is padded to 4)
    rt = struct.pack("<BBHI", 0, 0, 20, 0x3) + b"\0" * 8 + bytes([0x20]) + b"\0" * 3
    wh = bytes([0x88, 0x02]) + b"\0\0" + b"\x01" * 18 + b"\0\0" + b"\0\0" + b"\0\0"   # 26 + 2 pad
    return rt + wh + SNAP + struct.pack("!H", etype(ip))


def o4(t, **k):
    return dict(type=t, outer={"src": "203.0.113.1", "dst": "203.0.113.2"}, **k)


def o6(t, **k):
    return dict(type=t, outer={"src": "2001:db8::1", "dst": "2001:db8::2"}, **k)


KINDS = {
    "vxlan": (1, vxlan, [o4("vxlan", vni=42)]),
    "vxlan_qinq": (1, vxlan_qinq, [o4("vxlan", vni=42)]),
    "geneve": (1, geneve, [o6("geneve", vni=7)]),
    "gre": (1, gre, [o4("gre", key=1234)]),
    "gre6": (1, gre6, [o6("gre", key=1234)]),
    "erspan1": (1, erspan1, [o4("erspan", erspan_type=1)]),
    "erspan2": (1, erspan2, [o4("erspan", erspan_type=2, session=10)]),
    "erspan3": (1, erspan3, [o4("erspan", erspan_type=3, session=10)]),
    "wccp": (1, wccp, [o4("wccp")]),
    "mpls": (1, mpls, [dict(type="mpls", label=100, labels=2)]),
    "mpls_pw": (1, mpls_pw, [dict(type="mpls", label=300, labels=1)]),
    "ipip": (1, ipip, "ipip"),
    "in6": (1, in6, "in6"),
    "pppoe": (1, pppoe, [dict(type="pppoe", session=0x11)]),
    "deep": (1, deep, "deep"),
    "ppp": (9, ppp, None),
    "ppp_pfc": (9, ppp_pfc, None),
    "ppp_hdlc": (50, ppp, None),
    "chdlc": (104, chdlc, None),
    "chdlc_mpls": (104, chdlc_mpls, [dict(type="mpls", label=16, labels=1)]),
    "ipoib": (242, ipoib, None),
    "arcnet": (7, arcnet, None),
    "arcnet_linux": (129, arcnet_linux, None),
    "juniper": (178, juniper, None),
    "wifi": (105, wifi, None),
    "radiotap": (127, radiotap, None),
}


def expected_encap(kind, inner_version):
    e = KINDS[kind][2]
    if e == "ipip":
        return [o4("ipip" if inner_version == 4 else "6in4")]
    if e == "in6":
        return [o6("4in6" if inner_version == 4 else "6in6")]
    return e


def read_pcap(path):
    hdr, out = read_pcap_any(path)
    assert struct.unpack("<I", hdr[20:24])[0] == 1, "Ethernet only"
    return hdr[:20], out


def read_pcap_any(path):
    d = open(path, "rb").read()
    magic, = struct.unpack("<I", d[:4])
    assert magic in (0xa1b2c3d4, 0xa1b23c4d), "little-endian pcap only"
    off, out = 24, []
    while off + 16 <= len(d):
        s, f, cap, wire = struct.unpack("<IIII", d[off:off + 16])
        out.append((s, f, d[off + 16:off + 16 + cap], wire))
        off += 16 + cap
    return d[:24], out


def ip_of(frame):
    """The IP packet of an Ethernet frame (VLAN tags skipped), or None."""
    off = 12
    t, = struct.unpack("!H", frame[off:off + 2])
    while t in (0x8100, 0x88a8):
        off += 4
        t, = struct.unpack("!H", frame[off:off + 2])
    if t not in (0x0800, 0x86dd):
        return None, 0
    return frame[off + 2:], off + 2


def wrap(kind, src, dst):
    link, head = KINDS[kind][0], KINDS[kind][1]
    hdr, pkts = read_pcap(src)
    out = [hdr[:16] + struct.pack("<I", 262144) + struct.pack("<I", link)]
    for s, f, frame, wire in pkts:
        ip, l2 = ip_of(frame)
        if ip is None:
            continue
        n = wire - l2
        h = head(ip, n)
        out.append(struct.pack("<IIII", s, f, len(h) + len(ip), len(h) + n) + h + ip)
    open(dst, "wb").write(b"".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in KINDS:
        sys.exit("usage: wrap.py KIND IN.pcap OUT.pcap; KIND one of " + " ".join(KINDS))
    wrap(sys.argv[1], sys.argv[2], sys.argv[3])
