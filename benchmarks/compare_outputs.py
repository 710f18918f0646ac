"""Snapshot the outputs of the CLI on the seeds, and compare two snapshots byte for byte.

A redesign that should not change behaviour is checked by taking a snapshot before it and one
after it, with the same commands on the same seeds and a fixed ``--as-of`` date:

    python benchmarks/compare_outputs.py snapshot before/      # on the old code
    python benchmarks/compare_outputs.py snapshot after/       # on the new code
    python benchmarks/compare_outputs.py diff before/ after/   # exit 1 if anything differs

The snapshot holds every named query with a few parameter sets, the analytics commands
(centrality, communities, gaps, recommend, evaluate) and the report's tables and HTML (the
report's clock line, which says how long each step took, is left out of the comparison; RDF
files are compared as graphs, since serialisers choose their own order and blank-node names).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

AS_OF = "2024-06-30"

#: (file name, stigraph arguments) of each snapshot entry.
COMMANDS: list[tuple[str, list[str]]] = [
    ("query-members-cern.csv", ["query", "members", "--param", "organisation=cern",
                                "--param", f"as_of={AS_OF}", "--format", "csv"]),
    ("query-members-eureka-1990.csv", ["query", "members", "--param", "organisation=eureka",
                                       "--param", "as_of=1990-01-01", "--format", "csv"]),
    ("query-partners-ke.csv", ["query", "cooperation-partners", "--param", "entity=KE",
                               "--format", "csv"]),
    ("query-partners-cern.csv", ["query", "cooperation-partners", "--param", "entity=cern",
                                 "--format", "csv"]),
    ("query-actors-in-area.csv", ["query", "actors-in-area", "--param", "area=testbeds",
                                  "--format", "csv"]),
    ("query-developing-without-area.csv", ["query", "developing-without-area", "--param",
                                           "area=research-funding", "--format", "csv"]),
    ("query-path.csv", ["query", "path", "--param", "source=KE", "--param", "target=cern",
                        "--format", "csv"]),
    ("query-search.csv", ["query", "search-entities", "--param", "text=climate",
                          "--format", "csv"]),
    ("query-list.csv", ["query", "--list", "--format", "csv"]),
    ("centrality.csv", ["centrality", "--as-of", AS_OF, "--format", "csv"]),
    ("centrality-actor.csv", ["centrality", "--as-of", AS_OF, "--projection", "actor-actor",
                              "--format", "csv"]),
    ("centrality-ldc.csv", ["centrality", "--as-of", AS_OF, "--group", "LDC", "--top", "10",
                            "--format", "csv"]),
    ("communities.csv", ["communities", "--as-of", AS_OF, "--format", "csv"]),
    ("communities-summary.csv", ["communities", "--as-of", AS_OF, "--summary", "--seed", "1",
                                 "--format", "csv"]),
    ("gaps-areas.csv", ["gaps", "--as-of", AS_OF, "--format", "csv"]),
    ("gaps-ke-programmes.csv", ["gaps", "--as-of", AS_OF, "--country", "KE", "--kind",
                                "programmes", "--format", "csv"]),
    ("gaps-matrix.csv", ["gaps", "--as-of", AS_OF, "--kind", "matrix", "--format", "csv"]),
    ("recommend-ke.csv", ["recommend", "--as-of", AS_OF, "--country", "KE", "--format",
                          "csv"]),
    ("recommend-ldc.csv", ["recommend", "--as-of", AS_OF, "--group", "LDC", "--top", "3",
                           "--format", "csv"]),
    ("evaluate.csv", ["evaluate", "--as-of", AS_OF, "--format", "csv"]),
    ("evaluate-time.csv", ["evaluate", "--as-of", AS_OF, "--split", "time", "--cutoff",
                           "2019-12-31", "--format", "csv"]),
]

#: Lines of the report that change from run to run (timings), not with the code.
_VOLATILE = re.compile(rb"\d+(\.\d+)? s\b|took [^<]*|generated [^<]*")


def snapshot(folder: Path, stigraph: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, args in COMMANDS:
        done = subprocess.run([stigraph, *args], capture_output=True, check=False)
        (folder / name).write_bytes(done.stdout + b"\n--- exit %d\n" % done.returncode)
        print(f"{name}: exit {done.returncode}", file=sys.stderr)
    report = folder / "report"
    shutil.rmtree(report, ignore_errors=True)
    subprocess.run([stigraph, "report", "--out", str(report), "--as-of", AS_OF, "--quiet"],
                   check=True)


def _ends_sorted(title: str) -> str:
    """``A — relation — B`` of an undirected link with A and B in sorted order."""
    first, *rest = title.split("\n", 1)
    parts = first.split(" — ")
    if len(parts) == 3:
        a, relation, b = parts
        first = " — ".join([min(a, b), relation, max(a, b)])
    return "\n".join([first, *rest])


def _network(path: Path) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], str]:
    """A network page's nodes and links as sorted sets (ends of a link in sorted order), with
    positions and ids left out, and the page around its data block."""
    text = path.read_text("utf-8")
    match = re.search(r'(<script type="application/json" id="graph-data">)(.*?)(</script>)',
                      text, re.DOTALL)
    if match is None:
        return [], [], text
    data = json.loads(match.group(2))
    nodes = sorted(tuple(str(n.get(k)) for k in ("id", "label", "kind", "title", "color", "size"))
                   for n in data["nodes"])
    edges = sorted((*sorted((str(e["from"]), str(e["to"]))), _ends_sorted(str(e.get("title"))),
                    str(e.get("color")), str(e.get("width")), str(e.get("dashes")))
                   for e in data["edges"])
    return nodes, edges, text[:match.start(2)] + text[match.end(2):]


def _same(a: Path, b: Path) -> bool:
    if a.parent.name == "networks" and a.suffix == ".html":
        # the order of nodes and links (and so the layout) followed set order before pages
        # were made canonical: compare what is drawn, not where
        (na, ea, _), (nb, eb, _) = _network(a), _network(b)
        return na == nb and ea == eb
    if a.suffix in (".ttl", ".nt", ".jsonld"):
        # serialisers order triples and name blank nodes as they like: compare the graphs
        from rdflib import Graph
        from rdflib.compare import isomorphic

        return isomorphic(Graph().parse(a), Graph().parse(b))
    if a.suffix in (".html", ".csv", ".svg"):
        return _VOLATILE.sub(b"", a.read_bytes()) == _VOLATILE.sub(b"", b.read_bytes())
    return filecmp.cmp(a, b, shallow=False)


def diff(before: Path, after: Path) -> int:
    names = sorted({p.relative_to(before) for p in before.rglob("*") if p.is_file()}
                   | {p.relative_to(after) for p in after.rglob("*") if p.is_file()})
    differing = []
    for name in names:
        a, b = before / name, after / name
        if not a.is_file() or not b.is_file():
            differing.append(f"{name}: only in {'after' if b.is_file() else 'before'}")
        elif a.suffix == ".png":  # matplotlib's PNG bytes are checked through the SVG twin
            continue
        elif not _same(a, b):
            differing.append(f"{name}: differs")
    for line in differing:
        print(line)
    print(f"{len(names)} files compared, {len(differing)} differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    snap = sub.add_parser("snapshot")
    snap.add_argument("folder", type=Path)
    snap.add_argument("--stigraph", default=".venv/bin/stigraph")
    cmp_ = sub.add_parser("diff")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.action == "snapshot":
        snapshot(args.folder, args.stigraph)
        return 0
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
