#!/usr/bin/env python3
"""kinds_difftest.py: a differential test of `synack print` against tcpdump on
mutated UDP, ICMP, ICMPv6 and ARP packets (difftest.sh does it for TCP).

    python3 tests/captures/kinds_difftest.py SYNACK [N [SEED]]

Takes every packet of icmp_kinds.pcap, udp_kinds.pcap and arp_kinds.pcap
(kinds.py), makes N mutated copies of each file's packets (1 to 4 bytes of
the first 100 after the Ethernet header set to values that steer parsers:
0-8, 17, 44, 58, 0x80, 0xff or random; a third of them cut at a random
length), prints them with tcpdump -nn (TZ=UTC) and with synack, and compares
them by conformance.py's rules. Exit 0 when every compared packet agrees, 1
otherwise (the first differences are shown), 77 without tcpdump. Standard
library only; the same seed gives the same packets.
"""
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "golden"))
import conformance  # noqa: E402

STEER = (0, 1, 2, 3, 4, 5, 6, 8, 17, 44, 58, 0x80, 0xFF)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    linktype = struct.unpack("<I", data[20:24])[0]
    frames, off = [], 24
    while off + 16 <= len(data):
        caplen = struct.unpack("<I", data[off + 8:off + 12])[0]
        frames.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return linktype, frames


def mutate(rng, frames, n):
    out = []
    for _ in range(n):
        data = bytearray(rng.choice(frames))
        for _ in range(rng.randint(1, 4)):
            if len(data) > 14:
                pos = rng.randrange(14, min(len(data), 114))
                data[pos] = rng.choice(STEER) if rng.random() < 0.7 else rng.randrange(256)
        wire = len(data)
        if rng.random() < 0.3:
            data = data[:rng.randrange(14, len(data) + 1)]
        out.append((bytes(data), wire))
    return out


def write_pcap(path, linktype, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for i, (data, wire) in enumerate(frames):
            f.write(struct.pack("<IIII", 1767225600 + i // 100, (i % 100) * 10000, len(data), wire))
            f.write(data)


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().split("\n\n")[1])
        return 2
    synack = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    if shutil.which("tcpdump") is None:
        print("SKIP: tcpdump not installed")
        return 77
    rng = random.Random(seed)
    env = dict(os.environ, TZ="UTC")
    bad = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("icmp_kinds", "udp_kinds", "arp_kinds"):
            linktype, frames = read_pcap(os.path.join(HERE, name + ".pcap"))
            path = os.path.join(tmp, name + ".pcap")
            write_pcap(path, linktype, mutate(rng, frames, n))
            want = conformance.packets(subprocess.run(["tcpdump", "-nn", "-r", path], env=env,
                                                      capture_output=True).stdout.decode("utf-8", "replace"))
            run = subprocess.run([synack, "print", "-r", path], env=env, capture_output=True)
            have = conformance.packets(run.stdout.decode("utf-8", "replace"))
            if run.returncode != 0 or len(want) != len(have):
                print(f"{name}: exit {run.returncode}, {len(have)} packets, tcpdump {len(want)}")
                bad += 1
            for i, (w, g) in enumerate(zip(want, have), 1):
                k = conformance.kind(w[0], g[0])
                total += k != "other"
                if k == "other" or conformance.same(k, w, g):
                    continue
                bad += 1
                if bad <= 10:
                    print(f"{name} mutated packet {i} ({k}):\n  tcpdump: " + "\n           ".join(w) +
                          "\n  synack:  " + "\n           ".join(g))
    print(f"seed {seed}: {total} packets compared, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
