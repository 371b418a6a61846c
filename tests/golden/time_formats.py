#!/usr/bin/env python3
"""time_formats.py SYNACK: tcpdump's timestamp options, against tcpdump 4.99 run on the spot.

For the captures below, each of -t, -tt, -ttt, -tttt, -ttttt and none, with
and without --nano (tcpdump: --time-stamp-precision=nano), in two time zones:
`synack print` must give tcpdump's packets (compared as conformance.py does:
TCP lines up to ", length N"). time_edges*.pcap are built for the edges (a
day-long gap, time going back, 0.0, 2^31 and past it); the others are real.
Then the analysis: with -tttt its evidence lines carry the date, with -ttt
each connection's lines count from its first.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance  # noqa: E402

CAPTURES = ("time_edges.pcap", "time_edges_nano.pcap", "nano.pcapng", "nano_pcap.pcap", "rst.pcap",
            "hostile.pcap", "icmp.pcap", "sll2.pcap")
FORMATS = ([], ["-t"], ["-tt"], ["-ttt"], ["-tttt"], ["-ttttt"])


def run(cmd, tz):
    env = dict(os.environ, TZ=tz)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, errors="replace")


def compare(synack, capture, tsopt, nano, tz):
    want = conformance.packets(run(["tcpdump", "-nn", *tsopt, *(["--time-stamp-precision=nano"] if nano else []),
                                    "-r", capture], tz).stdout)
    got = run([synack, "print", *tsopt, *(["--nano"] if nano else []), "-r", capture], tz)
    have = conformance.packets(got.stdout)
    problems = []
    if got.returncode != 0:
        problems.append(f"exit status {got.returncode}: {got.stderr.strip()}")
    if len(have) != len(want):
        problems.append(f"{len(have)} packets, tcpdump has {len(want)}")
    for i, (w, g) in enumerate(zip(want, have), 1):
        k = conformance.kind(w[0], g[0])
        if k != "other" and not conformance.same(k, w, g):
            problems.append(f"packet {i}:\n  tcpdump: {w[0]}\n  synack:  {g[0]}")
    return problems


def analysis_checks(synack, here):
    """The evidence lines follow the options too."""
    problems = []
    cap = os.path.join(here, "rst.pcap")
    out = run([synack, "-tttt", "--all", "-r", cap], "UTC").stdout
    if "2026-11-21 05:55:06.297931 IP 192.0.2.1.41836 > 192.0.2.2.5002: Flags [S]" not in out:
        problems.append("analysis -tttt: no dated evidence line for rst.pcap's SYN")
    out = run([synack, "-ttt", "--all", "-r", cap], "UTC").stdout
    if " 00:00:00.000000 IP 192.0.2.1.41836 > 192.0.2.2.5002: Flags [S]" not in out or \
            " 00:00:00.000026 IP 192.0.2.2.5002 > 192.0.2.1.41836: Flags [R.]" not in out:
        problems.append("analysis -ttt: evidence lines do not count from the connection's first")
    out = run([synack, "--json", "-r", os.path.join(here, "nano.pcapng")], "UTC").stdout
    if '"first_ts":1795240515.342441' not in out.replace(" ", "") or "1795240515.342441" not in out:
        problems.append("analysis --json: the nanosecond file's times are not kept in nanoseconds")
    return problems


def main():
    synack = sys.argv[1]
    if not conformance.tcpdump_499():
        print("SKIP: tcpdump 4.99 is needed to compare timestamp formats")
        return 77
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "captures")
    passed = failed = 0
    for name in CAPTURES:
        for tsopt in FORMATS:
            for nano in (False, True):
                for tz in ("UTC", "Asia/Kolkata"):
                    problems = compare(synack, os.path.join(here, name), tsopt, nano, tz)
                    label = f"{name} {' '.join(tsopt) or '(default)'}{' --nano' if nano else ''} TZ={tz}"
                    if problems:
                        failed += 1
                        print(f"not ok - {label}")
                        for p in problems[:5]:
                            print("   ", p)
                    else:
                        passed += 1
    problems = analysis_checks(synack, here)
    for p in problems:
        failed += 1
        print(f"not ok - {p}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
