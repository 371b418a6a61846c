#!/usr/bin/env python3
"""One end of a point-to-point "wire" made of two tun devices in two network
namespaces (standard library only). Creates tun device NAME (IFF_TUN |
IFF_NO_PI: raw IPv4/IPv6 packets, no link header) in the current namespace
and relays packets between it and a UNIX datagram socket:
  tunrelay.py NAME MY_SOCKET PEER_SOCKET [LIFETIME_S]
Packets read from the tun go to PEER_SOCKET; datagrams received on MY_SOCKET
are written to the tun. Exits after LIFETIME_S (default 60) or on SIGTERM.
A capture on such a tun device has link type LINKTYPE_RAW (101).
"""
import fcntl
import os
import select
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000


def main():
    name, mine, peer = sys.argv[1], sys.argv[2], sys.argv[3]
    lifetime = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", name.encode(), IFF_TUN | IFF_NO_PI))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.exists(mine):
        os.unlink(mine)
    s.bind(mine)
    end = time.monotonic() + lifetime
    while time.monotonic() < end:
        r, _, _ = select.select([fd, s], [], [], 0.5)
        if fd in r:
            pkt = os.read(fd, 65536)
            try:
                s.sendto(pkt, peer)
            except OSError:
                pass  # peer not up yet: the wire drops it
        if s in r:
            os.write(fd, s.recv(65536))
    return 0


if __name__ == "__main__":
    sys.exit(main())
