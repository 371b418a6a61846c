#!/usr/bin/env python3
"""verdicts.py SYNACK: the TLS analysis of every real capture here against its .expect.

Each scenario NAME was captured at the client and at the server at once
(NAME.client.pcap, NAME.server.pcap; see README.md for how and what tshark
shows in them). A capture no real sender can make is built by a script
instead (NAME.pcap alone: built_hostile.py). NAME.expect, written by hand
from those readings, holds lines

    SIDE PATH VALUE

SIDE is client, server, both (both captured ones, or the one built) or
built; PATH a dotted path into the connection's JSON
object (list items by number: tls.alerts.0.code); VALUE is compared with the
JSON value written as JSON (strings without quotes; null, true, false;
numbers). `PATH ~TEXT` checks that the string contains TEXT; `PATH #N` that a
list has N items. This runs `synack --json -r` on both captures, checks that
every line is JSON, that there is one connection, and the exit status.
"""
import json
import os
import subprocess
import sys


def analyze(synack, pcap):
    r = subprocess.run([synack, "--json", "-r", pcap], capture_output=True, text=True,
                       env=dict(os.environ, TZ="UTC"))
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    conns = [o for o in objs if o["type"] == "connection"]
    assert objs and objs[-1]["type"] == "summary", "the summary comes last"
    want = 0 if all(c["verdict"]["ok"] for c in conns) else 1
    assert r.returncode == want, f"exit {r.returncode}, want {want}: {r.stderr}"
    assert len(conns) == 1, f"{len(conns)} connections, want 1"
    return conns[0]


def lookup(obj, path):
    for part in path.split("."):
        if isinstance(obj, list):
            obj = obj[int(part)]
        elif isinstance(obj, dict):
            obj = obj[part]
        else:
            raise KeyError(path)
    return obj


def matches(got, want):
    if want.startswith("~"):
        return isinstance(got, str) and want[1:] in got
    if want.startswith("#"):
        return isinstance(got, list) and len(got) == int(want[1:])
    if isinstance(got, str):
        return got == want
    return json.dumps(got) == want


def check(synack, here, name):
    problems = []
    lines = [l.rstrip("\n").split(None, 2) for l in open(os.path.join(here, name + ".expect"))
             if l.strip() and not l.startswith("#")]
    built = not os.path.exists(os.path.join(here, f"{name}.client.pcap"))
    for side in ("built",) if built else ("client", "server"):
        pcap = os.path.join(here, f"{name}.pcap" if built else f"{name}.{side}.pcap")
        try:
            conn = analyze(synack, pcap)
        except (AssertionError, ValueError) as e:
            problems.append(f"{side}: {e}")
            continue
        for who, path, want in lines:
            if who not in (side, "both"):
                continue
            try:
                got = lookup(conn, path)
            except (KeyError, IndexError, ValueError):
                problems.append(f"{side}: {path}: missing, want {want}")
                continue
            if not matches(got, want):
                problems.append(f"{side}: {path} = {json.dumps(got)}, want {want}")
    return problems


def main():
    synack = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    names = sorted(f[:-7] for f in os.listdir(here) if f.endswith(".expect"))
    failed = 0
    for name in names:
        problems = check(synack, here, name)
        print(("ok - " if not problems else "not ok - ") + name)
        for p in problems:
            print("    " + p)
        failed += bool(problems)
    print(f"{len(names) - failed} passed, {failed} failed")
    sys.exit(1 if failed or not names else 0)


if __name__ == "__main__":
    main()
