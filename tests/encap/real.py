#!/usr/bin/env python3
"""real.py SYNACK: the analysis of the real tunnel and link-type captures of tests/captures/encap.

Each capture there carries some of the same inner connections (its
README.md, "The inner connections"): 1 TLS 1.3 to SERVER:4433, 2 refused
at SERVER:4434, 3 unanswered (3 SYNs) at SERVER:4435, 4 TLS 1.3 to
[2001:db8:1::2]:4433. The table below, checked by hand once against that
README and the captures' tcpdump output, says for each capture which
connections it holds, over which inner IP version, and the "encap" array
every one of them must carry (outer addresses, VNI, key, label, session).

For every capture, `synack --json -r` must find exactly those connections
(client 192.0.2.1 or 2001:db8:1::1, server 192.0.2.2 or 2001:db8:1::2, the
port, the verdict code, the handshake, the number of SYNs, TLS 1.3 and SNI
synack.test for the TLS ones), each with the expected "encap", exit 1 (two
of the three fail), a text report saying "via ..." under each connection
that came in a tunnel, and the same connections, in those respects, as
plain.pcap (the same traffic on a plain veth). The link-type captures are
built from plain.pcap itself (relink_types.py): for them the connections must
be plain.pcap's exactly, client ports and packet counts too.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CAPS = os.path.join(HERE, "..", "captures", "encap")

V4 = ("192.0.2.1", "192.0.2.2")
V6 = ("2001:db8:1::1", "2001:db8:1::2")
O4 = {"src": "203.0.113.1", "dst": "203.0.113.2"}
O6 = {"src": "2001:db8:ff::1", "dst": "2001:db8:ff::2"}

# The inner connections: server port, verdict code, handshake, SYNs, TLS.
CONN = {
    1: (4433, "tls.established", "completed", 1, True),
    2: (4434, "tcp.refused", "syn_sent", 1, False),
    3: (4435, "tcp.no_answer", "syn_sent", 3, False),
    4: (4433, "tls.established", "completed", 1, True),
}

LINK = ("link_arcnet_bsd", "link_arcnet_linux", "link_c_hdlc", "link_enc", "link_ieee802_11", "link_ipoib",
        "link_juniper_ether", "link_pflog", "link_ppp", "link_ppp_hdlc", "link_radiotap")


# capture: (connections, inner IP version of 1-3, the encap array of each connection)
TABLE = {
    "plain": ([1, 2, 3, 4], 4, None),
    "vxlan": ([1, 2, 3, 4], 4, [{"type": "vxlan", "outer": O4, "vni": 42}]),
    "vxlan6": ([1, 2, 3], 4, [{"type": "vxlan", "outer": O6, "vni": 42}]),
    "geneve": ([1, 2, 3], 4, [{"type": "geneve", "outer": O4, "vni": 42}]),
    "geneve_opt": ([1, 2, 3, 4], 4, [{"type": "geneve", "outer": O4, "vni": 42}]),
    "gre": ([1, 2, 3], 4, [{"type": "gre", "outer": O4}]),
    "gre_key_seq": ([1, 2, 3], 4, [{"type": "gre", "outer": O4, "key": 42}]),
    "gre_csum": ([1, 2, 3], 4, [{"type": "gre", "outer": O4, "key": 42}]),
    "gre6": ([1, 2, 3], 6, [{"type": "gre", "outer": O6}]),
    "gretap": ([1, 2, 3], 4, [{"type": "gre", "outer": O4}]),
    "erspan1": ([1, 2, 3], 4, [{"type": "erspan", "outer": O4, "erspan_type": 1}]),
    "erspan2": ([1, 2, 3], 4, [{"type": "erspan", "outer": O4, "erspan_type": 2, "session": 42}]),
    "erspan3": ([1, 2, 3], 4, [{"type": "erspan", "outer": O4, "erspan_type": 3, "session": 42}]),
    "wccp": ([1, 2, 3], 4, [{"type": "wccp", "outer": O4}]),
    "mpls1": ([1, 2, 3], 4, [{"type": "mpls", "label": 1000, "labels": 1}]),
    "mpls2": ([1, 2, 3], 4, [{"type": "mpls", "label": 1000, "labels": 2}]),
    "mpls_mc": ([1, 2, 3, 4], 4, [{"type": "mpls", "label": 1000, "labels": 1}]),
    "mpls_pw": ([1, 2, 3], 4, [{"type": "mpls", "label": 1000, "labels": 2}]),
    "gre_mpls": ([1, 2, 3], 4, [{"type": "gre", "outer": O4}, {"type": "mpls", "label": 1000, "labels": 1}]),
    "ipip": ([1, 2, 3], 4, [{"type": "ipip", "outer": O4}]),
    "6in4": ([1, 2, 3], 6, [{"type": "6in4", "outer": O4}]),
    "4in6": ([1, 2, 3], 4, [{"type": "4in6", "outer": O6}]),
    "6in6": ([1, 2, 3], 6, [{"type": "6in6", "outer": O6}]),
    "pppoe": ([1, 2, 3, 4], 4, [{"type": "pppoe", "session": 0x1234}]),
}
TABLE.update({name: ([1, 2, 3, 4], 4, None) for name in LINK})


def run(synack, pcap, *args):
    return subprocess.run([synack, *args, "-r", pcap], capture_output=True, text=True,
                          env=dict(os.environ, TZ="UTC"))


def analyze(synack, pcap):
    r = run(synack, pcap, "--json")
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    return r, [o for o in objs if o["type"] == "connection"]


def facts(c):
    """What any capture of the same traffic must agree on (ports and packets may differ)."""
    tls = c.get("tls") or {}
    ch = tls.get("client_hello") or {}
    return (c["client"]["ip"], c["server"]["ip"], c["server"]["port"], c["verdict"]["code"],
            c["verdict"]["ok"], c["tcp"]["handshake"], c["tcp"]["syn_count"],
            tls.get("version"), ch.get("sni"))


def exact(c):
    """All of it, for a capture built from plain.pcap's very packets."""
    return facts(c) + (c["client"]["port"], c["packets"]["client"], c["packets"]["server"],
                       c["payload_bytes"]["client"], c["payload_bytes"]["server"], c["tcp"]["history"])


def want_facts(n, family):
    port, code, hs, syns, tls = CONN[n]
    cli, srv = V6 if n == 4 or family == 6 else V4
    return (cli, srv, port, code, code == "tls.established", hs, syns,
            "TLS 1.3" if tls else None, "synack.test" if tls else None)


def check(synack, name, plain):
    """The failures of one capture, as strings."""
    nums, family, encap = TABLE[name]
    r, got = analyze(synack, os.path.join(CAPS, name + ".pcap"))
    bad = []
    if r.returncode != 1:
        bad.append(f"exit {r.returncode}, want 1 (stderr {r.stderr.strip()!r})")
    want = sorted(want_facts(n, family) for n in nums)
    have = sorted(map(facts, got))
    if have != want:
        bad.append(f"connections {have}, want {want}")
    encaps = [c.get("encap") for c in got]
    if any(e != encap for e in encaps):
        bad.append(f"encap {encaps}, want {encap} on each")
    # the same traffic on a plain veth: the same facts, the inner IP version aside
    mapped = {(f[2], f[0] in V6): f for f in map(facts, plain)}
    for f in have:
        p = mapped.get((f[2], f[0] in V6)) or mapped.get((f[2], False))
        if p is None or p[2:] != f[2:]:
            bad.append(f"{f} is not plain.pcap's {p}")
    if name in LINK and sorted(map(exact, got)) != sorted(map(exact, plain)):
        bad.append(f"not plain.pcap's connections exactly: {sorted(map(exact, got))}")
    if encap and not bad:
        lines = run(synack, os.path.join(CAPS, name + ".pcap")).stdout.split("\n")
        heads = [i for i, line in enumerate(lines) if line.startswith("[")]
        via = "  via    " + encap[0]["type"].lower()
        outer = encap[0].get("outer")
        if len(heads) != len(nums) or not all(
                lines[i + 1].lower().startswith(via) and
                (outer is None or f"{outer['src']} > {outer['dst']}" in lines[i + 1]) for i in heads):
            bad.append(f"the text report does not say {via.strip()!r} (and the outer addresses) "
                       "under each connection")
    return bad


def main():
    synack = sys.argv[1]
    on_disk = sorted(f[:-5] for f in os.listdir(CAPS) if f.endswith(".pcap"))
    if on_disk != sorted(TABLE):
        print(f"not ok - the table and the captures differ: {sorted(set(on_disk) ^ set(TABLE))}")
        return 1
    _, plain = analyze(synack, os.path.join(CAPS, "plain.pcap"))
    failures = 0
    for name in on_disk:
        bad = check(synack, name, plain)
        print(("ok - " if not bad else "not ok - ") + name + ".pcap" + ("" if not bad else ": " + "; ".join(bad)))
        failures += bool(bad)
    print(f"{len(on_disk) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
