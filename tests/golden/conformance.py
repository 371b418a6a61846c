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
         hex dump included;
  tunnel (GRE, VXLAN, GENEVE, MPLS, PPPoE or a link layer cut short, carrying
         none of the above): whole.

A packet may take more than one line: a tunnel's inner frame on a line of its
own (VXLAN), a hex dump; the rules above apply to its lines together, the
"length N" cut to the last one.

Every other packet (other IP protocols, other link-layer types) is synack's
own wording, checked by the golden tests, and counted here as "other".

The captures of tests/conn and tests/tls have no goldens of their own: when
tcpdump 4.99 is installed, its output is made on the spot and compared the
same way (with --time-stamp-precision=nano for a nanosecond file, and
synack's --nano with it), else they are skipped with a note. The timestamp
formats (-t ... -ttttt, micro and nano) are compared by time_formats.py.

With tcpdump 4.99 installed, every capture is also compared with the flags
of FLAG_RUNS (-v, -x, -X, -XX, -A; -xx and -vv on a few), tcpdump run on the
spot. A packet is then split at the lines that begin a packet (a timestamp,
"[Invalid header", "[Error converting time]"): its text (the line, with -v
the lines of the IP header and of the transport, and the lines of a quoted
packet) and its dump (-x/-X: the lines "\t0x....:  " at its end; -A: every
line after the first). The text is compared by the rules above (joined by
newlines: for tcp up to ", length N" after "Flags ["), the dump whole and
byte for byte for every kind but "other".
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
    # tunnels and link layers whose packets carry none of the above (a cut header, a
    # protocol tcpdump does not decode further): whole
    ("tunnel", re.compile(r"GREv\d|VXLAN|Geneve|MPLS|PPPoE|truncated-pppoe|"
                          r"\[\|(gre|vxlan|geneve|mpls|pppoe|ppp|ppp_hdlc|ether|vlan|ipoib|chdlc|arcnet|802\.11|802\.11_radio|juniper_ether|enc|pflog|llc|snap)\]")),
)
# synack's line for a datagram tcpdump words by its port: it stops after the ports
UDP_PORTS_ONLY = re.compile(r"(\.\d+ > \S+\.\d+| \d+ > \d+):$")


def cut(line):
    m = LENGTH.search(line, line.find("Flags [") if "Flags [" in line else 0)
    return line[: m.end()] if m else line


# a packet's first line: its timestamp, or tcpdump's word for a header it cannot take
FIRST = re.compile(r"^(\d\d:\d\d:\d\d\.\d+ |\[Error converting time\] |\[Invalid header)")


# with flags: the line that begins a packet, and a line of -x/-X's dump
PACKET_START = re.compile(r"^(\d\d:\d\d:\d\d\.\d{6,9} |\[Invalid header|\[Error converting time\])")
DUMP_LINE = re.compile(r"^\t0x[0-9a-f]{4,}:  ")
# flags compared on the spot with tcpdump: on every capture, and on the few of FEW_FILES
FLAG_RUNS = (["-v"], ["-x"], ["-X"], ["-XX"], ["-A"])
FEW_FLAG_RUNS = (["-xx"], ["-AA"], ["-vv"], ["-v", "-X"], ["-S", "-v", "-x"])
FEW_FILES = ("hostile.pcap", "icmp_kinds.pcap", "ipv6.pcap", "sll2.pcap", "tls_loopback.pcap")


def ascii_only(extra):
    """-A without -x or -X (which tcpdump takes before it)."""
    return any(f.startswith("-A") for f in extra) and not any(f[1:2] in ("x", "X") for f in extra)


def split_flagged(text, extra):
    """(text, dump) of each packet of output made with flags."""
    out = []
    for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
        if out and not PACKET_START.match(line):
            out[-1].append(line)
        else:
            out.append([line])
    ascii_dump = ascii_only(extra)
    res = []
    for lines in out:
        if ascii_dump:
            res.append((lines[:1], lines[1:]))
            continue
        k = len(lines)
        while k > 1 and DUMP_LINE.match(lines[k - 1]):
            k -= 1
        res.append((lines[:k], lines[k:]))
    return res


def packets(text):
    """Each packet's line with the lines that follow it: tab-indented or empty ones (a hex
    dump), and those without a timestamp (a tunnel's inner frame, as VXLAN's, on a line of
    its own)."""
    out = []
    for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
        if out and not FIRST.match(line):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def main_lines(pkt):
    """A packet's lines without its hex dump: one, or more for a tunnel's inner frames."""
    return [line for line in pkt if line and not line.startswith("\t")] or pkt[:1]


def kind(want, got):
    if len(got) == 1 and UDP_PORTS_ONLY.search(got[0]):
        return "udp"        # synack stops at the ports: tcpdump goes on, maybe into an inner frame
    want, got = "\n".join(main_lines(want)), "\n".join(main_lines(got))
    for name, pattern in KINDS:
        if pattern.search(want) or pattern.search(got):
            return name
    return "udp" if UDP_PORTS_ONLY.search(got) else "other"


def same(k, want, got):
    """Whether synack's packet (got, its lines) is tcpdump's (want) as the rule for its kind says."""
    if k == "tcp":
        w, g = main_lines(want), main_lines(got)
        return w[:-1] == g[:-1] and cut(w[-1]) == cut(g[-1])
    if k == "udp" and len(got) == 1 and UDP_PORTS_ONLY.search(got[0]):
        rest = want[0][len(got[0]):]
        return want[0].startswith(got[0]) and (rest == "" or rest.startswith(" ")) and \
            not rest.startswith(" UDP, ")
    return want == got


def tcpdump_499():
    """Whether the tcpdump on PATH is 4.99.x, whose output the rules are made for."""
    try:
        out = subprocess.run(["tcpdump", "--version"], capture_output=True, text=True)
    except OSError:
        return False
    return re.search(r"^tcpdump version 4\.99\.", out.stdout + out.stderr, re.M) is not None


def nano(capture):
    """A nanosecond file, as bless_tcpdump.sh decides (pcapng: capinfos says so)."""
    with open(capture, "rb") as f:
        magic = f.read(4)
    if magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"):
        return True
    if magic == b"\x0a\x0d\x0d\x0a":
        out = subprocess.run(["capinfos", "-M", capture], capture_output=True, text=True)
        return "nanoseconds" in out.stdout
    return False


def tcpdump_now(capture, extra):
    env = dict(os.environ, TZ="UTC")
    prec = ["--time-stamp-precision=nano"] if nano(capture) else []
    return subprocess.run(["tcpdump", "-nn", *extra, *prec, "-r", capture], env=env,
                          capture_output=True, text=True, errors="replace").stdout


def compare_flagged(synack, capture, extra):
    """synack print with flags (extra) against tcpdump with them, run now."""
    env = dict(os.environ, TZ="UTC")
    prec = ["--nano"] if nano(capture) else []   # as tcpdump_now() asks tcpdump
    got = subprocess.run([synack, "print", *extra, *prec, "-r", capture], env=env,
                         capture_output=True, text=True, errors="replace")
    want = split_flagged(tcpdump_now(capture, extra), extra)
    have = split_flagged(got.stdout, extra)
    problems = []
    counts = {}
    if got.returncode != 0:
        problems.append(f"exit status {got.returncode}: {got.stderr.strip()}")
    if len(have) != len(want):
        problems.append(f"{len(have)} packets, tcpdump has {len(want)}")
    for i, ((wt, wd), (gt, gd)) in enumerate(zip(want, have), 1):
        k = kind(["\n".join(wt[:2])], ["\n".join(gt[:2])])
        counts[k] = counts.get(k, 0) + 1
        w, g = "\n".join(wt), "\n".join(gt)
        if k == "tcp" and " [|" in w[len(cut(w)):]:
            # tcpdump's application-layer printer (SSH, HTTP, ...) ran out of
            # bytes and longjmp()ed: its dump then starts at the link layer;
            # synack does not decode that layer, so only the text is compared
            counts["tcp-app-cut"] = counts.get("tcp-app-cut", 0) + 1
            wd = gd
        if k == "udp" and ascii_only(extra) and UDP_PORTS_ONLY.search(g.split("\n")[-1]):
            # a UDP protocol tcpdump decodes may end its text with a newline
            # before -A's own: the dump is compared from its end
            wd = wd[len(wd) - len(gd):] if len(wd) >= len(gd) else wd
        if k == "other" or (same(k, [w], [g]) and wd == gd):
            continue
        if k == "tcp":
            w, g = cut(w), cut(g)
        problems.append(f"packet {i} ({k}):\n  tcpdump: " + "\n           ".join([w] + wd) +
                        "\n  synack:  " + "\n           ".join([g] + gd))
    return counts, problems


def compare(synack, capture, golden, extra):
    """golden: tcpdump's output in a file, or None to run tcpdump now."""
    env = dict(os.environ, TZ="UTC")
    prec = ["--nano"] if nano(capture) else []   # as the goldens were made
    got = subprocess.run([synack, "print", *extra, *prec, "-r", capture], env=env,
                         capture_output=True, text=True, errors="replace")
    if golden is None:
        want = packets(tcpdump_now(capture, extra))
    else:
        want = packets(open(golden, encoding="utf-8", errors="replace").read())
    have = packets(got.stdout)
    problems = []
    counts = {}
    if got.returncode != 0:
        problems.append(f"exit status {got.returncode}: {got.stderr.strip()}")
    if len(have) != len(want):
        problems.append(f"{len(have)} packets, tcpdump has {len(want)}")
    for i, (w, g) in enumerate(zip(want, have), 1):
        k = kind(w, g)
        counts[k] = counts.get(k, 0) + 1
        if k == "other" or same(k, w, g):
            continue
        if k == "tcp":
            w, g = main_lines(w), main_lines(g)
            w, g = w[:-1] + [cut(w[-1])], g[:-1] + [cut(g[-1])]
        problems.append(f"packet {i} ({k}):\n  tcpdump: " + "\n           ".join(w) +
                        "\n  synack:  " + "\n           ".join(g))
    return counts, problems


def runs(root):
    """(name, capture, golden or None, extra, flagged) for every comparison to make."""
    here = os.path.join(root, "captures")
    for f in sorted(os.listdir(here)):
        for suffix, extra in ((".tcpdump", []), (".tcpdump-S", ["-S"])):
            golden = os.path.join(here, f + suffix)
            if os.path.exists(golden):
                yield f + suffix, os.path.join(here, f), golden, extra, False
    if not tcpdump_499():
        print("# tcpdump 4.99 not installed: tests/conn and tests/tls not compared")
        return
    for d in ("conn", "tls"):
        for f in sorted(os.listdir(os.path.join(root, d))):
            if f.endswith((".pcap", ".pcapng")):
                for extra in ([], ["-S"]):
                    yield f"{d}/{f} (tcpdump -nn{' -S' if extra else ''} now)", os.path.join(root, d, f), None, extra, False
    # -e (the link-level header): every capture of tests/captures and the first of
    # tests/conn and tests/tls, a sample of every link type and kind of packet
    for f in sorted(os.listdir(here)):
        if os.path.exists(os.path.join(here, f + ".tcpdump")):
            yield f"{f} (tcpdump -nn -e now)", os.path.join(here, f), None, ["-e"], False
    for d in ("conn", "tls"):
        first = sorted(f for f in os.listdir(os.path.join(root, d)) if f.endswith((".pcap", ".pcapng")))[:1]
        for f in first:
            yield f"{d}/{f} (tcpdump -nn -e now)", os.path.join(root, d, f), None, ["-e"], False
    # tunnels and link types: tcpdump now, plain, -S and -e, on every capture
    for d in ("captures/encap", "captures/print_synth"):
        if not os.path.isdir(os.path.join(root, d)):
            continue
        for f in sorted(os.listdir(os.path.join(root, d))):
            if f.endswith((".pcap", ".pcapng")):
                for extra in ([], ["-S"], ["-e"]):
                    yield f"{d}/{f} (tcpdump -nn{' ' if extra else ''}{' '.join(extra)} now)", \
                        os.path.join(root, d, f), None, extra, False
    # tcpdump's -v and dumps: every capture with FLAG_RUNS, a few with FEW_FLAG_RUNS
    for d in ("captures", "conn", "tls"):
        for f in sorted(os.listdir(os.path.join(root, d))):
            if f.endswith((".pcap", ".pcapng")):
                for extra in FLAG_RUNS + (FEW_FLAG_RUNS if f in FEW_FILES else ()):
                    yield f"{d}/{f} (tcpdump -nn {' '.join(extra)} now)", os.path.join(root, d, f), None, extra, True


def main():
    synack = sys.argv[1]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    passed = failed = 0
    total = {}
    for name, capture, golden, extra, flagged in runs(root):
        if flagged:
            counts, problems = compare_flagged(synack, capture, extra)
        else:
            counts, problems = compare(synack, capture, golden, extra)
        for k, n in counts.items():
            total[k] = total.get(k, 0) + n
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
