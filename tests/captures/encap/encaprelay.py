#!/usr/bin/env python3
"""One end of a userspace tunnel (standard library only): the inner packets
are real kernel traffic on a TUN or TAP device, the encapsulation is written
here by the book and sent on the underlay interface with an AF_PACKET raw
socket; the peer checks it, strips it and writes the inner packet to its own
device.

  encaprelay.py MODE ROLE DEV UNDERLAY [--lifetime S] [--go FILE] [--ready FILE]

ROLE a is 02:00:00:00:00:0a, 203.0.113.1, 2001:db8:ff::1 on the underlay and
b is ...:0b, 203.0.113.2, 2001:db8:ff::2 (fixed: the scripts use them).
DEV is created here: a TUN (IFF_TUN|IFF_NO_PI) for modes carrying IP, a TAP
(IFF_TAP|IFF_NO_PI) for modes carrying Ethernet frames (the inner Ethernet
header and ARP are the kernel's). The underlay interface needs no address:
the kernel never sees the tunnel (it drops frames for addresses it does not
have, silently, with forwarding off).

MODE (outer / encapsulation / inner):
  geneve       IPv4 / UDP 6081, Geneve (RFC 8926) VNI 42, proto 0x6558 / Ethernet
  geneve_opt   the same with one option TLV (class 0xffff type 0x01, 4 bytes)
  gre          IPv4 proto 47 / GRE (RFC 2784), proto 0x0800 / IPv4
  gre_key_seq  the same with key 42 and sequence numbers (RFC 2890)
  gre_csum     the same with checksum, key 42 and sequence numbers
  gre6         IPv6 next header 47 / GRE proto 0x86dd / IPv6
  gretap       IPv4 / GRE proto 0x6558 (transparent Ethernet bridging) / Ethernet
  erspan1      IPv4 / GRE proto 0x88be, no sequence bit, no ERSPAN header / Ethernet
  erspan2      IPv4 / GRE 0x88be + sequence, ERSPAN type II 8-byte header
               (version 1, session 42) / Ethernet
  erspan3      IPv4 / GRE 0x22eb + sequence, ERSPAN type III 12-byte header
               (version 2, session 42, timestamp, hardware id 1) / Ethernet
  wccp         IPv4 / GRE proto 0x883e + 4-byte WCCPv2 redirect header / IPv4
  mpls1        Ethernet 0x8847 / one MPLS label (RFC 3032) 1000, S=1 / IPv4
  mpls2        Ethernet 0x8847 / labels 1000, 2000 (S=1) / IPv4
  mpls_pw      Ethernet 0x8847 / labels 1000, 3000 (S=1), control word 0
               (RFC 4448 Ethernet pseudowire) / Ethernet
  mpls_mc      Ethernet 0x8848 (multicast MPLS, RFC 5332) / label 1000, S=1 /
               IPv4 and IPv6 (no indication of the payload but its first nibble)
  gre_mpls     IPv4 / GRE proto 0x8847 (MPLS in GRE, RFC 4023) / label 1000,
               S=1 / IPv4
  ipip         IPv4 proto 4 (RFC 2003) / IPv4
  6in4         IPv4 proto 41 (RFC 4213) / IPv6
  4in6         IPv6 next header 4 (RFC 2473) / IPv4
  6in6         IPv6 next header 41 (RFC 2473) / IPv6
  pppoe        Ethernet 0x8864 PPPoE session (RFC 2516), PPP 0x0021 / IPv4 and
               0x0057 / IPv6; role a (the client) first runs the discovery
               (0x8863: PADI, PADO, PADR, PADS) once FILE given by --go exists,
               role b answers it. No LCP/IPCP: addresses are static.
--go FILE: send nothing until FILE exists (so the capture sees discovery).
--ready FILE: created once the tunnel carries traffic (PPPoE: after PADS).
Exits after --lifetime seconds (default 60) or on SIGTERM.
"""
import fcntl
import os
import select
import signal
import socket
import struct
import sys
import time
import zlib

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_TAP, IFF_NO_PI = 0x0001, 0x0002, 0x1000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
BCAST = b"\xff" * 6

ROLES = {
    "a": ("02:00:00:00:00:0a", "203.0.113.1", "2001:db8:ff::1"),
    "b": ("02:00:00:00:00:0b", "203.0.113.2", "2001:db8:ff::2"),
}

# mode: (device, outer) ; outer: ip4 / ip6 (Ethernet + IP) or eth (Ethernet only)
MODES = {
    "geneve": ("tap", "ip4"), "geneve_opt": ("tap", "ip4"),
    "gre": ("tun", "ip4"), "gre_key_seq": ("tun", "ip4"), "gre_csum": ("tun", "ip4"),
    "gre6": ("tun", "ip6"), "gretap": ("tap", "ip4"),
    "erspan1": ("tap", "ip4"), "erspan2": ("tap", "ip4"), "erspan3": ("tap", "ip4"),
    "wccp": ("tun", "ip4"),
    "mpls1": ("tun", "eth"), "mpls2": ("tun", "eth"), "mpls_pw": ("tap", "eth"),
    "mpls_mc": ("tun", "eth"), "gre_mpls": ("tun", "ip4"),
    "ipip": ("tun", "ip4"), "6in4": ("tun", "ip4"), "4in6": ("tun", "ip6"),
    "6in6": ("tun", "ip6"), "pppoe": ("tun", "eth"),
}

GRE_C, GRE_K, GRE_S = 0x8000, 0x2000, 0x1000
KEY = VNI = SESSION = 42
PPPOE_SID = 0x1234


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def l3_of(inner, tap):
    """The IP packet inside an inner packet (or None)."""
    if tap:
        if len(inner) < 14 or inner[12:14] not in (b"\x08\x00", b"\x86\xdd"):
            return None
        return inner[14:]
    return inner


def flow_hash(l3):
    """An entropy source port from the inner addresses and ports (RFC 8926 s3.3)."""
    if not l3:
        return 0
    v = l3[0] >> 4
    if v == 4 and len(l3) >= 24:
        ihl = (l3[0] & 15) * 4
        key = l3[9:10] + l3[12:20] + l3[ihl:ihl + 4]
    elif v == 6 and len(l3) >= 44:
        key = l3[6:7] + l3[8:40] + l3[40:44]
    else:
        key = l3[:20]
    return zlib.crc32(key)


class Relay:
    def __init__(self, mode, role, dev, underlay):
        self.mode, self.role = mode, role
        self.devtype, self.outer = MODES[mode]
        me, self.peer_role = ROLES[role], ROLES["b" if role == "a" else "a"]
        self.mac, self.ip4, self.ip6 = mac(me[0]), socket.inet_aton(me[1]), socket.inet_pton(socket.AF_INET6, me[2])
        pr = self.peer_role
        self.peer_mac = mac(pr[0])
        self.peer_ip4, self.peer_ip6 = socket.inet_aton(pr[1]), socket.inet_pton(socket.AF_INET6, pr[2])
        self.ip_id, self.gre_seq = 1, 0
        self.t0 = time.monotonic()
        flags = (IFF_TAP if self.devtype == "tap" else IFF_TUN) | IFF_NO_PI
        self.fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(self.fd, TUNSETIFF, struct.pack("16sH22x", dev.encode(), flags))
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.bind((underlay, 0))
        # PPPoE state: role b serves at once; role a waits for the discovery
        self.session = mode != "pppoe"
        self.host_uniq = b"\x00\x00\x53\x4b"
        self.cookie = b"synackAC"
        self.padi_sent, self.padi_tries, self.padr_sent = 0.0, 0, False

    # ---- outer layers
    def eth(self, ethertype, payload, dst=None):
        return (dst or self.peer_mac) + self.mac + struct.pack("!H", ethertype) + payload

    def ipv4(self, proto, payload):
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), self.ip_id & 0xFFFF,
                          0x4000, 64, proto, 0, self.ip4, self.peer_ip4)
        self.ip_id += 1
        hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
        return self.eth(0x0800, hdr + payload)

    def ipv6(self, nh, payload):
        hdr = struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, 64, self.ip6, self.peer_ip6)
        return self.eth(0x86DD, hdr + payload)

    def udp4(self, sport, dport, payload):
        n = 8 + len(payload)
        pseudo = self.ip4 + self.peer_ip4 + struct.pack("!BBH", 0, 17, n)
        u = struct.pack("!HHHH", sport, dport, n, 0) + payload
        c = csum(pseudo + u) or 0xFFFF
        return self.ipv4(17, u[:6] + struct.pack("!H", c) + u[8:])

    # ---- encapsulations
    def gre(self, proto, payload, flags=0, extra=b""):
        h = struct.pack("!HH", flags, proto)
        opt = b""
        if flags & GRE_C:
            opt += b"\0\0\0\0"
        if flags & GRE_K:
            opt += struct.pack("!I", KEY)
        if flags & GRE_S:
            opt += struct.pack("!I", self.gre_seq)
            self.gre_seq += 1
        g = h + opt + extra + payload
        if flags & GRE_C:
            g = g[:4] + struct.pack("!H", csum(g)) + g[6:]
        return g

    def erspan_ts(self):
        return int((time.monotonic() - self.t0) * 10000) & 0xFFFFFFFF  # 100 us units

    def encap(self, inner):
        m = self.mode
        tap = self.devtype == "tap"
        l3 = l3_of(inner, tap)
        v = (inner[0] >> 4) if not tap and inner else 0
        ipet = 0x86DD if v == 6 else 0x0800
        if m.startswith("geneve"):
            opts = b""
            if m == "geneve_opt":
                opts = struct.pack("!HBB", 0xFFFF, 0x01, 1) + struct.pack("!I", VNI)
            g = struct.pack("!BBHI", len(opts) // 4, 0, 0x6558, VNI << 8) + opts + inner
            # 49153-65535: 49152 itself is printed by tcpdump as BCM-LI-SHIM
            h = flow_hash(l3) if l3 else zlib.crc32(inner[:42])
            return self.udp4(49153 + h % 16383, 6081, g)
        if m == "gre":
            return self.ipv4(47, self.gre(ipet, inner))
        if m == "gre_key_seq":
            return self.ipv4(47, self.gre(ipet, inner, GRE_K | GRE_S))
        if m == "gre_csum":
            return self.ipv4(47, self.gre(ipet, inner, GRE_C | GRE_K | GRE_S))
        if m == "gre6":
            return self.ipv6(47, self.gre(ipet, inner))
        if m == "gretap":
            return self.ipv4(47, self.gre(0x6558, inner))
        if m == "erspan1":
            return self.ipv4(47, self.gre(0x88BE, inner))
        if m == "erspan2":
            # Ver 1 | VLAN 0 ; COS 0, En 0, T 0, Session ID ; Reserved 0, Index 0
            hdr = struct.pack("!HHI", 1 << 12, SESSION, 0)
            return self.ipv4(47, self.gre(0x88BE, inner, GRE_S, hdr))
        if m == "erspan3":
            # Ver 2 | VLAN 0 ; COS 0, BSO 0, T 0, Session ID ; Timestamp ;
            # SGT 0 ; P 0, FT 0 (Ethernet), Hw ID 1, D 0, Gra 0 (100 us), O 0
            hdr = struct.pack("!HHIHH", 2 << 12, SESSION, self.erspan_ts(), 0, 1 << 4)
            return self.ipv4(47, self.gre(0x22EB, inner, GRE_S, hdr))
        if m == "wccp":
            # WCCPv2 redirect header: D 0, A 0, Service ID 0 (web-cache),
            # Alt Bucket 0, Primary Bucket from the flow
            hdr = struct.pack("!BBBB", 0, 0, 0, flow_hash(l3) & 0xFF)
            return self.ipv4(47, self.gre(0x883E, hdr + inner))
        if m in ("mpls1", "mpls2", "mpls_pw", "mpls_mc", "gre_mpls"):
            labels = {"mpls2": [1000, 2000], "mpls_pw": [1000, 3000]}.get(m, [1000])
            stack = b""
            for i, lab in enumerate(labels):
                bos = 1 if i == len(labels) - 1 else 0
                stack += struct.pack("!I", (lab << 12) | (bos << 8) | 64)
            if m == "mpls_pw":
                stack += b"\0\0\0\0"  # control word: flags 0, length 0, sequence 0
            if m == "gre_mpls":
                return self.ipv4(47, self.gre(0x8847, stack + inner))
            return self.eth(0x8848 if m == "mpls_mc" else 0x8847, stack + inner)
        if m == "ipip":
            return self.ipv4(4, inner)
        if m == "6in4":
            return self.ipv4(41, inner)
        if m == "4in6":
            return self.ipv6(4, inner)
        if m == "6in6":
            return self.ipv6(41, inner)
        if m == "pppoe":
            ppp = struct.pack("!H", 0x0057 if v == 6 else 0x0021) + inner
            return self.eth(0x8864, struct.pack("!BBHH", 0x11, 0, PPPOE_SID, len(ppp)) + ppp)
        raise SystemExit(f"unknown mode {m}")

    def decap(self, frame):
        """The inner packet of a frame from the peer, or None."""
        m = self.mode
        if len(frame) < 14 or frame[0:6] not in (self.mac, BCAST) or frame[6:12] != self.peer_mac:
            return None
        et, p = struct.unpack("!H", frame[12:14])[0], frame[14:]
        if self.outer == "ip4":
            if et != 0x0800 or len(p) < 20 or p[0] != 0x45 or p[16:20] != self.ip4 or csum(p[:20]):
                return None
            proto, p = p[9], p[20:struct.unpack("!H", p[2:4])[0]]
        elif self.outer == "ip6":
            if et != 0x86DD or len(p) < 40 or p[0] >> 4 != 6 or p[24:40] != self.ip6:
                return None
            proto, p = p[6], p[40:40 + struct.unpack("!H", p[4:6])[0]]
        else:
            proto = None
        if m.startswith("geneve"):
            if proto != 17 or len(p) < 16 or struct.unpack("!H", p[2:4])[0] != 6081:
                return None
            g = p[8:]
            optlen = (g[0] & 0x3F) * 4
            if g[0] >> 6 != 0 or g[2:4] != b"\x65\x58" or struct.unpack("!I", g[4:8])[0] >> 8 != VNI:
                return None
            return g[8 + optlen:]
        if m == "gre_mpls":
            if proto != 47 or p[:4] != b"\x00\x00\x88\x47":
                return None
            et, p = 0x8847, p[4:]
        elif m.startswith("gre") or m.startswith("erspan") or m == "wccp":
            if proto != 47 or len(p) < 4:
                return None
            flags, gp = struct.unpack("!HH", p[:4])
            want = {"gre": (0, None), "gre6": (0, None), "gretap": (0, 0x6558),
                    "gre_key_seq": (GRE_K | GRE_S, None), "gre_csum": (GRE_C | GRE_K | GRE_S, None),
                    "erspan1": (0, 0x88BE), "erspan2": (GRE_S, 0x88BE), "erspan3": (GRE_S, 0x22EB),
                    "wccp": (0, 0x883E)}[m]
            if flags != want[0] or (want[1] is not None and gp != want[1]):
                return None
            if flags & GRE_C and csum(p):
                return None
            off = 8 if flags & GRE_C else 4
            if flags & GRE_K:
                if p[off:off + 4] != struct.pack("!I", KEY):
                    return None
                off += 4
            if flags & GRE_S:
                off += 4
            off += {"erspan2": 8, "erspan3": 12, "wccp": 4}.get(m, 0)
            return p[off:]
        elif m in ("ipip", "4in6"):
            return p if proto == 4 else None
        elif m in ("6in4", "6in6"):
            return p if proto == 41 else None
        if m in ("mpls1", "mpls2", "mpls_pw", "mpls_mc", "gre_mpls"):
            if et != (0x8848 if m == "mpls_mc" else 0x8847):
                return None
            while len(p) >= 4:
                lse = struct.unpack("!I", p[:4])[0]
                p = p[4:]
                if lse & 0x100:
                    break
            return p[4:] if m == "mpls_pw" else p
        if m == "pppoe":
            return self.pppoe_rx(et, p)
        return None

    # ---- PPPoE discovery (RFC 2516 s5)
    def tag(self, t, v=b""):
        return struct.pack("!HH", t, len(v)) + v

    def disc(self, code, sid, tags, dst):
        self.sock.send(self.eth(0x8863, struct.pack("!BBHH", 0x11, code, sid, len(tags)) + tags, dst))

    def pppoe_tick(self):
        if self.role != "a" or self.session or self.padr_sent:
            return
        now = time.monotonic()
        if self.padi_tries < 5 and now - self.padi_sent >= 1.0:
            self.disc(0x09, 0, self.tag(0x0101) + self.tag(0x0103, self.host_uniq), BCAST)
            self.padi_sent, self.padi_tries = now, self.padi_tries + 1

    def pppoe_rx(self, et, p):
        if len(p) < 6 or p[0] != 0x11:
            return None
        code, sid, n = struct.unpack("!BHH", p[1:6])
        if et == 0x8864:
            if not self.session or code != 0 or sid != PPPOE_SID or n < 2:
                return None
            proto = struct.unpack("!H", p[6:8])[0]
            return p[8:6 + n] if proto in (0x0021, 0x0057) else None
        if et != 0x8863:
            return None
        if self.role == "b" and code == 0x09:           # PADI -> PADO
            self.disc(0x07, 0, self.tag(0x0102, b"synack-ac") + self.tag(0x0101)
                      + self.tag(0x0103, self.host_uniq) + self.tag(0x0104, self.cookie), None)
        elif self.role == "a" and code == 0x07 and not self.padr_sent:  # PADO -> PADR
            self.padr_sent = True
            self.disc(0x19, 0, self.tag(0x0101) + self.tag(0x0103, self.host_uniq)
                      + self.tag(0x0104, self.cookie), None)
        elif self.role == "b" and code == 0x19:         # PADR -> PADS
            self.disc(0x65, PPPOE_SID, self.tag(0x0101) + self.tag(0x0103, self.host_uniq), None)
            self.session = True
        elif self.role == "a" and code == 0x65 and sid == PPPOE_SID:
            self.session = True
        return None

    def run(self, lifetime, go, ready):
        end = time.monotonic() + lifetime
        started = go is None
        announced = False
        while time.monotonic() < end:
            if not started and os.path.exists(go):
                started = True
            if started and self.mode == "pppoe":
                self.pppoe_tick()
            if ready and self.session and not announced:
                open(ready, "w").close()
                announced = True
            r, _, _ = select.select([self.fd, self.sock], [], [], 0.2)
            if self.fd in r:
                inner = os.read(self.fd, 65536)
                if started and self.session and inner:
                    self.sock.send(self.encap(inner))
            if self.sock in r:
                frame, addr = self.sock.recvfrom(65536)
                if addr[2] == PACKET_OUTGOING:
                    continue
                inner = self.decap(frame)
                if inner:
                    os.write(self.fd, inner)
        return 0


def main():
    args = sys.argv[1:]
    opts = {"--lifetime": "60", "--go": None, "--ready": None}
    pos = []
    while args:
        a = args.pop(0)
        if a in opts:
            opts[a] = args.pop(0)
        else:
            pos.append(a)
    if len(pos) != 4 or pos[0] not in MODES or pos[1] not in ROLES:
        raise SystemExit(__doc__)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    relay = Relay(*pos)
    return relay.run(float(opts["--lifetime"]), opts["--go"], opts["--ready"])


if __name__ == "__main__":
    sys.exit(main())
