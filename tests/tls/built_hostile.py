#!/usr/bin/env python3
"""built_hostile.py: TLS captures no real sender makes, built byte by byte (issue 9).

NOT CAPTURED: every packet here is written by this script (standard library
only; openssl makes the padding certificates of built_chain_over_cap). Each
capture is one connection seen next to the client (client TTL 64, server
TTL 63), 192.0.2.10 -> 203.0.113.20:443, TLS 1.2 with the certificates of
certs/, and an expected output, built_NAME.expect, written by hand. The
encrypted records are random bytes (synack reads only their headers).

  built_conflict_hello    a decoy ClientHello (SNI bad.example.test) read first, then the
                          real one (www.example.test) sent again as 2,000 one-byte segments
                          over the same offsets; the handshake completes: tls.ambiguous
  built_conflict_appdata  a healthy handshake, then 1,000 segments that repeat application
                          data with other bytes: tls.established, the conflicts a finding
  built_chain_over_cap    a completed handshake whose Certificate message is 327 KB (the
                          self-signed, not-yet-valid, wrong-name leaf, then five 65 KB
                          padding certificates): tls.certificate, not ok (chain not checked whole)
  built_cert_16mb         a Certificate message that declares 16 MB, 300 KB of it sent, then
                          the client's fatal alert: findings for both
  built_record_overflow   the server's second record declares 40,000 bytes (TLS allows 18,432);
                          the client answers record_overflow(22): tls.malformed
  built_long_lists        a ClientHello with 100 cipher suites, 40 extensions and a 300-byte
                          SNI, a ServerHello with 36 extensions and a 40-byte ALPN value:
                          what synack keeps of them is said (client_hello.cut, server_hello.cut)

    python3 tests/tls/built_hostile.py [--out DIR] [NAME...]   # rewrites tests/tls/built_*.pcap
    (the padding certificates' keys and dates are new on each run: their sizes may move by a byte)
"""
import os
import random
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CERTS = os.path.join(HERE, "certs")
MAC_C, MAC_R = bytes.fromhex("02000000000a"), bytes.fromhex("02000000001a")
C_IP, S_IP = bytes([192, 0, 2, 10]), bytes([203, 0, 113, 20])
T2024 = 1717236000          # 2024-06-01T10:00:00Z: before selfsigned.pem's notBefore
T2026 = 1780308000          # 2026-06-01T10:00:00Z: within server.pem's validity


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class Conn:
    """One TCP connection's packets, in capture order, with a clock."""

    def __init__(self, t0, cport=40000):
        self.t = t0 * 1000000
        self.pkts = []
        self.cport = cport
        self.isn = [0x1c2b3a49, 0x5e6d7c8b]
        self.seq = list(self.isn)               # next sequence number per side (0 client)
        self.ack = [0, 0]

    def tick(self, us=100):
        self.t += us

    def packet(self, side, flags, payload=b"", seq=None, us=100):
        self.tick(us)
        src, dst = (C_IP, S_IP) if side == 0 else (S_IP, C_IP)
        sp, dp = (self.cport, 443) if side == 0 else (443, self.cport)
        s = self.seq[side] if seq is None else seq
        tcp = struct.pack("!HHIIBBHHH", sp, dp, s & 0xffffffff, self.ack[side] & 0xffffffff, 5 << 4,
                          flags, 64240, 0, 0) + payload
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), len(self.pkts) & 0xffff, 0x4000,
                         64 if side == 0 else 63, 6, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        eth = (MAC_R + MAC_C if side == 0 else MAC_C + MAC_R) + b"\x08\x00"
        self.pkts.append((self.t, eth + ip + tcp))
        if seq is None:
            self.seq[side] += len(payload) + (1 if flags & 0x03 else 0)
        self.ack[1 - side] = max(self.ack[1 - side], (s + len(payload) + (1 if flags & 0x03 else 0)))

    def handshake(self):
        self.packet(0, 0x02)
        self.ack[1] = self.seq[0]
        self.packet(1, 0x12)
        self.packet(0, 0x10)

    def data(self, side, payload, mss=1448, us=100):
        for i in range(0, len(payload), mss):
            self.packet(side, 0x18, payload[i:i + mss], us=us)
            us = 20

    def ack_only(self, side):
        self.packet(side, 0x10)

    def close(self, first=0):
        self.packet(first, 0x11)
        self.packet(1 - first, 0x11)
        self.packet(first, 0x10)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
            for t, p in self.pkts:
                f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(p), len(p)) + p)


# ---- TLS bytes ----

def u8(v): return struct.pack("!B", v)
def u16(v): return struct.pack("!H", v)
def u24(v): return struct.pack("!I", v)[1:]
def vec8(b): return u8(len(b)) + b
def vec16(b): return u16(len(b)) + b
def vec24(b): return u24(len(b)) + b


def record(ctype, body, version=0x0303):
    return u8(ctype) + u16(version) + u16(len(body)) + body


def records(ctype, body, max_len=16384):
    return b"".join(record(ctype, body[i:i + max_len]) for i in range(0, len(body), max_len))


def hs(htype, body):
    return u8(htype) + u24(len(body)) + body


def ext(etype, body):
    return u16(etype) + vec16(body)


def client_hello(sni, rnd, ciphers=(0xc02b, 0xc02f, 0x00ff), extra_exts=()):
    sni_b = sni.encode()
    exts = (ext(0, vec16(u8(0) + vec16(sni_b))) +
            ext(10, vec16(u16(0x001d) + u16(0x0017))) +
            ext(11, vec8(u8(0))) +
            ext(13, vec16(u16(0x0403) + u16(0x0804))) +
            ext(23, b"") + b"".join(extra_exts))
    body = (u16(0x0303) + rnd + vec8(b"") + vec16(b"".join(u16(c) for c in ciphers)) + vec8(u8(0)) +
            vec16(exts))
    return hs(1, body)


def server_flight(rng, cert_msg, sh_exts=b""):
    sh = hs(2, u16(0x0303) + rng.randbytes(32) + vec8(rng.randbytes(32)) + u16(0xc02b) + u8(0) +
            vec16(ext(0xff01, vec8(b"")) + ext(23, b"") + sh_exts))
    ske = hs(12, u8(3) + u16(0x001d) + vec8(rng.randbytes(32)) + u16(0x0403) + vec16(rng.randbytes(71)))
    done = hs(14, b"")
    return records(22, sh) + records(22, cert_msg) + records(22, ske) + records(22, done)


def cert_message(ders):
    return hs(11, vec24(b"".join(vec24(d) for d in ders)))


def pem_der(name):
    out = subprocess.run(["openssl", "x509", "-in", os.path.join(CERTS, name), "-outform", "DER"],
                         capture_output=True, check=True)
    return out.stdout


def finish12(c, rng, app=True):
    """ClientKeyExchange, CCS, Finished both ways, one request and response, close_notify, FINs."""
    c.data(0, records(22, hs(16, vec8(rng.randbytes(32)))) + record(20, b"\x01") + record(22, rng.randbytes(40)),
           us=2000)
    c.data(1, record(20, b"\x01") + record(22, rng.randbytes(40)), us=300)
    if app:
        c.data(0, record(23, rng.randbytes(120)), us=500)
        c.data(1, record(23, rng.randbytes(400)), us=800)
    c.data(0, record(21, rng.randbytes(26)), us=300)
    c.data(1, record(21, rng.randbytes(26)), us=100)
    c.close(0)


def built_conflict_hello(path):
    rng = random.Random(10)
    c = Conn(T2026)
    c.handshake()
    rnd = rng.randbytes(32)
    decoy = records(22, client_hello("bad.example.test", rnd))
    real = records(22, client_hello("www.example.test", rnd))
    assert len(decoy) == len(real)
    start = c.seq[0]
    c.data(0, decoy, us=1500)                      # read first: what a monitor sees
    for rnd_i in range(2000 // len(real) + 1):     # then the real bytes, again and again, a byte at a time
        for i in range(len(real)):
            if rnd_i * len(real) + i >= 2000:
                break
            c.packet(0, 0x18, real[i:i + 1], seq=start + i, us=5)
    c.ack_only(1)
    c.data(1, server_flight(rng, cert_message([pem_der("server.pem"), pem_der("ca.pem")])), us=600)
    finish12(c, rng)
    c.write(path)


def built_conflict_appdata(path):
    rng = random.Random(11)
    c = Conn(T2026, 40001)
    c.handshake()
    c.data(0, records(22, client_hello("www.example.test", rng.randbytes(32))), us=1500)
    c.data(1, server_flight(rng, cert_message([pem_der("server.pem"), pem_der("ca.pem")])), us=600)
    c.data(0, records(22, hs(16, vec8(rng.randbytes(32)))) + record(20, b"\x01") + record(22, rng.randbytes(40)),
           us=2000)
    c.data(1, record(20, b"\x01") + record(22, rng.randbytes(40)), us=300)
    # application data, one record a segment; then each 128-byte block of it sent again, other bytes
    recs = []
    for i in range(8):
        start = c.seq[0]
        body = rng.randbytes(1019)
        c.data(0, record(23, body), us=200)
        recs.append((start, 5 + len(body)))
        c.data(1, record(23, rng.randbytes(300)), us=400)
    n = 0
    while n < 1000:
        for start, length in recs:
            at = start - c.isn[0] - 1                 # the record's stream offset
            for off in range(-at % 128, length - 127, 128):   # each whole 128-byte block of it
                if n < 1000:
                    c.packet(0, 0x18, rng.randbytes(128), seq=start + off, us=3)
                    n += 1
    c.data(0, record(21, rng.randbytes(26)), us=300)
    c.data(1, record(21, rng.randbytes(26)), us=100)
    c.close(0)
    c.write(path)


def padding_certs(n, size):
    out = []
    with tempfile.TemporaryDirectory() as d:
        for i in range(n):
            key, pem = os.path.join(d, "k%d" % i), os.path.join(d, "c%d" % i)
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-nodes", "-keyout", key, "-subj", "/CN=synack padding %d" % (i + 1), "-days", "3650",
                            "-addext", "1.3.6.1.4.1.55555.1=ASN1:UTF8String:" + "p" * size, "-out", pem],
                           capture_output=True, check=True)
            out.append(subprocess.run(["openssl", "x509", "-in", pem, "-outform", "DER"], capture_output=True,
                                      check=True).stdout)
    return out


def built_chain_over_cap(path, pads):
    rng = random.Random(12)
    c = Conn(T2024, 40002)
    c.handshake()
    c.data(0, records(22, client_hello("other.example.test", rng.randbytes(32))), us=1500)
    msg = cert_message([pem_der("selfsigned.pem")] + pads)
    assert len(msg) > 262144, len(msg)
    c.data(1, server_flight(rng, msg), us=600)
    finish12(c, rng)
    c.write(path)


def built_cert_16mb(path):
    rng = random.Random(13)
    c = Conn(T2024, 40003)
    c.handshake()
    c.data(0, records(22, client_hello("other.example.test", rng.randbytes(32))), us=1500)
    leaf = pem_der("selfsigned.pem")
    # declares 16,777,215 bytes: the leaf, then an entry that would take the rest
    body = u24(0xffffff - 3) + vec24(leaf) + u24(0xffffff - 3 - 3 - len(leaf) - 3) + rng.randbytes(300000)
    msg = u8(11) + u24(0xffffff) + body
    sh = hs(2, u16(0x0303) + rng.randbytes(32) + vec8(b"") + u16(0xc02b) + u8(0) + vec16(ext(23, b"")))
    c.data(1, records(22, sh) + records(22, msg), us=600)
    c.data(0, record(21, b"\x02\x2f"), us=3000)     # fatal illegal_parameter(47), as OpenSSL says it
    c.close(0)
    c.write(path)


def built_record_overflow(path):
    rng = random.Random(14)
    c = Conn(T2026, 40004)
    c.handshake()
    c.data(0, records(22, client_hello("www.example.test", rng.randbytes(32))), us=1500)
    sh = hs(2, u16(0x0303) + rng.randbytes(32) + vec8(b"") + u16(0xc02b) + u8(0) + vec16(ext(23, b"")))
    bad = u8(22) + u16(0x0303) + u16(40000) + rng.randbytes(3000)     # 40,000 declared: no TLS stack sends it
    c.data(1, records(22, sh) + bad, us=600)
    c.data(0, record(21, b"\x02\x16"), us=500)      # fatal record_overflow(22)
    c.close(0)
    c.write(path)


def built_long_lists(path):
    rng = random.Random(15)
    c = Conn(T2026, 40005)
    c.handshake()
    ciphers = [0xc02b, 0xc02f] + [0x1300 + i for i in range(6, 104)]
    extra = [ext(0xff00 + i, b"") for i in range(35)]
    sni = "a" * 60 + "." + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + "." + "e" * 43 + ".example.test"
    assert len(sni) == 300
    c.data(0, records(22, client_hello(sni, rng.randbytes(32), ciphers, extra)), us=1500)
    sh_exts = ext(16, vec16(vec8(b"x" * 40))) + b"".join(ext(0xfe00 + i, b"") for i in range(33))
    c.data(1, server_flight(rng, cert_message([pem_der("server.pem"), pem_der("ca.pem")]), sh_exts), us=600)
    finish12(c, rng)
    c.write(path)


def main():
    args, out = sys.argv[1:], HERE
    if args[:1] == ["--out"]:
        out, args = args[1], args[2:]
    builders = {
        "built_conflict_hello": built_conflict_hello,
        "built_conflict_appdata": built_conflict_appdata,
        "built_chain_over_cap": lambda p: built_chain_over_cap(p, padding_certs(5, 65000)),
        "built_cert_16mb": built_cert_16mb,
        "built_record_overflow": built_record_overflow,
        "built_long_lists": built_long_lists,
    }
    for name in args or builders:
        builders[name](os.path.join(out, name + ".pcap"))


if __name__ == "__main__":
    main()
