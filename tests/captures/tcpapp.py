#!/usr/bin/env python3
"""Tiny TCP/UDP endpoints used by the capture scripts (standard library only).

  serve  ADDR PORT [--count N] [--reply BYTES] [--request BYTES] [--abort]
         accept N connections one after the other; for each: read BYTES of
         request (or until EOF when 0), send --reply bytes, then close
         (or abort with RST when --abort: SO_LINGER {1,0}).
  client ADDR PORT [--send BYTES] [--expect BYTES] [--abort] [--ipopts HEX]
         [--hopopts HEX] [--dstopts HEX] [--mss N] [--rcvbuf N] [--no-df]
         connect, send, read --expect bytes (or until EOF), close / abort.
         --refused: a refused or unreachable connect is the expected outcome.
  udpsink ADDR PORT [--count N]   receive datagrams
  udpsend ADDR PORT --size BYTES [--count N] [--hopopts HEX]
Every socket operation has a timeout, so nothing hangs.
"""
import argparse
import socket
import struct
import sys
import time

TIMEOUT = 10.0


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def pattern(n):
    base = b"synack capture fixture 0123456789abcdefghijklmnopqrstuvwxyz\n"
    return (base * (n // len(base) + 1))[:n]


def recv_exact(s, n):
    got = 0
    while n == 0 or got < n:
        b = s.recv(65536 if n == 0 else min(65536, n - got))
        if not b:
            break
        got += len(b)
    return got


def abort(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def cmd_serve(a):
    fam = family(a.addr)
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.rcvbuf:
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    ls.bind((a.addr, a.port))
    ls.listen(8)
    ls.settimeout(30)
    for _ in range(a.count):
        c, _peer = ls.accept()
        c.settimeout(TIMEOUT)
        recv_exact(c, a.request)
        if a.reply:
            c.sendall(pattern(a.reply))
        if a.abort:
            time.sleep(0.2)
            abort(c)
            continue
        c.shutdown(socket.SHUT_WR)
        try:
            recv_exact(c, 0)  # until the client's FIN
        except (socket.timeout, ConnectionResetError):
            pass
        c.close()
    ls.close()


def cmd_client(a):
    fam = family(a.addr)
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    if a.ipopts:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, bytes.fromhex(a.ipopts))
    if a.hopopts:
        s.setsockopt(socket.IPPROTO_IPV6, 54, bytes.fromhex(a.hopopts))  # IPV6_HOPOPTS
    if a.dstopts:
        s.setsockopt(socket.IPPROTO_IPV6, 59, bytes.fromhex(a.dstopts))  # IPV6_DSTOPTS
    if a.mss:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, a.mss)
    if a.no_df:  # IP_MTU_DISCOVER = IP_PMTUDISC_DONT: DF clear, routers may fragment
        s.setsockopt(socket.IPPROTO_IP, 10, 0)
    if a.rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    if a.sport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.sport))
    try:
        s.connect((a.addr, a.port))
    except OSError as e:
        if a.refused:
            print(f"connect {a.addr} {a.port}: {e.strerror} (expected)", file=sys.stderr)
            return 0
        raise
    if a.refused:
        print(f"connect {a.addr} {a.port}: unexpectedly succeeded", file=sys.stderr)
        return 1
    if a.send:
        s.sendall(pattern(a.send))
    if a.half_close:
        s.shutdown(socket.SHUT_WR)
    if a.abort:
        if a.expect:
            recv_exact(s, a.expect)
        time.sleep(0.2)
        abort(s)
        return 0
    try:
        recv_exact(s, a.expect)
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return 0


def cmd_udpsink(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    s.settimeout(TIMEOUT)
    for _ in range(a.count):
        try:
            s.recv(65536)
        except socket.timeout:
            break


def cmd_udpsend(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    if a.hopopts:
        s.setsockopt(socket.IPPROTO_IPV6, 54, bytes.fromhex(a.hopopts))
    for _ in range(a.count):
        s.sendto(pattern(a.size), (a.addr, a.port))
        time.sleep(0.05)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sv = sub.add_parser("serve")
    sv.add_argument("addr"); sv.add_argument("port", type=int)
    sv.add_argument("--count", type=int, default=1)
    sv.add_argument("--request", type=int, default=0)
    sv.add_argument("--reply", type=int, default=0)
    sv.add_argument("--abort", action="store_true")
    sv.add_argument("--rcvbuf", type=int, default=0)
    cl = sub.add_parser("client")
    cl.add_argument("addr"); cl.add_argument("port", type=int)
    cl.add_argument("--send", type=int, default=0)
    cl.add_argument("--expect", type=int, default=0)
    cl.add_argument("--abort", action="store_true")
    cl.add_argument("--half-close", action="store_true")
    cl.add_argument("--refused", action="store_true")
    cl.add_argument("--ipopts"); cl.add_argument("--hopopts"); cl.add_argument("--dstopts")
    cl.add_argument("--mss", type=int, default=0)
    cl.add_argument("--rcvbuf", type=int, default=0)
    cl.add_argument("--sport", type=int, default=0)
    cl.add_argument("--no-df", action="store_true")
    us = sub.add_parser("udpsink")
    us.add_argument("addr"); us.add_argument("port", type=int)
    us.add_argument("--count", type=int, default=1)
    ud = sub.add_parser("udpsend")
    ud.add_argument("addr"); ud.add_argument("port", type=int)
    ud.add_argument("--size", type=int, required=True)
    ud.add_argument("--count", type=int, default=1)
    ud.add_argument("--hopopts")
    a = p.parse_args()
    return {"serve": cmd_serve, "client": cmd_client,
            "udpsink": cmd_udpsink, "udpsend": cmd_udpsend}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
