#!/usr/bin/env python3
"""Build captures of link types Linux cannot capture here from a real
Ethernet capture, by replacing each frame's Ethernet header with the link
header of TYPE (standard library only; classic pcap in and out, the input's
timestamps, precision and snapshot length kept; non-IP frames dropped).

  relink_types.py TYPE OUT IN.pcap
  relink_types.py all OUTDIR IN.pcap      (writes OUTDIR/link_TYPE.pcap)

The side that sent the first frame is the client ("out", sent); the other
is the server ("in", received). TYPE (LINKTYPE value): link header written
  ppp (9)            RFC 1661/1662: IPv4 with the HDLC-like address and
                     control bytes ff 03 then protocol 0x0021; IPv6 without
                     them, protocol 0x0057 alone (both forms are allowed)
  ppp_hdlc (50)      ff 03, then PPP protocol 0x0021 / 0x0057
  c_hdlc (104)       Cisco HDLC: address 0x0f (unicast), control 0x00,
                     ethertype 0x0800 / 0x86dd
  ipoib (242)        RFC 4391 as tcpdump reads it: a 40-byte InfiniBand GRH
                     (IP version 6, payload length, next header 0x1b, hop
                     limit 1, source and destination GIDs fe80::2:c903:0:a/b)
                     then the 4-byte IPoIB header: ethertype, reserved 0
  arcnet_bsd (7)     source id, destination id (0x0a client, 0x0b server),
                     RFC 1201 system code 0xd4 (IPv4) / RFC 2497 0xc4
                     (IPv6), split flag 0, sequence number (counts up)
  arcnet_linux (129) source, destination, 2-byte offset 0, then as above
                     (system code, split flag 0, sequence number)
  juniper_ether (178) magic "MGC", flags: 0x80 (extensions present) plus
                     0x01 for packets received (server to client); 2-byte
                     extension length 6 and one TLV: type 1 (IFD index),
                     length 4, value 7 (little-endian, as Juniper TLVs
                     below 128 are); then the Ethernet frame unchanged
  ieee802_11 (105)   802.11 data frame (type 2 subtype 0), no FCS: client to
                     server ToDS (addr1 BSSID 02:00:00:00:00:ee, addr2 client,
                     addr3 server), server to client FromDS (addr1 client,
                     addr2 BSSID, addr3 server); duration 0; sequence number
                     counting up; then LLC/SNAP aa aa 03 00 00 00 + ethertype
  radiotap (127)     the same 802.11 frame behind a radiotap header (version
                     0, length 16, present: flags, rate, channel, antenna
                     signal): flags 0, 6 Mb/s, 2437 MHz OFDM 2.4 GHz, -40 dBm
  enc (109)          OpenBSD enc(4): address family (2 IPv4, 24 IPv6), SPI,
                     flags, 4 bytes each in the writer's byte order (here
                     little-endian); SPI 0x1000 client to server, 0x2000
                     back; flags 0x0400|0x0800 (M_CONF|M_AUTH: ESP, AH) on
                     IPv4, 0 on IPv6
  pflog (117)        OpenBSD/FreeBSD pfloghdr: length 61 (padded to 64),
                     family 2 / 24, action pass (0) client to server and
                     block (1) back, reason match (0), interface "em0",
                     ruleset "" , rule 3, subrule -1, uid and pid -1,
                     rule uid and pid -1, direction out (2) / in (1)
802.11 frames carry no protection (the Protected bit is clear). ARCNET
packets over 508 bytes would be split on a real link; here they are not.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from relink import read_pcap, ip_of  # noqa: E402

TYPES = {"ppp": 9, "ppp_hdlc": 50, "c_hdlc": 104, "ipoib": 242, "arcnet_bsd": 7,
         "arcnet_linux": 129, "juniper_ether": 178, "ieee802_11": 105, "radiotap": 127,
         "enc": 109, "pflog": 117}
BSSID = bytes.fromhex("0200000000ee")
GID = {0: bytes.fromhex("fe800000000000000002c9030000000a"),
       1: bytes.fromhex("fe800000000000000002c9030000000b")}
ARC_ID = {0: 0x0A, 1: 0x0B}


class Builder:
    def __init__(self, kind):
        self.kind, self.seq = kind, 0

    def header(self, frame, et, ip, into_server):
        """Link header for one packet; into_server: client -> server."""
        k, v6 = self.kind, et == 0x86DD
        src, dst = (0, 1) if into_server else (1, 0)
        self.seq += 1
        if k == "ppp":
            return struct.pack("!H", 0x0057) if v6 else b"\xff\x03" + struct.pack("!H", 0x0021)
        if k == "ppp_hdlc":
            return b"\xff\x03" + struct.pack("!H", 0x0057 if v6 else 0x0021)
        if k == "c_hdlc":
            return b"\x0f\x00" + struct.pack("!H", et)
        if k == "ipoib":
            grh = struct.pack("!IHBB", 0x60000000, len(ip) + 4, 0x1B, 1) + GID[src] + GID[dst]
            return grh + struct.pack("!HH", et, 0)
        if k in ("arcnet_bsd", "arcnet_linux"):
            code = 0xC4 if v6 else 0xD4
            ids = bytes([ARC_ID[src], ARC_ID[dst]])
            off = b"\0\0" if k == "arcnet_linux" else b""
            return ids + off + struct.pack("!BBH", code, 0, self.seq & 0xFFFF)
        if k == "juniper_ether":
            flags = 0x80 | (0 if into_server else 0x01)
            ext = struct.pack("<BBI", 1, 4, 7)
            return b"MGC" + bytes([flags]) + struct.pack("!H", len(ext)) + ext + frame[:14]
        if k in ("ieee802_11", "radiotap"):
            if into_server:
                fc, a1, a2, a3 = 0x0108, BSSID, frame[6:12], frame[0:6]
            else:
                fc, a1, a2, a3 = 0x0208, frame[0:6], BSSID, frame[6:12]
            # frame control is little-endian on the air: byte 0 type/subtype, byte 1 flags
            wlan = struct.pack("<HH", fc, 0) + a1 + a2 + a3 + struct.pack("<H", (self.seq & 0xFFF) << 4)
            wlan += b"\xaa\xaa\x03\x00\x00\x00" + struct.pack("!H", et)
            if k == "ieee802_11":
                return wlan
            # present: bit 1 flags, bit 2 rate, bit 3 channel, bit 5 dBm antenna signal
            present = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5)
            body = struct.pack("<BBHHb", 0x00, 12, 2437, 0x00C0, -40)
            rt = struct.pack("<BBHI", 0, 0, 8 + len(body) + 1, present) + body + b"\0"
            return rt + wlan
        if k == "enc":
            af = 24 if v6 else 2
            flags = 0 if v6 else 0x0C00
            return struct.pack("<I", af) + struct.pack("!I", 0x1000 if into_server else 0x2000) + struct.pack("<I", flags)
        if k == "pflog":
            af = 24 if v6 else 2
            hdr = struct.pack("!BBBB16s16sIIIIII", 61, af, 0 if into_server else 1, 0, b"em0", b"",
                              3, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
            return hdr + bytes([2 if into_server else 1]) + b"\0\0\0"
        raise SystemExit(f"unknown type {k}")


def build(kind, out, inp):
    magic, snaplen, pkts = read_pcap(inp)
    b = Builder(kind)
    client = None
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snaplen + 64, TYPES[kind]))
        for sec, frac, orig, frame in pkts:
            r = ip_of(frame)
            if r is None:
                continue
            et, ip, removed = r
            if client is None:
                client = frame[6:12]
            hdr = b.header(frame, et, ip, frame[6:12] == client)
            body = hdr + ip
            f.write(struct.pack("<IIII", sec, frac, len(body), orig - removed + len(hdr)))
            f.write(body)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in list(TYPES) + ["all"]:
        raise SystemExit(__doc__)
    kind, out, inp = sys.argv[1:]
    if kind == "all":
        for k in TYPES:
            build(k, os.path.join(out, f"link_{k}.pcap"), inp)
    else:
        build(kind, out, inp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
