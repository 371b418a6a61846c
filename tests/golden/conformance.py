#!/usr/bin/env python3
"""conformance.py: synack print against tcpdump 4.99's own output, kept beside each capture.

For every capture F in tests/captures with F.tcpdump (tcpdump -nn) and
F.tcpdump-S (tcpdump -nn -S): run `synack print [-S] -r F` and compare line
by line. Both outputs must have one line per packet. Every line where
tcpdump's TCP printer ran (it shows "Flags [" or stops with "[|tcp]" or a
bad header length) must be byte-identical up to and including ", length N"
(what tcpdump prints after that, its application-layer decode, is out of
scope). Other lines are synack's own and are checked by the golden tests.
"""
import os
import re
import subprocess
import sys

LENGTH = re.compile(r", length \d+")
TCP_LINE = re.compile(r"(Flags \[|\[\|tcp\]|\[\|mptcp\]|: tcp \d+ \[bad hdr length)")


def cut(line):
    m = LENGTH.search(line, line.find("Flags [") if "Flags [" in line else 0)
    return line[: m.end()] if m else line


def compare(synack, capture, golden, extra):
    env = dict(os.environ, TZ="UTC")
    got = subprocess.run([synack, "print", *extra, "-r", capture], env=env,
                         capture_output=True, text=True, errors="replace")
    want = open(golden, encoding="utf-8", errors="replace").read().splitlines()
    lines = got.stdout.splitlines()
    problems = []
    if got.returncode != 0:
        problems.append(f"exit status {got.returncode}: {got.stderr.strip()}")
    if len(lines) != len(want):
        problems.append(f"{len(lines)} lines, tcpdump has {len(want)}")
    compared = 0
    for i, (w, g) in enumerate(zip(want, lines), 1):
        if not TCP_LINE.search(w):
            continue
        compared += 1
        if cut(w) != cut(g):
            problems.append(f"line {i}:\n  tcpdump: {cut(w)}\n  synack:  {cut(g)}")
    return compared, problems


def main():
    synack = sys.argv[1]
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "captures")
    captures = sorted(f for f in os.listdir(here)
                      if os.path.exists(os.path.join(here, f + ".tcpdump")))
    passed = failed = lines = 0
    for f in captures:
        for suffix, extra in ((".tcpdump", []), (".tcpdump-S", ["-S"])):
            golden = os.path.join(here, f + suffix)
            if not os.path.exists(golden):
                continue
            n, problems = compare(synack, os.path.join(here, f), golden, extra)
            lines += n
            name = f + suffix
            if problems:
                failed += 1
                print(f"not ok - {name}")
                for p in problems[:10]:
                    print("   ", p)
            else:
                passed += 1
                print(f"ok - {name} ({n} TCP lines identical)")
    print(f"{lines} TCP lines compared with tcpdump")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
