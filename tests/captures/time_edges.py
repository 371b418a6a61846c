#!/usr/bin/env python3
"""time_edges.py: BUILT captures for tcpdump's timestamp formats (-t ... -ttttt, micro and nano).

The two packets of rst.pcap (a real SYN and the RST that refused it), copied
at chosen capture times: a first packet at a fraction of a second, a gap over
a day (the delta's hours wrap as tcpdump's do), a time going back, exactly
1970-01-01 00:00:00 (a -ttt reference of 0.0 counts as unset in tcpdump),
the last second before 2^31, and times past 2^31 and at 2^32 - 1 (which
tcpdump cannot convert). time_edges.pcap holds microseconds,
time_edges_nano.pcap the same times in nanoseconds (+123 ns each).
Run from this directory: python3 time_edges.py
"""
import struct

TIMES = [(1700000000, 500000), (1700090000, 750001), (1700089995, 1), (0, 0), (86399, 999999),
         (1700000000, 999999), (0x7fffffff, 5), (0x80000001, 5), (0xffffffff, 999999),
         (1700000001, 0)]


def records(path):
    data = open(path, "rb").read()
    assert struct.unpack("<I", data[:4])[0] == 0xa1b2c3d4, "rst.pcap: little-endian microsecond pcap"
    off, out = 24, []
    while off + 16 <= len(data):
        _, _, caplen, length = struct.unpack("<IIII", data[off:off + 16])
        out.append((length, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return out


def write(path, nano, pkts):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b23c4d if nano else 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        for i, (sec, usec) in enumerate(TIMES):
            length, body = pkts[i % len(pkts)]
            frac = usec * 1000 + 123 if nano else usec
            f.write(struct.pack("<IIII", sec, frac, len(body), length) + body)


def main():
    pkts = records("rst.pcap")
    write("time_edges.pcap", False, pkts)
    write("time_edges_nano.pcap", True, pkts)


if __name__ == "__main__":
    main()
