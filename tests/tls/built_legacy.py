#!/usr/bin/env python3
"""built_legacy.py: pre-standard TLS 1.3 and SSL 2.0 handshakes, built byte by byte (issue 12).

NOT CAPTURED: no sender here can make these (Debian's OpenSSL has neither SSL
2.0 nor the TLS 1.3 drafts), so every packet is written by this script from
the specifications, with built_hostile.py's packet writer (one connection a
file, seen next to the client: client TTL 64, server TTL 63, 192.0.2.10 ->
203.0.113.20:443). Encrypted records are random bytes of plausible sizes
(synack reads only their headers). Each capture has an expected output,
built_NAME.expect, written by hand.

  built_tls13_draft18       draft-ietf-tls-tls13-18 (0x7f12): ServerHello version 0x7f12, random,
                            cipher_suite, extensions (no session id, no compression method),
                            key_share as extension 40; no ChangeCipherSpec. tls.established
  built_tls13_draft21_hrr   draft 21 (0x7f15): a HelloRetryRequest of its own type (6): version,
                            cipher_suite, extensions (key_share 40: the selected group); the second
                            ClientHello, then a draft-21 ServerHello. tls.hello_retry
  built_tls13_draft23       draft 23 (0x7f17): the TLS 1.2-shaped ServerHello of draft 22 on
                            (legacy_version 0x0303, session id echoed, compression 0,
                            supported_versions 0x7f17), key_share as extension 51, dummy
                            ChangeCipherSpecs both ways. tls.established
  built_tls13_experiment2   Google's second TLS 1.3 experiment (0x7e02, BoringSSL's
                            TLS1_3_EXPERIMENT2_VERSION, Chrome's 2017 field trial): draft 18 with
                            draft 22's ServerHello shape, key_share still extension 40, a server
                            ChangeCipherSpec after its ServerHello and a client one before its
                            Finished (tls13_server.cc of that time). tls.established
  built_sslv2               an SSL 2.0 CLIENT-HELLO (version 0x0002, 7 cipher kinds) answered by an
                            SSL 2.0 SERVER-HELLO (6 cipher kinds, certs/selfsigned.pem's DER as its
                            certificate: SSL 2.0 servers sent RSA certificates, this one only
                            feeds the certificate checks), the client's CLIENT-MASTER-KEY
                            (SSL_CK_DES_192_EDE3_CBC_WITH_MD5), then encrypted SSL 2.0 records,
                            some with the 3-byte (padded) header. tls.sslv2 (never ok)

    python3 tests/tls/built_legacy.py [--out DIR] [NAME...]   # rewrites tests/tls/built_*.pcap
    (deterministic: the same bytes on every run)
"""
import os
import random
import sys

sys.dont_write_bytecode = True      # (no __pycache__ beside the captures)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from built_hostile import (Conn, HERE, T2026, ext, hs, pem_der, record, u8, u16, vec8, vec16,  # noqa: E402
                           u24)

X25519, P256 = 0x001d, 0x0017
KS_DRAFT, KS = 0x0028, 0x0033          # key_share: extension 40 until draft 23, then 51
SUPPORTED_VERSIONS = 0x002b


def key_share_ch(ext_type, shares, rng):
    """A ClientHello key_share: (group, length) entries."""
    return ext(ext_type, vec16(b"".join(u16(g) + vec16(rng.randbytes(n)) for g, n in shares)))


def client_hello13(rng, versions, ks_ext, shares, sid=b"", sni="www.example.test"):
    exts = (ext(0, vec16(u8(0) + vec16(sni.encode()))) +
            ext(10, vec16(u16(X25519) + u16(P256))) +
            ext(13, vec16(u16(0x0403) + u16(0x0804) + u16(0x0401))) +
            key_share_ch(ks_ext, shares, rng) +
            ext(0x002d, vec8(u8(1))) +
            ext(SUPPORTED_VERSIONS, vec8(b"".join(u16(v) for v in versions))))
    body = (u16(0x0303) + rng.randbytes(32) + vec8(sid) +
            vec16(b"".join(u16(c) for c in (0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f))) + vec8(u8(0)) + vec16(exts))
    return hs(1, body)


def server_hello_draft(rng, version, ks_ext=KS_DRAFT):
    """Drafts 14-21: version, random, cipher_suite, extensions."""
    return hs(2, u16(version) + rng.randbytes(32) + u16(0x1301) +
              vec16(ext(ks_ext, u16(X25519) + vec16(rng.randbytes(32)))))


def server_hello_compat(rng, version, sid, ks_ext):
    """Draft 22 on, and the experiments: TLS 1.2's layout, the version in supported_versions."""
    return hs(2, u16(0x0303) + rng.randbytes(32) + vec8(sid) + u16(0x1301) + u8(0) +
              vec16(ext(ks_ext, u16(X25519) + vec16(rng.randbytes(32))) + ext(SUPPORTED_VERSIONS, u16(version))))


def encrypted_flight(rng, rec_version):
    """EncryptedExtensions, Certificate, CertificateVerify, Finished: four application_data records."""
    return b"".join(record(23, rng.randbytes(n), rec_version) for n in (40, 880, 280, 53))


def finish13(c, rng, rec_version, ccs):
    """The client's Finished (53-byte record: not an alert's 19), a request and its answer, close_notify
    both ways, FINs."""
    c.data(0, (record(20, b"\x01", rec_version) if ccs else b"") + record(23, rng.randbytes(53), rec_version),
           us=1500)
    c.data(0, record(23, rng.randbytes(120), rec_version), us=100)
    c.data(1, record(23, rng.randbytes(410), rec_version), us=900)
    c.data(0, record(23, rng.randbytes(19), rec_version), us=300)
    c.data(1, record(23, rng.randbytes(19), rec_version), us=100)
    c.close(0)


def built_tls13_draft18(path):
    rng = random.Random(20)
    c = Conn(T2026, 40100)
    c.handshake()
    c.data(0, record(22, client_hello13(rng, (0x7f12, 0x0303, 0x0302, 0x0301), KS_DRAFT, [(X25519, 32)]),
                     0x0301), us=1500)
    c.data(1, record(22, server_hello_draft(rng, 0x7f12), 0x0301) + encrypted_flight(rng, 0x0301), us=2100)
    finish13(c, rng, 0x0301, ccs=False)
    c.write(path)


def built_tls13_draft21_hrr(path):
    rng = random.Random(21)
    c = Conn(T2026, 40101)
    c.handshake()
    c.data(0, record(22, client_hello13(rng, (0x7f15, 0x0303), KS_DRAFT, [(P256, 65)]), 0x0301), us=1500)
    hrr = hs(6, u16(0x7f15) + u16(0x1301) + vec16(ext(KS_DRAFT, u16(X25519))))
    c.data(1, record(22, hrr, 0x0301), us=1900)
    c.data(0, record(22, client_hello13(rng, (0x7f15, 0x0303), KS_DRAFT, [(X25519, 32)]), 0x0301), us=300)
    c.data(1, record(22, server_hello_draft(rng, 0x7f15), 0x0301) + encrypted_flight(rng, 0x0301), us=2000)
    finish13(c, rng, 0x0301, ccs=False)
    c.write(path)


def built_tls13_draft23(path):
    rng = random.Random(23)
    c = Conn(T2026, 40102)
    c.handshake()
    sid = rng.randbytes(32)
    c.data(0, record(22, client_hello13(rng, (0x7f17, 0x0303), KS, [(X25519, 32)], sid), 0x0301), us=1500)
    c.data(1, record(22, server_hello_compat(rng, 0x7f17, sid, KS), 0x0303) + record(20, b"\x01", 0x0303) +
           encrypted_flight(rng, 0x0303), us=2100)
    finish13(c, rng, 0x0303, ccs=True)
    c.write(path)


def built_tls13_experiment2(path):
    rng = random.Random(24)
    c = Conn(T2026, 40103)
    c.handshake()
    sid = rng.randbytes(32)
    # Chrome offered GREASE, the one TLS 1.3 variant of its trial group, then TLS 1.2 to 1.0
    c.data(0, record(22, client_hello13(rng, (0x3a3a, 0x7e02, 0x0303, 0x0302, 0x0301), KS_DRAFT,
                                        [(0x3a3a, 1), (X25519, 32)], sid), 0x0301), us=1500)
    c.data(1, record(22, server_hello_compat(rng, 0x7e02, sid, KS_DRAFT), 0x0303) + record(20, b"\x01", 0x0303) +
           encrypted_flight(rng, 0x0303), us=2100)
    finish13(c, rng, 0x0303, ccs=True)
    c.write(path)


# ---- SSL 2.0 (draft-hickman-netscape-ssl-00) ----

SSL2_KINDS = (0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700c0)


def v2_record(body, pad=0):
    """A record: the 2-byte header (high bit set), or with padding the 3-byte one."""
    if pad == 0:
        return u16(0x8000 | len(body)) + body
    return u16(len(body)) + u8(pad) + body


def kinds(ks):
    return b"".join(u24(k) for k in ks)


def built_sslv2(path):
    rng = random.Random(25)
    c = Conn(T2026, 40104)
    c.handshake()
    challenge = rng.randbytes(16)
    c.data(0, v2_record(u8(1) + u16(0x0002) + u16(3 * len(SSL2_KINDS)) + u16(0) + u16(len(challenge)) +
                        kinds(SSL2_KINDS) + challenge), us=1500)
    cert, server_kinds, conn_id = pem_der("selfsigned.pem"), SSL2_KINDS[:4] + SSL2_KINDS[5:], rng.randbytes(16)
    c.data(1, v2_record(u8(4) + u8(0) + u8(1) + u16(0x0002) + u16(len(cert)) + u16(3 * len(server_kinds)) +
                        u16(len(conn_id)) + cert + kinds(server_kinds) + conn_id), us=1200)
    # CLIENT-MASTER-KEY: the cipher kind, no clear key, a 128-byte encrypted key, an 8-byte IV
    c.data(0, v2_record(u8(2) + u24(0x0700c0) + u16(0) + u16(128) + u16(8) + rng.randbytes(128) +
                        rng.randbytes(8)), us=2000)
    # encrypted from here on: MAC (16) + message + padding to the 8-byte block
    c.data(0, v2_record(rng.randbytes(16 + 17 + 7), pad=7), us=100)           # CLIENT-FINISHED
    c.data(1, v2_record(rng.randbytes(16 + 17 + 7), pad=7) +                  # SERVER-VERIFY
           v2_record(rng.randbytes(16 + 17 + 7), pad=7), us=900)              # SERVER-FINISHED
    c.data(0, v2_record(rng.randbytes(16 + 96), pad=0), us=300)
    c.data(1, v2_record(rng.randbytes(16 + 400), pad=0), us=800)
    c.close(1)
    c.write(path)


def main():
    args, out = sys.argv[1:], HERE
    if args[:1] == ["--out"]:
        out, args = args[1], args[2:]
    builders = {
        "built_tls13_draft18": built_tls13_draft18,
        "built_tls13_draft21_hrr": built_tls13_draft21_hrr,
        "built_tls13_draft23": built_tls13_draft23,
        "built_tls13_experiment2": built_tls13_experiment2,
        "built_sslv2": built_sslv2,
    }
    for name in args or builders:
        builders[name](os.path.join(out, name + ".pcap"))


if __name__ == "__main__":
    main()
