#!/usr/bin/env python3
"""fuzz/make_keylog_seeds.py: seeds for fuzz_keylog (key log text) and fuzz_dsb (pcapng files with DSBs).

    python3 fuzz/make_keylog_seeds.py      (from the source tree; rewrites the seeds it names)
"""
import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def seed(target, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def h(start, n):
    return bytes((start + i) & 0xff for i in range(n)).hex()


def line(label, rs, ss, n):
    return "%s %s %s" % (label, h(rs, 32), h(ss, n))


LABELS = [("CLIENT_RANDOM", 48), ("CLIENT_EARLY_TRAFFIC_SECRET", 32), ("CLIENT_HANDSHAKE_TRAFFIC_SECRET", 32),
          ("SERVER_HANDSHAKE_TRAFFIC_SECRET", 48), ("CLIENT_TRAFFIC_SECRET_0", 32), ("SERVER_TRAFFIC_SECRET_0", 48),
          ("EXPORTER_SECRET", 32), ("ECH_SECRET", 64), ("ECH_CONFIG", 70)]

every = "\n".join(line(l, i % 3, i, n) for i, (l, n) in enumerate(LABELS)) + "\n"
texts = [
    every,
    "# comment\r\n" + every.replace("\n", "\r\n"),
    every.replace("\n", "\r").upper(),
    line("CLIENT_RANDOM", 1, 1, 48) + "\n" + line("CLIENT_RANDOM", 1, 2, 48) + "\n" + line("CLIENT_RANDOM", 1, 1, 48),
    "CLIENT_RANDOM 00 11\nCLIENT_RANDOM %s 0g\nNEW_LABEL a b\n\t \n%s\n" % (h(0, 32), "x" * 5000),
    "".join(line("CLIENT_HANDSHAKE_TRAFFIC_SECRET", i, i, 32) + "\n" for i in range(8)),
]
for t in texts:
    seed("fuzz_keylog", t.encode())


def block(le, btype, body):
    e = "<" if le else ">"
    body += b"\0" * ((4 - len(body) % 4) % 4)
    n = 12 + len(body)
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)


def shb(le):
    e = "<" if le else ">"
    return block(le, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1))


def dsb(le, stype, text):
    e = "<" if le else ">"
    return block(le, 0x0000000A, struct.pack(e + "II", stype, len(text)) + text)


idb = lambda le: block(le, 1, struct.pack("<" if le else ">", ) + struct.pack(("<" if le else ">") + "HHI", 1, 0, 65535))
t = every.encode()
seed("fuzz_dsb", shb(1) + idb(1) + dsb(1, 0x544c534b, t))
seed("fuzz_dsb", shb(0) + dsb(0, 0x544c534b, t[:200]) + dsb(0, 0x5353484b, b"ssh") + shb(1) + dsb(1, 0x544c534b, t[200:]))
seed("fuzz_dsb", shb(1) + dsb(1, 0x544c534b, b""))
seed("fuzz_dsb", bytes.fromhex("d4c3b2a10200040000000000000000000000040001000000"))
with open(os.path.join(HERE, "..", "tests", "keys", "nano_dsb.pcapng"), "rb") as f:
    seed("fuzz_dsb", f.read())
