#!/usr/bin/env python3
"""hsmsgs.py PCAP: the clear TLS handshake messages of each direction, "SIDE TYPE LENGTH" a line.

For checks tshark cannot make: Wireshark 4.0 does not reassemble a handshake
message longer than 64 KiB (it shows its records as "Encrypted Handshake
Message"). Reads a classic pcap (Ethernet, IPv4, TCP) holding one
connection, orders each direction's payload by sequence number (the first
copy of a byte wins), and reads TLS records up to each side's
ChangeCipherSpec. The side that sent the SYN is the client.
"""
import struct
import sys


def packets(path):
    data = open(path, "rb").read()
    e = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        yield data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def streams(path):
    segs, isn, client = {}, {}, None
    for p in packets(path):
        if len(p) < 14 + 20 or p[12:14] != b"\x08\x00" or p[14 + 9] != 6:
            continue
        ihl = (p[14] & 15) * 4
        ip_len = struct.unpack(">H", p[16:18])[0]
        src, dst = p[26:30], p[30:34]
        t = 14 + ihl
        sport, dport, seq = struct.unpack(">HHI", p[t:t + 8])
        doff, flags = p[t + 12] >> 4, p[t + 13]
        payload = p[t + doff * 4:14 + ip_len]
        key = (src, sport)
        if flags & 0x02:
            isn[key] = seq
            if not flags & 0x10:
                client = key
        if payload and key in isn:
            segs.setdefault(key, []).append(((seq - isn[key] - 1) % 2**32, payload))
    out = {}
    for key, lst in segs.items():
        buf = bytearray()
        for off, pl in sorted(lst, key=lambda x: x[0]):
            if off <= len(buf) < off + len(pl):
                buf += pl[len(buf) - off:]
        out["client" if key == client else "server"] = bytes(buf)
    return out


def messages(stream):
    hs, i = b"", 0
    while i + 5 <= len(stream):
        ctype, length = stream[i], struct.unpack(">H", stream[i + 3:i + 5])[0]
        body = stream[i + 5:i + 5 + length]
        i += 5 + length
        if ctype == 20:
            break
        if ctype != 22:
            continue
        hs += body
        while len(hs) >= 4:
            n = struct.unpack(">I", b"\0" + hs[1:4])[0]
            if len(hs) < 4 + n:
                break
            yield hs[0], n
            hs = hs[4 + n:]


def main():
    for side, s in sorted(streams(sys.argv[1]).items()):
        for t, n in messages(s):
            print(side, t, n)


if __name__ == "__main__":
    main()
