#!/usr/bin/env python3
"""tests/layers/check.py: the code keeps the layer arrows, and docs/architecture.md lists them.

    python3 tests/layers/check.py [SOURCE_DIR]

Reads the synack_layer(NAME SOURCES ... DEPENDS ...) calls of CMakeLists.txt.
A stage is one such call; its folder is src/NAME. DEPENDS names that are not
stages (PkgConfig::PCAP, OpenSSL::Crypto) are libraries and ignored here. A
stage may include the headers of its own folder and of every stage it reaches
through DEPENDS, directly or not. Fails, listing every case, when:

  - a folder under src/ is no stage, or a stage has no folder;
  - a stage's SOURCES lists a file outside its own folder, or one that is missing;
  - a DEPENDS edge names an unknown stage, or the stages' DEPENDS form a cycle;
  - a .c or .h file in src/<stage>/ has `#include "x.h"` where x.h is another
    stage's header outside the allowed set (or no header under src/ at all);
  - a .c file under src/ is in no synack_layer (src/cli/main.c excepted: the
    executable compiles it);
  - a file of a stage in NARROWED includes one of the headers listed for it
    (directly: its arrows still reach them through the headers it may include),
    or names one of the internals listed for it outside a comment: the
    reports read a concluded connection through struct conn_view (view.h),
    not conn, TLS, stream or Zeek state;
  - docs/architecture.md's arrow table does not list exactly the DEPENDS edges
    between stages. The table is the one whose header row starts with
    `| stage | depends on |`; each row's first cell is a stage in backticks,
    the second the stages it depends on directly, each in backticks,
    separated by commas, or an em dash for none. Every stage has one row.

Then checks that the compiler enforces the arrows: with only the tcp stage's
include directories, `#include "tls.h"` must not compile; with the tls
stage's, it must; and every header of every stage must compile alone with
only its stage's allowed directories. Skipped, with a message, without `cc`.

`--selftest` runs the checks on made-up inputs that break each rule.
Exit 0 when everything holds, 1 when something does not, 2 on a setup error.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

LAYER_RE = re.compile(r'^\s*synack_layer\s*\(([^)]*)\)', re.M)
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
EXECUTABLE_ONLY = {"src/cli/main.c"}
COMMENT_RE = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)

# Stages that read another stage's state through a narrower header: {stage: (headers it may not
# include directly, a regex of internals it may not name, what to read instead)}.
NARROWED = {
    "report": ({"conn.h", "conn_app.h", "tcp_stream.h", "zeek.h", "zeek_int.h", "tls.h", "tls_int.h",
                "reasm.h", "reasm_int.h", "app.h"},
               re.compile(r'\bstruct\s+(conn|conn_app|tls_conn|tls_side|reasm|reasm_ext|zeek_conn)\b'
                          r'|\b(conn_tls|conn_app_state|tls_certificates|tls_issues|tls_issue_count|tls_seen'
                          r'|reasm_\w+|zeek_\w+)\s*\('),
               "struct conn_view (view.h)"),
}


def parse_layers(cmake_text, source_dir="${CMAKE_SOURCE_DIR}"):
    """[(name, [source paths relative to the tree], [depends])] in file order."""
    text = re.sub(r'#[^\n]*', '', cmake_text)
    layers = []
    for m in LAYER_RE.finditer(text):
        words = m.group(1).split()
        if not words:
            continue
        name, sources, depends, key = words[0], [], [], None
        for w in words[1:]:
            if w in ("SOURCES", "DEPENDS"):
                key = w
            elif key == "SOURCES":
                w = w.replace("${S}", "src").replace("${CMAKE_SOURCE_DIR}/", "")
                sources.append(w)
            elif key == "DEPENDS":
                depends.append(w)
        layers.append((name, sources, depends))
    return layers


def stage_graph(layers):
    """{stage: [stages it depends on directly]}, library names dropped."""
    names = {n for n, _, _ in layers}
    return {n: [d for d in deps if d in names] for n, _, deps in layers}


def closure(graph, stage):
    seen, todo = set(), [stage]
    while todo:
        s = todo.pop()
        if s in seen:
            continue
        seen.add(s)
        todo.extend(graph.get(s, []))
    return seen


def cycles(graph):
    """Each cycle once, as a list of stages [a, b, ..., a]."""
    found, state, stack = [], {}, []

    def visit(s):
        state[s] = 1
        stack.append(s)
        for d in graph.get(s, []):
            if state.get(d) == 1:
                found.append(stack[stack.index(d):] + [d])
            elif d in graph and state.get(d) is None:
                visit(d)
        stack.pop()
        state[s] = 2

    for s in sorted(graph):
        if state.get(s) is None:
            visit(s)
    return found


def parse_arrow_table(doc_text):
    """{stage: set(direct dependencies)} from the doc's arrow table, or None if there is none."""
    rows, in_table = None, False
    for line in doc_text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.lstrip().startswith("|") else None
        if cells is None:
            if in_table:
                break
            continue
        if not in_table:
            if len(cells) >= 2 and cells[0].lower() == "stage" and cells[1].lower().startswith("depends on"):
                in_table, rows = True, {}
            continue
        if all(re.fullmatch(r':?-+:?', c) for c in cells if c):
            continue
        m = re.fullmatch(r'`([a-z_]+)`', cells[0])
        if m is None:
            rows.setdefault("?bad row", set()).add(line.strip())
            continue
        deps = set(re.findall(r'`([a-z_]+)`', cells[1])) if len(cells) > 1 else set()
        rows.setdefault(m.group(1), set()).update(deps)
    return rows


def check_narrowed(files, narrowed):
    """The stages of narrowed include and name none of what they must read through a narrower header."""
    problems = []
    for p in sorted(files):
        parts = p.split("/")
        if len(parts) != 3 or parts[1] not in narrowed:
            continue
        headers, names, instead = narrowed[parts[1]]
        for lineno, line in enumerate(files[p].splitlines(), 1):
            m = INCLUDE_RE.match(line)
            if m is not None and m.group(1) in headers:
                problems.append("%s:%d: #include \"%s\": stage %s reads %s instead"
                                % (p, lineno, m.group(1), parts[1], instead))
        code = COMMENT_RE.sub(lambda m: "\n" * m.group(0).count("\n"), files[p])
        for lineno, line in enumerate(code.splitlines(), 1):
            m = names.search(line)
            if m is not None:
                problems.append("%s:%d: `%s`: stage %s reads %s instead"
                                % (p, lineno, m.group(0).strip(), parts[1], instead))
    return problems


def check_tree(root, layers, files, doc_text, narrowed=None):
    """files: {path relative to root: text} of every .c and .h under src/. Returns the problems."""
    problems = []
    graph = stage_graph(layers)
    stages = set(graph)
    known = {n for n, _, _ in layers}

    folders = {p.split("/")[1] for p in files if p.count("/") == 2}
    for f in sorted(folders - stages):
        problems.append("src/%s/ is no stage: no synack_layer(%s ...) in CMakeLists.txt" % (f, f))
    for s in sorted(stages - folders):
        problems.append("stage %s has no folder src/%s/" % (s, s))

    listed = set()
    for name, sources, deps in layers:
        for src in sources:
            listed.add(src)
            if not src.startswith("src/%s/" % name):
                problems.append("stage %s lists %s, outside src/%s/" % (name, src, name))
            if src not in files:
                problems.append("stage %s lists %s, which does not exist" % (name, src))
        for d in deps:
            if d not in known and "::" not in d and d.startswith(("synack", "src")):
                problems.append("stage %s depends on %s, which is no stage" % (name, d))
    for c in cycles(graph):
        problems.append("cycle among stages: " + " -> ".join(c))

    for p in sorted(files):
        if p.endswith(".c") and p not in listed and p not in EXECUTABLE_ONLY:
            problems.append("%s is in no synack_layer" % p)

    where = {}
    for p in files:
        if p.endswith(".h"):
            where.setdefault(os.path.basename(p), []).append(p.split("/")[1])
    for h, fs in sorted(where.items()):
        if len(fs) > 1:
            problems.append("header %s is in more than one stage: %s" % (h, ", ".join(sorted(fs))))

    for p in sorted(files):
        parts = p.split("/")
        if len(parts) != 3 or parts[1] not in stages:
            continue
        stage = parts[1]
        allowed = closure(graph, stage)
        for lineno, line in enumerate(files[p].splitlines(), 1):
            m = INCLUDE_RE.match(line)
            if m is None:
                continue
            inc = m.group(1)
            owners = where.get(os.path.basename(inc), [])
            if "/" in inc or not owners:
                problems.append("%s:%d: #include \"%s\" is no header of any stage" % (p, lineno, inc))
                continue
            owner = owners[0]
            if owner not in allowed:
                problems.append("%s:%d: #include \"%s\": stage %s may not see stage %s (allowed: %s)"
                                % (p, lineno, inc, stage, owner, ", ".join(sorted(allowed))))
    problems += check_narrowed(files, NARROWED if narrowed is None else narrowed)

    table = parse_arrow_table(doc_text) if doc_text is not None else None
    if table is None:
        problems.append("docs/architecture.md: no arrow table (a header row `| stage | depends on | ...`)")
    else:
        for bad in sorted(table.pop("?bad row", [])):
            problems.append("docs/architecture.md: arrow table row without a `stage`: " + bad)
        for s in sorted(stages | set(table)):
            if s not in table:
                problems.append("docs/architecture.md: arrow table has no row for stage %s" % s)
                continue
            if s not in stages:
                problems.append("docs/architecture.md: arrow table row %s is no stage" % s)
                continue
            doc, code = table[s], set(graph[s])
            for d in sorted(code - doc):
                problems.append("docs/architecture.md: arrow %s -> %s is in CMakeLists.txt, not in the table" % (s, d))
            for d in sorted(doc - code):
                problems.append("docs/architecture.md: arrow %s -> %s is in the table, not in CMakeLists.txt" % (s, d))
    return problems


def read_tree(root):
    files = {}
    for dirpath, _, names in os.walk(os.path.join(root, "src")):
        for n in names:
            if n.endswith((".c", ".h")):
                full = os.path.join(dirpath, n)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                with open(full, encoding="utf-8", errors="replace") as f:
                    files[rel] = f.read()
    return files


def compiles(cc, root, dirs, text, tmp):
    path = os.path.join(tmp, "x.c")
    with open(path, "w") as f:
        f.write(text)
    cmd = [cc, "-std=c11", "-fsyntax-only", "-D_POSIX_C_SOURCE=200809L", "-D_DEFAULT_SOURCE"]
    for d in dirs:
        cmd += ["-I", os.path.join(root, "src", d)]
    r = subprocess.run(cmd + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode == 0, " ".join(cmd[:1] + cmd[2:] + ["x.c"]), r.stderr.decode(errors="replace")


def check_compiler(root, layers, files):
    """The include directories alone stop a back edge. Returns (problems, ran)."""
    cc = os.environ.get("CC") or shutil.which("cc")
    if cc is None:
        print("layers: no cc on PATH: compiler checks skipped")
        return [], False
    graph = stage_graph(layers)

    def dirs(stage):
        # the order of the example in docs/architecture.md: the stage first, then its arrows
        return [stage] + sorted(closure(graph, stage) - {stage})

    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        if "tcp" in graph and "tls" in graph and "tls" not in closure(graph, "tcp"):
            ok, cmd, _ = compiles(cc, root, dirs("tcp"), '#include "tls.h"\n', tmp)
            if ok:
                problems.append("compiler: `%s` with #include \"tls.h\" compiled: the tcp stage can see tls" % cmd)
            ok, cmd, err = compiles(cc, root, dirs("tls"), '#include "tls.h"\n', tmp)
            if not ok:
                problems.append("compiler: `%s` with #include \"tls.h\" failed:\n%s" % (cmd, err))
        for p in sorted(files):
            parts = p.split("/")
            if p.endswith(".h") and len(parts) == 3 and parts[1] in graph:
                ok, cmd, err = compiles(cc, root, dirs(parts[1]), '#include "%s"\n' % parts[2], tmp)
                if not ok:
                    problems.append("compiler: %s does not compile alone with stage %s's folders (`%s`):\n%s"
                                    % (p, parts[1], cmd, err))
    return problems, True


def selftest():
    cmake = """
synack_layer(base SOURCES ${S}/base/a.c)
synack_layer(low  SOURCES ${S}/low/l.c DEPENDS base OpenSSL::Crypto)   # a comment ) here
synack_layer(high SOURCES ${S}/high/h.c ${S}/low/stray.c
                  DEPENDS low)
synack_layer(x    SOURCES ${S}/x/x.c DEPENDS y)
synack_layer(y    SOURCES ${S}/y/y.c DEPENDS x)
"""
    files = {
        "src/base/a.c": '#include "a.h"\n', "src/base/a.h": "",
        "src/low/l.c": '#include "l.h"\n#include "a.h"\n#include "h.h"\n', "src/low/l.h": "",
        "src/low/stray.c": "",
        "src/high/h.c": '#include "h.h"\n#include "a.h"\n#include "nowhere.h"\n', "src/high/h.h": "",
        "src/high/v.h": '#include "l.h"\n/* not struct low_state */\nconst struct low_state *s;\nint k = low_peek (s);\n',
        "src/high/orphan.c": "",
        "src/x/x.c": "", "src/y/y.c": "", "src/cli/main.c": "",
    }
    doc = """
| stage | depends on | note |
|---|---|---|
| `base` | — | |
| `low` | `base` | |
| `high` | `low`, `base` | |
| `x` | `y` | |
"""
    layers = parse_layers(cmake)
    assert [l[0] for l in layers] == ["base", "low", "high", "x", "y"], layers
    assert layers[1][2] == ["base", "OpenSSL::Crypto"], layers[1]
    narrowed = {"high": ({"l.h"}, re.compile(r'\bstruct\s+low_state\b|\blow_peek\s*\('), "v.h")}
    got = "\n".join(check_tree(".", layers, files, doc, narrowed))
    want = [
        "src/cli/ is no stage",
        "stage high lists src/low/stray.c, outside src/high/",
        "cycle among stages: x -> y -> x",
        "src/high/orphan.c is in no synack_layer",
        "src/low/l.c:3: #include \"h.h\": stage low may not see stage high",
        "src/high/h.c:3: #include \"nowhere.h\" is no header of any stage",
        "arrow high -> base is in the table, not in CMakeLists.txt",
        "arrow table has no row for stage y",
        "src/high/v.h:1: #include \"l.h\": stage high reads v.h instead",
        "src/high/v.h:3: `struct low_state`: stage high reads v.h instead",
        "src/high/v.h:4: `low_peek (`: stage high reads v.h instead",
    ]
    missing = [w for w in want if w not in got]
    unwanted = [s for s in ("src/base/a.c", "src/high/h.c:2", "src/cli/main.c is", "low -> base",
                            "src/high/v.h:2")
                if s in got]
    if missing or unwanted:
        print("layers --selftest failed; got:\n" + got)
        for w in missing:
            print("  not reported: " + w)
        for w in unwanted:
            print("  reported wrongly: " + w)
        return 1
    print("layers --selftest: every planted fault reported")
    return 0


def main(argv):
    if len(argv) > 1 and argv[1] == "--selftest":
        return selftest()
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    try:
        with open(os.path.join(root, "CMakeLists.txt")) as f:
            layers = parse_layers(f.read())
    except OSError as e:
        print("layers: %s" % e, file=sys.stderr)
        return 2
    if not layers:
        print("layers: no synack_layer(...) in CMakeLists.txt", file=sys.stderr)
        return 2
    try:
        with open(os.path.join(root, "docs", "architecture.md")) as f:
            doc = f.read()
    except OSError:
        doc = None
    files = read_tree(root)
    if selftest() != 0:
        return 1
    problems = check_tree(root, layers, files, doc)
    more, ran = check_compiler(root, layers, files)
    problems += more
    for p in problems:
        print("layers: " + p)
    if problems:
        return 1
    n_inc = sum(len(INCLUDE_RE.findall(t)) for t in files.values())
    print("layers: %d stages, %d arrows, %d includes checked, docs/architecture.md agrees%s"
          % (len(layers), sum(len(v) for v in stage_graph(layers).values()), n_inc,
             ", the compiler enforces them" if ran else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
