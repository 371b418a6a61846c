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
every line is JSON, that there is one connection, its Community ID, its one
triage group, and the exit status. A healthy connection is written lean (no
explanation, next step or evidence) unless -v: it is also run with -v, the
lean keys looked up there, and the rest must be the same.
"""
import json
import os
import re
import subprocess
import sys

LEAN = ("verdict.explanation", "verdict.next_step", "evidence", "evidence_omitted")


def run(synack, pcap, *opts):
    r = subprocess.run([synack, "--json", "-r", pcap, *opts], capture_output=True, text=True,
                       env=dict(os.environ, TZ="UTC"))
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    conns = [o for o in objs if o["type"] == "connection"]
    groups = [o for o in objs if o["type"] == "group"]
    assert objs and objs[-1]["type"] == "summary", "the summary comes last"
    assert [o["type"] for o in objs] == ["connection"] * len(conns) + ["group"] * len(groups) + ["summary"], \
        "not the connections, then the groups, then the summary"
    want = 0 if all(c["verdict"]["ok"] for c in conns) else 1
    assert r.returncode == want, f"exit {r.returncode}, want {want}: {r.stderr}"
    assert len(conns) == 1, f"{len(conns)} connections, want 1"
    return conns[0], groups


def has(obj, path):
    try:
        lookup(obj, path)
        return True
    except (KeyError, IndexError, ValueError):
        return False


def analyze(synack, pcap):
    """The connection (-v's lean keys in it too), or AssertionError: what is wrong."""
    conn, groups = run(synack, pcap)
    verbose, vgroups = run(synack, pcap, "-v")
    ok = conn["verdict"]["ok"]
    present = [k for k in LEAN if has(conn, k)]
    assert ok is not True or not present, f"healthy, yet not lean: has {present}"
    assert ok is True or len(present) == len(LEAN), f"failed, yet lean: has only {present}"
    assert all(has(verbose, k) for k in LEAN), "-v lacks some of " + ", ".join(LEAN)
    cid = conn.get("community_id")
    assert isinstance(cid, str) and re.fullmatch(r"1:[A-Za-z0-9+/]{27}=", cid), f"community_id {cid!r}"
    sni = ((conn.get("tls") or {}).get("client_hello") or {}).get("sni") or None
    g = groups[0] if len(groups) == 1 else {}
    want = {"code": conn["verdict"]["code"], "ok": ok, "server": conn["server"], "sni": sni,
            "connections": 1, "clients": 1, "examples": [conn["id"]], "examples_shown": 1,
            "next_step": None if ok else conn["verdict"]["next_step"]}
    got = {k: g.get(k) for k in want}
    assert got == want, f"groups {[{k: x.get(k) for k in want} for x in groups]}, want [{want}]"
    assert groups == vgroups, "the group objects differ with -v"
    # -v adds the lean keys (and, failed, more evidence), nothing else
    strip = json.loads(json.dumps(verbose))
    for k in ("explanation", "next_step"):
        if ok:
            strip["verdict"].pop(k, None)
    for k in ("evidence", "evidence_omitted"):
        strip.pop(k, None)
    base = {k: v for k, v in conn.items() if k not in ("evidence", "evidence_omitted")}
    assert base == strip, "-v changes more than the lean keys and the evidence"
    if ok:
        conn = json.loads(json.dumps(conn))
        for k in ("explanation", "next_step"):
            conn["verdict"][k] = verbose["verdict"][k]
        for k in ("evidence", "evidence_omitted"):
            conn[k] = verbose[k]
    return conn


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
