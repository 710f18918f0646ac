"""The report's side-by-side section is what ``stigraph compare`` gives for the same countries
and date, and the report's folder holds each projection for Gephi (GEXF) and VOSviewer."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from stigraph.build.builder import GraphSource
from stigraph.cli import main
from stigraph.outputs.report import ReportResult, ReportSettings, build_report

try:
    from tests.test_exports import check_gexf
except ImportError:  # tests/ on sys.path (rootdir-relative import mode)
    from test_exports import check_gexf  # type: ignore[no-redef]

SEEDS = Path(__file__).resolve().parent / "fixtures" / "report-seeds"
AS_OF = "2024-06-30"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    settings = ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False),
                              as_of=dt.date.fromisoformat(AS_OF), networks=False)
    return build_report(tmp_path_factory.mktemp("compare") / "r", settings)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_side_by_side_is_what_compare_prints(report: ReportResult) -> None:
    rows = _rows(report.out_dir / "tables" / "compare.csv")
    html = report.path.read_text(encoding="utf-8")
    command = html.split("stigraph compare ", 1)[1].split(" --as-of", 1)[0].split()
    assert 1 <= len(command) <= 5
    done = CliRunner().invoke(main, ["compare", *command, "--seeds", str(SEEDS),
                                     "--no-default-seeds", "--as-of", AS_OF])
    assert done.exit_code == 0, done.output
    cli = {r["indicator"]: r for r in json.loads(done.stdout)}
    names = list(rows[0])[1:-2]
    assert names == [cli["name"][code] for code in command]
    assert [r["indicator"] for r in rows] == [i for i in cli if i != "name"]
    for row in rows:
        theirs = cli[row["indicator"]]
        assert [row[n] for n in names] == [str(theirs[c]) for c in command]
        assert (row["source"], row["date"]) == (theirs["source"], theirs["date"])


@pytest.mark.parametrize("projection", ["actor-actor", "country-country",
                                        "country-organisation"])
def test_gephi_and_vosviewer_files_in_the_report(report: ReportResult, projection: str) -> None:
    folder = report.out_dir / "graph"
    graphml = nx.read_graphml(folder / f"{projection}.graphml")
    root = check_gexf(folder / f"{projection}.gexf")
    ns = {"g": "http://gexf.net/1.3"}
    assert len(root.findall("g:graph/g:nodes/g:node", ns)) == graphml.number_of_nodes()
    assert len(root.findall("g:graph/g:edges/g:edge", ns)) == graphml.number_of_edges()
    with (folder / f"{projection}_map.txt").open(encoding="utf-8", newline="") as handle:
        items = list(csv.DictReader(handle, delimiter="\t"))
    links = (folder / f"{projection}_network.txt").read_text(encoding="utf-8").splitlines()
    assert len(items) == graphml.number_of_nodes() and len(links) == graphml.number_of_edges()
    assert {"id", "label", "cluster", "score<PageRank>"} <= set(items[0])
    assert all((folder / name).resolve() in {p.resolve() for p in report.files}
               for name in (f"{projection}.gexf", f"{projection}_map.txt"))
