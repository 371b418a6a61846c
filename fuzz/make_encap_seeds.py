#!/usr/bin/env python3
"""make_encap_seeds.py: fuzz seeds for the tunnels and link types (issue 13), from tests/encap/wrap.py.

    python3 fuzz/make_encap_seeds.py

Wraps tests/captures/icmp.pcap (TCP SYNs, RSTs and ICMP errors quoting them)
in each kind of wrap.py and writes its first 8 frames, in fuzz_common.h's
format (byte 0 the link type's index in fuzz_links, then 2-byte lengths),
as fuzz/corpus/fuzz_decode/encap-KIND and fuzz/corpus/fuzz_analyze/encap-KIND.
"""
import os
import struct
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "encap"))
import wrap  # noqa: E402

# fuzz_common.h's fuzz_links, in order
LINKS = [1, 113, 276, 0, 108, 101, 228, 229, 9, 50, 104, 242, 7, 129, 178, 105, 127, 109, 117]


def main():
    src = os.path.join(ROOT, "tests", "captures", "icmp.pcap")
    with tempfile.TemporaryDirectory() as tmp:
        for kind, (link, _, _) in wrap.KINDS.items():
            out = os.path.join(tmp, kind)
            wrap.wrap(kind, src, out)
            _, pkts = wrap.read_pcap_any(out)
            seed = bytes([LINKS.index(link)])
            for _, _, frame, _ in pkts[:8]:
                seed += struct.pack("!H", len(frame)) + frame
            for target in ("fuzz_decode", "fuzz_analyze"):
                with open(os.path.join(ROOT, "fuzz", "corpus", target, "encap-" + kind), "wb") as f:
                    f.write(seed)


if __name__ == "__main__":
    main()
