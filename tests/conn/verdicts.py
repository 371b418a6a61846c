#!/usr/bin/env python3
"""verdicts.py SYNACK: the analysis of every real capture here against its .expect.

Each scenario NAME was captured at the client and at the server at once
(NAME.client.pcap, NAME.server.pcap). NAME.expect, written from reading the
captures with tcpdump, says what each side must conclude. This runs
`synack --json -r` on both, checks that every line is valid JSON and the exit
status (0 all completed, 1 otherwise), that the triage groups add up and
healthy connections are lean, and compares the keys below. Keys the
JSON does not carry (per-flag packet counts and the like) are listed in SKIP.
"""
import json
import os
import re
import subprocess
import sys

SKIP = {"scenario", "endpoints", "rst_count", "fin_count", "syn_isns", "synack_isns",
        "icmp_quotes_syn", "icmp_proto", "icmp_count", "rst_after", "rst_flags",
        "synack_ack_minus_isn", "tls"}


def analyze(synack, pcap):
    r = subprocess.run([synack, "--json", "-r", pcap], capture_output=True, text=True,
                       env=dict(os.environ, TZ="UTC"))
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    conns = [o for o in objs if o["type"] == "connection"]
    summary = [o for o in objs if o["type"] == "summary"]
    assert len(summary) == 1 and objs[-1]["type"] == "summary", "one summary, last"
    want_status = 0 if all(c["verdict"]["ok"] for c in conns) else 1
    assert r.returncode == want_status, f"exit {r.returncode}, want {want_status}: {r.stderr}"
    assert summary[0]["connections"] == len(conns)
    groups = [o for o in objs if o["type"] == "group"]
    assert [o["type"] for o in objs] == ["connection"] * len(conns) + ["group"] * len(groups) + ["summary"], \
        "not the connections, then the groups, then the summary"
    assert sum(g["connections"] for g in groups) == len(conns), "the groups do not add up to the connections"
    ids = {c["id"] for c in conns}
    assert all(i in ids for g in groups for i in g["examples"]), "a group's example is not a connection"
    for c in conns:
        # lean when healthy (no -v): no explanation, next step or evidence; whole when failed
        lean = [k for k in ("explanation", "next_step") if k in c["verdict"]] + \
            [k for k in ("evidence", "evidence_omitted") if k in c]
        assert len(lean) == (0 if c["verdict"]["ok"] else 4), f"connection {c['id']} (ok {c['verdict']['ok']}) has {lean}"
        assert re.fullmatch(r"1:[A-Za-z0-9+/]{27}=", c.get("community_id", "")), f"community_id {c.get('community_id')!r}"
    return conns, summary[0]


def approx(want, got):
    """'~1000,~1000' against a list of numbers: within 25% each."""
    parts = want.split(",")
    if len(parts) != len(got):
        return False
    return all(abs(g - float(w.lstrip("~"))) <= 0.25 * float(w.lstrip("~")) for w, g in zip(parts, got))


def value(key, conns, summary):
    c = conns[0] if conns else None
    if key.startswith("conn") and "." in key:
        i, key = key.split(".", 1)
        c = conns[int(i[4:]) - 1]
        conns = [c]
    tcp = c["tcp"] if c else {}
    simple = {
        "connections": lambda: len(conns) if key != "connections" else summary["connections"],
        "packets": lambda: summary["packets"],
        "verdict": lambda: c["verdict"]["code"] if c else "none",
        "syn_count": lambda: sum(x["tcp"]["syn_count"] for x in conns),
        "synack_count": lambda: sum(x["tcp"]["synack_count"] for x in conns),
        "handshake": lambda: tcp["handshake"],
        "close": lambda: tcp["close"],
        "payload_bytes.client": lambda: c["payload_bytes"]["client"],
        "payload_bytes.server": lambda: c["payload_bytes"]["server"],
        "icmp_type": lambda: tcp["icmp"]["type"],
        "icmp_code": lambda: tcp["icmp"]["code"],
        "icmp_from": lambda: tcp["icmp"]["from"],
        "icmp_sent_by": lambda: "destination" if tcp["icmp"]["from_destination"] else "router",
        "rst_from": lambda: c[tcp["rst"]["from"]]["ip"],
        "rst_ttl": lambda: tcp["rst"]["ttl"],
        "syn_intervals_ms": lambda: tcp["syn_intervals_ms"],
        "late_packets": lambda: summary.get("late_packets", 0),
        "summary": lambda: c["verdict"]["summary"],
        "explanation": lambda: c["verdict"]["explanation"],
        "next_step": lambda: c["verdict"]["next_step"],
    }
    return simple[key]()


def tcp_rst_side(conns):
    """rst_from may name a side rather than an address."""
    return conns[0]["tcp"]["rst"]["from"]


def check(synack, here, name):
    problems = []
    expect = [l.split(None, 1) for l in open(os.path.join(here, name + ".expect"))
              if l.strip() and not l.startswith("#")]
    for side in ("client", "server"):
        pcap = os.path.join(here, f"{name}.{side}.pcap")
        try:
            conns, summary = analyze(synack, pcap)
        except (AssertionError, ValueError) as e:
            problems.append(f"{side}: {e}")
            continue
        # what synack counts when its report was made early (an attempt refused or answered by an
        # ICMP error is reported at once: a retry after it is absorbed), where it differs from the
        # capture's own count (syn_count, which check_expect.sh checks against tcpdump)
        reported = {k[len(side) + 1:-len("_reported")]: v.strip() for k, v in expect
                    if k.startswith(side + ".") and k.endswith("_reported")}
        for key, want in ((k, v.strip()) for k, v in expect):
            if not key.startswith(side + "."):
                continue
            key = key[len(side) + 1:]
            if key.endswith("_reported"):
                continue
            want = reported.get(key, want)
            if key.split(".")[-1] in SKIP or key in SKIP:
                continue
            try:
                got = value(key, conns, summary)
            except (IndexError, KeyError, TypeError) as e:
                problems.append(f"{side}.{key}: missing ({e})")
                continue
            if key == "rst_from" and want in ("client", "server"):
                got = tcp_rst_side(conns)
            if key.endswith("syn_intervals_ms"):
                ok = approx(want, got)
            elif key in ("summary", "explanation", "next_step") and want.startswith("~"):
                ok = want[1:] in got
            elif key.endswith("syn_count") and want.startswith(">="):
                ok = got >= int(want[2:])
            else:
                ok = str(got) == want or (want.startswith(">=") and got >= int(want[2:]))
            if not ok:
                problems.append(f"{side}.{key}: want {want}, got {got}")
    return problems


def main():
    synack = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    names = sorted(f[:-7] for f in os.listdir(here) if f.endswith(".expect"))
    passed = failed = 0
    for name in names:
        problems = check(synack, here, name)
        if problems:
            failed += 1
            print(f"not ok - {name}")
            for p in problems:
                print("    " + p)
        else:
            passed += 1
            print(f"ok - {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
