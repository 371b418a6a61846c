#!/usr/bin/env python3
"""conformance.py: synack print against tcpdump 4.99's own output, kept beside each capture.

For every capture F in tests/captures with F.tcpdump (tcpdump -nn) and
F.tcpdump-S (tcpdump -nn -S): run `synack print [-S] -r F` and compare packet
by packet. A packet's output is its line and the lines after it that begin
with a tab or are empty (the hex dump tcpdump adds after a message it cannot
word); both outputs must have as many packets. These packets are compared:

  tcp    (tcpdump's TCP printer ran: "Flags [", "[|tcp]", a bad header
         length): byte-identical up to and including ", length N" (what
         tcpdump prints after it is its application-layer decode, out of
         scope);
  udp    ("UDP, ", "[|udp]", "truncated-udp" in either line, or synack's
         line ends at the ports, "... > dst.dport:", where tcpdump hands the
         datagram to the printer of a protocol: DNS, NTP, DHCP, ...): whole,
         or, for such a port, tcpdump's line must go on from synack's with
         something other than "UDP, ";
  icmp, icmp6, arp  ("ICMP ", "ICMP6, ", "ARP, " or their "[|...]"): whole,
         hex dump included.

Every other packet (other IP protocols, other link-layer types) is synack's
own wording, checked by the golden tests, and counted here as "other".
"""
import os
import re
import subprocess
import sys

LENGTH = re.compile(r", length \d+")
KINDS = (
    ("tcp", re.compile(r": Flags \[|\[\|tcp\]|\[\|mptcp\]|: tcp \d+ \[bad hdr length")),
    ("icmp6", re.compile(r": ICMP6, |\[\|icmp6\]")),
    ("icmp", re.compile(r": ICMP |\[\|icmp\]")),
    ("arp", re.compile(r"(^|\s)ARP, |\[\|arp\]")),
    ("udp", re.compile(r": UDP, |\[\|udp\]|: truncated-udp")),
)
# synack's line for a datagram tcpdump words by its port: it stops after the ports
UDP_PORTS_ONLY = re.compile(r"(\.\d+ > \S+\.\d+| \d+ > \d+):$")


def cut(line):
    m = LENGTH.search(line, line.find("Flags [") if "Flags [" in line else 0)
    return line[: m.end()] if m else line


def packets(text):
    """Each packet's line with the tab-indented (or empty) lines that follow it."""
    out = []
    for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
        if out and (line.startswith("\t") or line == ""):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def kind(want, got):
    for name, pattern in KINDS:
        if pattern.search(want) or pattern.search(got):
            return name
    return "udp" if UDP_PORTS_ONLY.search(got) else "other"


def same(k, want, got):
    """Whether synack's packet (got, its lines) is tcpdump's (want) as the rule for its kind says."""
    if k == "tcp":
        return cut(want[0]) == cut(got[0])
    if k == "udp" and len(got) == 1 and UDP_PORTS_ONLY.search(got[0]):
        rest = want[0][len(got[0]):]
        return want[0].startswith(got[0]) and (rest == "" or rest.startswith(" ")) and \
            not rest.startswith(" UDP, ")
    return want == got


def compare(synack, capture, golden, extra):
    env = dict(os.environ, TZ="UTC")
    got = subprocess.run([synack, "print", *extra, "-r", capture], env=env,
                         capture_output=True, text=True, errors="replace")
    want = packets(open(golden, encoding="utf-8", errors="replace").read())
    have = packets(got.stdout)
    problems = []
    counts = {}
    if got.returncode != 0:
        problems.append(f"exit status {got.returncode}: {got.stderr.strip()}")
    if len(have) != len(want):
        problems.append(f"{len(have)} packets, tcpdump has {len(want)}")
    for i, (w, g) in enumerate(zip(want, have), 1):
        k = kind(w[0], g[0])
        counts[k] = counts.get(k, 0) + 1
        if k == "other" or same(k, w, g):
            continue
        if k == "tcp":
            w, g = [cut(w[0])], [cut(g[0])]
        problems.append(f"packet {i} ({k}):\n  tcpdump: " + "\n           ".join(w) +
                        "\n  synack:  " + "\n           ".join(g))
    return counts, problems


def main():
    synack = sys.argv[1]
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "captures")
    captures = sorted(f for f in os.listdir(here)
                      if os.path.exists(os.path.join(here, f + ".tcpdump")))
    passed = failed = 0
    total = {}
    for f in captures:
        for suffix, extra in ((".tcpdump", []), (".tcpdump-S", ["-S"])):
            golden = os.path.join(here, f + suffix)
            if not os.path.exists(golden):
                continue
            counts, problems = compare(synack, os.path.join(here, f), golden, extra)
            for k, n in counts.items():
                total[k] = total.get(k, 0) + n
            name = f + suffix
            shown = ", ".join(f"{k} {counts[k]}" for k, _ in KINDS + (("other", None),) if k in counts)
            if problems:
                failed += 1
                print(f"not ok - {name}")
                for p in problems[:10]:
                    print("   ", p)
            else:
                passed += 1
                print(f"ok - {name} ({shown})")
    print("packets compared with tcpdump: " +
          ", ".join(f"{k} {total.get(k, 0)}" for k, _ in KINDS) +
          f"; not compared (other): {total.get('other', 0)}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
