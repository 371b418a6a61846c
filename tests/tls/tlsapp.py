#!/usr/bin/env python3
"""Misbehaving TLS-port servers for the tests/tls captures (standard library only).

  tlsapp.py ADDR PORT --mode fin|rst|silent [--hold S] [--accept-timeout S]

Accept one connection, read one complete TLS record (the ClientHello: 5-byte
record header, then as many bytes as its length field says), then
  fin     close normally: the kernel sends FIN (nothing was written)
  rst     close with SO_LINGER {1,0}: the kernel sends RST
  silent  never write; keep reading until EOF, keep the socket open until
          --hold seconds after accept, then close
Prints what it read on stderr. Every blocking call has a timeout.
"""
import argparse
import socket
import struct
import sys
import time


def say(msg):
    print(f"tlsapp: {msg}", file=sys.stderr, flush=True)


def read_record(s):
    buf = b""
    need = 5
    while len(buf) < need:
        b = s.recv(65536)
        if not b:
            break
        buf += b
        if len(buf) >= 5 and need == 5:
            need = 5 + struct.unpack("!H", buf[3:5])[0]
    return buf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("--mode", choices=["fin", "rst", "silent"], required=True)
    ap.add_argument("--hold", type=float, default=8.0)
    ap.add_argument("--accept-timeout", type=float, default=10.0)
    a = ap.parse_args()
    ls = socket.socket(socket.AF_INET6 if ":" in a.addr else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, a.port))
    ls.listen(1)
    ls.settimeout(a.accept_timeout)
    s, peer = ls.accept()
    t0 = time.monotonic()
    s.settimeout(a.hold)
    rec = read_record(s)
    say(f"read {len(rec)} bytes from {peer[0]}:{peer[1]}: first {rec[:6].hex()}")
    if a.mode == "rst":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    elif a.mode == "fin":
        s.close()
    else:
        try:
            while time.monotonic() - t0 < a.hold:
                s.settimeout(max(0.01, a.hold - (time.monotonic() - t0)))
                if not s.recv(65536):
                    say("client closed; holding the socket open")
                    break
        except socket.timeout:
            pass
        left = a.hold - (time.monotonic() - t0)
        if left > 0:
            time.sleep(left)
        s.close()
    ls.close()


if __name__ == "__main__":
    main()
