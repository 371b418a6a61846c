#!/usr/bin/env python3
"""TCP endpoints for the handshake-verdict captures (standard library only).

  serve ADDR PORT [--count N] [--request B] [--reply B] [--abort]
        [--abort-before-data] [--echo] [--accept-timeout S]
        Accept N connections one after the other. Default: read B bytes of
        request (until EOF when 0), send --reply bytes, shutdown(SHUT_WR)
        (server FIN first), read until the client's FIN, close.
        --abort-before-data: SO_LINGER {1,0} + close right after accept (RST).
        --abort: read the request, send the reply, then abort with RST.
        --echo: echo every chunk back until EOF, then close.
  client ADDR PORT --outcome ok|refused|timeout|unreachable|reset
        [--send B] [--expect B] [--sport P] [--syncnt N] [--timeout S]
        [--abort] [--repeat N] [--gap S]
        Connect (socket timeout S; TCP_SYNCNT N when given: note that Linux
        adds net.ipv4.tcp_syn_linear_timeouts to it in SYN_SENT, so the socket
        timeout is what bounds the SYN count), exchange, close; exit 0 only when the outcome is the
        one announced. --sport binds a fixed source port (SO_REUSEADDR).
        --repeat N: N connections from that same port, --gap seconds apart;
        --abort: close every connection but the last with RST
        (SO_LINGER {1,0}), otherwise close normally.
  periodic ADDR PORT --ready FILE --go FILE [--chunk B] [--interval S]
        [--before N] [--after N]
        Connect, send --before chunks, one every --interval seconds (reading
        each echo), create the --ready file, stay idle until the --go file
        exists, then send --after more chunks the same way and close (FIN).
  badsynack ADDR PORT [--count N] [--ack-offset K] [--timeout S]
        Raw IPv4 socket (IPPROTO_TCP): for every SYN to ADDR:PORT received,
        send a hand-built SYN-ACK whose ack is ISN+1+K (wrong unless K=0),
        IP header by the kernel, TCP header and checksum built here.
Every blocking operation has a timeout, so nothing hangs.
"""
import argparse
import errno
import os
import socket
import struct
import sys
import time

TCP_SYNCNT = getattr(socket, "TCP_SYNCNT", 7)


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def pattern(n):
    base = b"synack conn fixture 0123456789abcdefghijklmnopqrstuvwxyz\n"
    return (base * (n // len(base) + 1))[:n]


def say(msg):
    print(f"connapp: {msg}", file=sys.stderr, flush=True)


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


# ---------------------------------------------------------------- server

def cmd_serve(a):
    ls = socket.socket(family(a.addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, a.port))
    ls.listen(8)
    ls.settimeout(a.accept_timeout)
    for _ in range(a.count):
        try:
            c, peer = ls.accept()
        except socket.timeout:
            say("serve: no connection (accept timed out)")
            break
        c.settimeout(5)
        if a.abort_before_data:
            time.sleep(0.1)
            abort(c)
            continue
        try:
            if a.echo:
                while True:
                    b = c.recv(65536)
                    if not b:
                        break
                    c.sendall(b)
                c.close()
                continue
            recv_exact(c, a.request)
            if a.reply:
                c.sendall(pattern(a.reply))
            if a.abort:
                time.sleep(0.1)
                abort(c)
                continue
            c.shutdown(socket.SHUT_WR)
            recv_exact(c, 0)
        except (socket.timeout, ConnectionResetError, BrokenPipeError) as e:
            say(f"serve: {e!r}")
        c.close()
    ls.close()
    return 0


# ---------------------------------------------------------------- client

OUTCOME = {
    errno.ECONNREFUSED: "refused",
    errno.ETIMEDOUT: "timeout",
    errno.EHOSTUNREACH: "unreachable",
    errno.ENETUNREACH: "unreachable",
    errno.EACCES: "unreachable",
    errno.EPERM: "unreachable",
    errno.ECONNRESET: "reset",
}


def one_client(a, last):
    fam = family(a.addr)
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    if a.syncnt:
        s.setsockopt(socket.IPPROTO_TCP, TCP_SYNCNT, a.syncnt)
    if a.sport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.sport))
    t0 = time.monotonic()
    try:
        s.connect((a.addr, a.port))
    except socket.timeout:
        s.close()
        return "timeout", f"socket timeout after {time.monotonic() - t0:.2f}s"
    except OSError as e:
        s.close()
        return OUTCOME.get(e.errno, f"errno{e.errno}"), \
            f"{e.strerror} after {time.monotonic() - t0:.2f}s"
    try:
        if a.send:
            s.sendall(pattern(a.send))
        got = recv_exact(s, a.expect)
        if a.abort and not last:
            time.sleep(0.1)
            abort(s)
            return "ok", f"received {got}, aborted"
        if a.expect:
            recv_exact(s, 0)   # until the server's FIN
        s.close()
        return "ok", f"received {got}"
    except (ConnectionResetError, BrokenPipeError) as e:
        s.close()
        return "reset", repr(e)
    except socket.timeout:
        s.close()
        return "timeout", "no data"


def cmd_client(a):
    rc = 0
    for i in range(a.repeat):
        got, detail = one_client(a, i == a.repeat - 1)
        ok = got == a.outcome
        say(f"client {a.addr} {a.port} #{i + 1}: {got} ({detail})"
            + ("" if ok else f", expected {a.outcome}"))
        if not ok:
            rc = 1
        if i + 1 < a.repeat:
            time.sleep(a.gap)
    return rc


def cmd_periodic(a):
    s = socket.create_connection((a.addr, a.port), timeout=5)
    for _ in range(a.before):
        s.sendall(pattern(a.chunk))
        recv_exact(s, a.chunk)
        time.sleep(a.interval)
    open(a.ready, "w").close()
    deadline = time.monotonic() + 15
    while not os.path.exists(a.go):
        if time.monotonic() > deadline:
            say("periodic: go file never appeared")
            return 1
        time.sleep(0.05)
    for i in range(a.after):
        s.sendall(pattern(a.chunk))
        recv_exact(s, a.chunk)
        if i + 1 < a.after:
            time.sleep(a.interval)
    s.close()
    say(f"periodic: {a.before} + {a.after} chunks of {a.chunk} bytes echoed")
    return 0


# ---------------------------------------------------------------- raw SYN-ACK

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def cmd_badsynack(a):
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    r.settimeout(a.timeout)
    me = socket.inet_aton(a.addr)
    answered = 0
    isn = 0x5EED0000
    while answered < a.count:
        try:
            pkt, _ = r.recvfrom(65535)
        except socket.timeout:
            break
        ihl = (pkt[0] & 0x0F) * 4
        if pkt[9] != 6 or pkt[16:20] != me or len(pkt) < ihl + 20:
            continue
        src = pkt[12:16]
        sport, dport, seq, _ack, off, flags = struct.unpack("!HHIIBB", pkt[ihl:ihl + 14])
        if dport != a.port or flags & 0x3F != 0x02:    # SYN only
            continue
        ack = (seq + 1 + a.ack_offset) & 0xFFFFFFFF
        opts = struct.pack("!BBH", 2, 4, 1460)          # MSS 1460
        hlen = 20 + len(opts)
        hdr = struct.pack("!HHIIBBHHH", dport, sport, isn, ack, (hlen // 4) << 4,
                          0x12, 64240, 0, 0) + opts
        pseudo = me + src + struct.pack("!BBH", 0, 6, hlen)
        c = csum(pseudo + hdr)
        hdr = hdr[:16] + struct.pack("!H", c) + hdr[18:]
        r.sendto(hdr, (socket.inet_ntoa(src), 0))
        answered += 1
        say(f"badsynack: SYN seq {seq} from port {sport}: SYN-ACK seq {isn} ack {ack}"
            f" (expected {(seq + 1) & 0xFFFFFFFF})")
    r.close()
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sv = sub.add_parser("serve")
    sv.add_argument("addr"); sv.add_argument("port", type=int)
    sv.add_argument("--count", type=int, default=1)
    sv.add_argument("--request", type=int, default=0)
    sv.add_argument("--reply", type=int, default=0)
    sv.add_argument("--abort", action="store_true")
    sv.add_argument("--abort-before-data", action="store_true")
    sv.add_argument("--echo", action="store_true")
    sv.add_argument("--accept-timeout", type=float, default=20)
    cl = sub.add_parser("client")
    cl.add_argument("addr"); cl.add_argument("port", type=int)
    cl.add_argument("--outcome", required=True,
                    choices=["ok", "refused", "timeout", "unreachable", "reset"])
    cl.add_argument("--send", type=int, default=0)
    cl.add_argument("--expect", type=int, default=0)
    cl.add_argument("--sport", type=int, default=0)
    cl.add_argument("--syncnt", type=int, default=0)
    cl.add_argument("--timeout", type=float, default=4)
    cl.add_argument("--abort", action="store_true")
    cl.add_argument("--repeat", type=int, default=1)
    cl.add_argument("--gap", type=float, default=0.3)
    pe = sub.add_parser("periodic")
    pe.add_argument("addr"); pe.add_argument("port", type=int)
    pe.add_argument("--ready", required=True)
    pe.add_argument("--go", required=True)
    pe.add_argument("--before", type=int, default=4)
    pe.add_argument("--chunk", type=int, default=64)
    pe.add_argument("--interval", type=float, default=0.25)
    pe.add_argument("--after", type=int, default=3)
    bs = sub.add_parser("badsynack")
    bs.add_argument("addr"); bs.add_argument("port", type=int)
    bs.add_argument("--count", type=int, default=3)
    bs.add_argument("--ack-offset", type=int, default=100000)
    bs.add_argument("--timeout", type=float, default=8)
    a = p.parse_args()
    return {"serve": cmd_serve, "client": cmd_client, "periodic": cmd_periodic,
            "badsynack": cmd_badsynack}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
