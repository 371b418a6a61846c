#!/usr/bin/env python3
"""verdicts.py SYNACK: connections inside tunnels and on other link types are the plain ones.

For each plain Ethernet capture below and each kind of wrap.py, the capture's
IP packets are put inside that tunnel (or on that link type) and analyzed:
the connections found (endpoints, verdict code, handshake, packets) must be
exactly those of the plain capture, each with the encapsulation wrap.py
expects in "encap" (none for a link type), and the text report must name it
("via ..."). The ICMP errors of icmp.pcap travel inside the tunnel too, so
their verdicts show that errors quoting an inner packet find its connection.
"deep" nests five VXLANs: nothing is analyzed, exit 1, and stderr says why.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import wrap  # noqa: E402

CAPTURES = ["icmp.pcap", "rst.pcap", "ipv6.pcap", "tls_loopback.pcap", "triage.pcap"]


def run(synack, pcap, *args):
    return subprocess.run([synack, *args, "-r", pcap], capture_output=True, text=True,
                          env=dict(os.environ, TZ="UTC"))


def conns(synack, pcap):
    r = run(synack, pcap, "--json")
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    return r, [o for o in objs if o["type"] == "connection"]


def key(c):
    return (c["client"]["ip"], c["client"]["port"], c["server"]["ip"], c["server"]["port"],
            c["verdict"]["code"], c["tcp"]["handshake"], c["packets"]["client"], c["packets"]["server"])


def main():
    synack = sys.argv[1]
    caps = os.path.join(HERE, "..", "captures")
    failures = checks = 0
    with tempfile.TemporaryDirectory() as tmp:
        for cap in CAPTURES:
            src = os.path.join(caps, cap)
            _, plain = conns(synack, src)
            assert plain, f"{cap}: no connection in the plain capture"
            for kind in wrap.KINDS:
                out = os.path.join(tmp, f"{kind}_{cap}")
                wrap.wrap(kind, src, out)
                r, got = conns(synack, out)
                checks += 1
                what = f"{kind} of {cap}"
                if kind == "deep":
                    ok = (r.returncode == 1 and not got and "encapsulations deep" in r.stderr)
                    msg = f"exit {r.returncode}, {len(got)} connections, stderr {r.stderr.strip()!r}"
                else:
                    wants = [wrap.expected_encap(kind, 6 if ":" in c["client"]["ip"] else 4) for c in got]
                    encaps = [c.get("encap") for c in got]
                    ok = sorted(map(key, got)) == sorted(map(key, plain)) and encaps == wants
                    msg = (f"connections {sorted(map(key, got))} want {sorted(map(key, plain))}; "
                           f"encap {encaps[:1]} want {wants[:1]}")
                    if ok and wants[0]:
                        lines = run(synack, out).stdout.split("\n")
                        heads = [i for i, line in enumerate(lines) if line.startswith("[")]
                        ok = heads and all(lines[i + 1].startswith("  via    ") for i in heads)
                        msg = "a connection's text report does not say 'via' under its first line"
                print(("ok - " if ok else "not ok - ") + what + ("" if ok else ": " + msg))
                failures += not ok
    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
