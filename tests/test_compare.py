"""``stigraph compare``: indicators side by side, hand-computed on the report fixture seeds,
co-authorship recomputed from the OpenAlex sample with csv."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.analytics.compare import INDICATORS, compare
from stigraph.build.builder import build_graph
from stigraph.cli import main
from stigraph.errors import ParameterError
from stigraph.importers import import_openalex

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "fixtures" / "report-seeds"
OPENALEX = TESTS / "data" / "openalex"


@pytest.fixture(scope="module")
def coauthorship(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compare") / "openalex.nt"
    import_openalex(OPENALEX, out, rejects=out.with_name("rejects.csv"))
    return out


def by_indicator(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(r["indicator"]): r for r in rows}


def test_side_by_side_by_hand() -> None:
    graph = build_graph([SEEDS], default_seeds=False).graph
    rows = by_indicator(compare(graph, ["ke", "BD"], as_of="2024-06-30"))
    assert list(rows) == list(INDICATORS)
    assert all(r["source"] and r["date"] for r in rows.values())
    assert (rows["name"]["KE"], rows["name"]["BD"]) == ("Kenya", "Bangladesh")
    # KE on 2024-06-30: CERN observer (2020) and CGIAR host (undated) are memberships; EUREKA
    # ended 2019; Horizon Europe (2022) is a participation
    assert (rows["memberships"]["KE"], rows["participations"]["KE"]) == (2, 1)
    # partners through CERN: CH, DE, FR (CH's Horizon Europe association starts 2025); FR
    # also through CGIAR, headquartered in France and hosted by Kenya
    assert rows["partner countries"]["KE"] == 3
    assert rows["strongest partners"]["KE"] == "FR (2); CH (1); DE (1)"
    # BD: the GCF with FJ and TZ
    assert (rows["memberships"]["BD"], rows["partner countries"]["BD"]) == (1, 2)
    assert (rows["LDC"]["BD"], rows["LDC"]["KE"]) == ("yes", "no")
    assert rows["developing (M49 2020)"]["KE"] == "yes"
    # before CERN and Horizon Europe: EUREKA and CGIAR
    earlier = by_indicator(compare(graph, ["KE"], as_of="2018-12-31"))
    assert (earlier["memberships"]["KE"], earlier["participations"]["KE"]) == (2, 0)


def test_coauthorship_matches_the_csv(coauthorship: Path) -> None:
    graph = build_graph(include=[coauthorship]).graph  # the project's seeds: every country
    with next(OPENALEX.glob("*edges*.csv")).open(encoding="utf-8", newline="") as handle:
        pairs = list(csv.DictReader(handle))
    # the rows the importer refused (codes such as XK that are no ISO country) do not count
    with coauthorship.with_name("rejects.csv").open(encoding="utf-8", newline="") as handle:
        refused = {int(r["line"]) for r in csv.DictReader(handle)
                   if r["action"] == "rejected" and "edges" in r["file"]}
    pairs = [r for line, r in enumerate(pairs, start=2) if line not in refused]
    years = sorted({int(r["year"]) for r in pairs})
    for as_of in (f"{years[0]}-12-31", f"{years[-1]}-12-31"):
        rows = by_indicator(compare(graph, ["KE", "CN"], as_of=as_of))
        for code in ("KE", "CN"):
            mine = [r for r in pairs if code in (r["iso2_a"], r["iso2_b"])
                    and int(r["year"]) <= int(as_of[:4])]
            others = {r["iso2_b"] if r["iso2_a"] == code else r["iso2_a"] for r in mine}
            assert rows["co-authored works"][code] == sum(int(r["coauthored_works"])
                                                          for r in mine)
            assert rows["co-authorship partners"][code] == len(others)


def test_cli_compare_and_errors() -> None:
    runner = CliRunner()
    base = ["compare", "--seeds", str(SEEDS), "--no-default-seeds", "--as-of", "2024"]
    done = runner.invoke(main, [*base, "KE", "BD"])
    assert done.exit_code == 0, done.output
    rows = json.loads(done.stdout)
    assert list(rows[0]) == ["indicator", "KE", "BD", "source", "date"]
    table = runner.invoke(main, [*base, "KE", "BD", "--format", "table"])
    assert table.stdout.splitlines()[0].split()[:3] == ["indicator", "KE", "BD"]
    wrong = runner.invoke(main, [*base, "KE", "XX"])
    assert wrong.exit_code == 2 and "no country with ISO code 'XX'" in wrong.stderr
    graph = build_graph([SEEDS], default_seeds=False).graph
    with pytest.raises(ParameterError, match="twice"):
        compare(graph, ["KE", "ke"], as_of="2024-01-01")
