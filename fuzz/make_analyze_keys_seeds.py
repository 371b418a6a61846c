#!/usr/bin/env python3
"""make_analyze_keys_seeds.py: fuzz_analyze_keys' key log and seeds from tests/keylog.

Writes fuzz/fuzz_analyze_keys.h (every tests/keylog/*.keys line, as one C
string: the harness's fixed key log) and fuzz/corpus/fuzz_analyze_keys/:
per capture, its packets in fuzz_analyze's format (a link byte, then records
of a 2-byte big-endian length and the packet), once as they are (text
report) and once after a zero-filled record of length 0x0103 (fuzz_analyze
reads the first length's high byte as its flags: JSON and verbose).
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_seeds import LINKS, read_pcap  # noqa: E402

KEYS = os.path.join(HERE, "..", "tests", "keylog")


def main():
    lines = []
    for f in sorted(os.listdir(KEYS)):
        if f.endswith(".keys"):
            for line in open(os.path.join(KEYS, f)):
                line = line.strip()
                if line and not line.startswith("#"):
                    lines.append(line)
    with open(os.path.join(HERE, "fuzz_analyze_keys.h"), "w") as h:
        h.write("/* fuzz_analyze_keys.h: made by fuzz/make_analyze_keys_seeds.py from tests/keylog/ key logs"
                " (test sessions' secrets). */\n")
        h.write("static const char fuzz_analyze_keys[] =\n")
        for line in lines:
            h.write('\t"%s\\n"\n' % line)
        h.write("\t;\n")
    out = os.path.join(HERE, "corpus", "fuzz_analyze_keys")
    os.makedirs(out, exist_ok=True)
    n = 0
    for f in sorted(os.listdir(KEYS)):
        if not f.endswith(".pcap"):
            continue
        link, pkts = read_pcap(os.path.join(KEYS, f))
        if link is None or link not in LINKS or not pkts:
            continue
        body = b"".join(struct.pack(">H", len(p)) + p for p in pkts)
        name = f[:-len(".pcap")]
        open(os.path.join(out, name + "_text"), "wb").write(bytes([LINKS.index(link)]) + body)
        flags = struct.pack(">H", 0x0103) + bytes(0x0103)
        open(os.path.join(out, name + "_json"), "wb").write(bytes([LINKS.index(link)]) + flags + body)
        n += 2
    print("%d key log lines, %d seeds" % (len(lines), n))


if __name__ == "__main__":
    main()
