#!/usr/bin/env python3
"""tests/docs/json_keys.py: docs/json.md lists exactly the keys synack writes.

    python3 tests/docs/json_keys.py SYNACK_BINARY [DOCS_JSON_MD]

Runs `SYNACK --json --packets -r CAPTURE`, `SYNACK --json --max-flows 1 -r
CAPTURE` (it hits a bound, so that the summary's `bounds` object appears) and
`SYNACK --json -v -r CAPTURE` (healthy connections whole) over every capture under tests/conn, tests/tls and tests/captures,
and collects the union of key paths of every object, by object type, with
the JSON types seen at each. Then reads the key tables of docs/json.md (a
table whose first header cell is "connection key", "packet key", "group
key" or "summary key"; each row's first cell a key path in backticks, followed by " †" when no
test capture produces it) and fails when:

  - a key appears in the output but not in the doc;
  - a key in the doc (not marked †) never appears in the output;
  - a key marked † appears in the output (remove the mark);
  - a value's JSON type is not one the doc's type cell allows.

Paths: "a.b" for nested keys, "a[]" for the elements of array a. Two
normalizations, as in the doc: every key under the summary's by_code is
"<code>", and tls.streams.client / tls.streams.server are tls.streams.<side>.

Exit 0 when the doc and the output agree, 1 when they do not, 2 on a setup
error (no binary, no doc, no capture, synack failed).
"""
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
ROOT = os.path.dirname(TESTS)
OBJECT_TYPES = ("connection", "packet", "group", "summary")
TYPE_WORDS = {"string", "integer", "number", "boolean", "object", "array", "null"}
RUNS = (["--json", "--packets"], ["--json", "--max-flows", "1"], ["--json", "-v"])
LINE_MAX = 256 * 1024   # docs/json.md: every line stays under this


def die(msg):
    print("json_keys: " + msg, file=sys.stderr)
    sys.exit(2)


def captures():
    found = glob.glob(os.path.join(TESTS, "conn", "*.pcap"))
    found += glob.glob(os.path.join(TESTS, "tls", "*.pcap"))
    found += [p for p in glob.glob(os.path.join(TESTS, "captures", "*.pcap*"))
              if p.endswith((".pcap", ".pcapng"))]
    return sorted(found)


def json_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def normalize(path):
    if path.startswith("by_code."):
        return "by_code.<code>"
    return re.sub(r"^tls\.streams\.(client|server)(?=\.|$)", "tls.streams.<side>", path)


def walk(seen, otype, value, path):
    """Record path -> {types} and path -> {element types} (for arrays)."""
    if path:
        key = normalize(path)
        entry = seen.setdefault((otype, key), {"types": set(), "elements": set()})
        entry["types"].add(json_type(value))
        if isinstance(value, list):
            entry["elements"].update(json_type(x) for x in value)
    if isinstance(value, dict):
        for k, v in value.items():
            walk(seen, otype, v, path + "." + k if path else k)
    elif isinstance(value, list):
        for v in value:
            walk_element(seen, otype, v, path + "[]")


def walk_element(seen, otype, value, path):
    # an array's element: its keys are recorded under "a[]."; the element
    # itself is described by the array's type cell ("array of object")
    if isinstance(value, dict):
        for k, v in value.items():
            walk(seen, otype, v, path + "." + k)
    elif isinstance(value, list):
        for v in value:
            walk_element(seen, otype, v, path + "[]")


def output_keys(synack):
    seen = {}
    caps = captures()
    if not caps:
        die("no capture found under " + TESTS)
    for cap in caps:
        for args in RUNS:
            r = subprocess.run([synack] + args + ["-r", cap], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=dict(os.environ, TZ="UTC"))
            if r.returncode not in (0, 1):
                die("%s %s -r %s: exit %d: %s" % (
                    synack, " ".join(args), cap, r.returncode,
                    r.stderr.decode("utf-8", "replace").strip()))
            for n, line in enumerate(r.stdout.decode("utf-8").splitlines(), 1):
                if len(line.encode("utf-8")) >= LINE_MAX:
                    die("%s line %d: %d bytes, over the bound" % (cap, n, len(line.encode("utf-8"))))
                try:
                    obj = json.loads(line)
                except ValueError as e:
                    die("%s line %d is not JSON (%s)" % (cap, n, e))
                otype = obj.get("type")
                if otype not in OBJECT_TYPES:
                    die("%s line %d: unknown object type %r" % (cap, n, otype))
                walk(seen, otype, obj, "")
    return seen


def parse_type_cell(cell, where):
    """'string or null' -> ({'string', 'null'}, set()); 'array of string' -> ({'array'}, {'string'})."""
    types, elements = set(), set()
    for alt in cell.replace("`", "").split(" or "):
        words = alt.strip().split()
        if len(words) == 3 and words[0] == "array" and words[1] == "of" and words[2] in TYPE_WORDS:
            types.add("array")
            elements.add(words[2])
        elif len(words) == 1 and words[0] in TYPE_WORDS:
            types.add(words[0])
        else:
            die("%s: cannot read the type %r" % (where, cell))
    return types, elements


def doc_keys(path):
    """(object type, key) -> {types, elements, untested} from the doc's key tables."""
    keys = {}
    otype = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for n, line in enumerate(lines, 1):
        if not line.startswith("|"):
            otype = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        header = re.fullmatch(r"(connection|packet|group|summary) key", cells[0])
        if header:
            otype = header.group(1)
            continue
        if otype is None or set(cells[0]) <= set("-: "):
            continue
        m = re.fullmatch(r"`([^`]+)`( †)?", cells[0])
        if not m or len(cells) < 2:
            die("%s:%d: a key row must start with `key` (and † when untested)" % (path, n))
        where = "%s:%d" % (path, n)
        key = (otype, m.group(1))
        if key in keys:
            die("%s: %s key %s listed twice" % (where, otype, m.group(1)))
        types, elements = parse_type_cell(cells[1], where)
        keys[key] = {"types": types, "elements": elements, "untested": bool(m.group(2)), "where": where}
    for t in OBJECT_TYPES:
        if not any(k[0] == t for k in keys):
            die("%s: no key table for the %s object" % (path, t))
    return keys


def main():
    if len(sys.argv) not in (2, 3):
        die("usage: " + __doc__.split("\n\n")[1].strip())
    synack = sys.argv[1]
    doc = sys.argv[2] if len(sys.argv) == 3 else os.path.join(ROOT, "docs", "json.md")
    if not os.access(synack, os.X_OK):
        die("%s: not an executable" % synack)
    if not os.path.exists(doc):
        die("%s: missing" % doc)
    seen = output_keys(synack)
    listed = doc_keys(doc)
    problems = []
    for (otype, key), got in sorted(seen.items()):
        want = listed.get((otype, key))
        if want is None:
            problems.append("%s key %s is in the output but not in %s" % (otype, key, doc))
            continue
        if want["untested"]:
            problems.append("%s: %s key %s is marked † but the test captures produce it: remove the mark"
                            % (want["where"], otype, key))
        bad = got["types"] - want["types"]
        if bad:
            problems.append("%s: %s key %s: output has %s, the doc allows %s" % (
                want["where"], otype, key, "/".join(sorted(bad)), "/".join(sorted(want["types"]))))
        bad = got["elements"] - want["elements"]
        if bad:
            problems.append("%s: %s key %s: elements of type %s, the doc allows %s" % (
                want["where"], otype, key, "/".join(sorted(bad)),
                "/".join(sorted(want["elements"])) or "no array"))
    for (otype, key), want in sorted(listed.items()):
        if not want["untested"] and (otype, key) not in seen:
            problems.append("%s: %s key %s is in the doc but no test capture produces it "
                            "(mark it † if that is expected)" % (want["where"], otype, key))
    for p in problems:
        print("not ok - " + p)
    n_seen = len(seen)
    n_untested = sum(1 for w in listed.values() if w["untested"])
    if problems:
        print("%d problems; %d keys in the output, %d in the doc (%d marked †)" % (
            len(problems), n_seen, len(listed), n_untested))
        return 1
    print("ok - %d keys in the output, all in %s; %d more there marked † (not produced by the tests)"
          % (n_seen, os.path.relpath(doc, ROOT), n_untested))
    return 0


if __name__ == "__main__":
    sys.exit(main())
