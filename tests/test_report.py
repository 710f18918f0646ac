"""The analyst's report on a small hand-made world (tests/fixtures/report-seeds).

Numbers are checked against the seed rows, counted by hand: CERN has CH, DE, FR (members since
1954) and KE (observer since 2020); EUREKA has CH, DE, FR since 1985 and KE as partner
2015–2019; an organisation is named with markup to check escaping.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from stigraph.build.builder import GraphSource, build_graph
from stigraph.cli import main
from stigraph.outputs import charts
from stigraph.outputs.report import ReportResult, ReportSettings, build_report
from stigraph.outputs.report.render import format_number
from stigraph.outputs.report.sources import notice_table, source_link
from stigraph.vocab.namespaces import DCTERMS

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "fixtures" / "report-seeds"
HOSTILE = '<img src=x onerror="window.__xss=1">'


def settings(**kwargs: object) -> ReportSettings:
    base: dict[str, object] = {"source": GraphSource(seed_dirs=(SEEDS,), default_seeds=False),
                               "as_of": dt.date(2024, 6, 30)}
    base.update(kwargs)
    return ReportSettings(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    return build_report(tmp_path_factory.mktemp("report"), settings())


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_writes_the_report_and_its_files(report: ReportResult) -> None:
    out = report.out_dir
    assert report.path == out / "report.html"
    for name in ("graph/stigraph.ttl", "graph/actor-actor.graphml", "networks/countries.html",
                 "networks/actors.html", "networks/countries-organisations.html",
                 "networks/hub-cern.html", "charts/top-actors.png", "charts/top-actors.svg",
                 "charts/memberships-over-time.svg", "tables/members-cern.csv"):
        assert (out / name).is_file(), name
    assert report.conforms


def test_gap_table_by_group(report: ReportResult) -> None:
    # developing: BD, FJ, KE, NP, TZ. Research funding is addressed by EUREKA, GCF and Horizon
    # Europe: BD, FJ, TZ (GCF) and KE (Horizon Europe) cover it, NP does not -> 80 %.
    by_group = {r["group"]: r for r in rows(report.out_dir / "tables" / "gaps-by-group.csv")}
    developing = by_group["Developing countries"]
    assert developing["countries"] == "5"
    assert developing["Research funding"] == "80"
    # LDC: BD, NP, TZ; capacity building (CERN only, no LDC member) -> 0 %
    assert by_group["Least developed countries (LDC)"]["Capacity building"] == "0"


def test_member_counts_follow_the_date(report: ReportResult, tmp_path: Path) -> None:
    cern = rows(report.out_dir / "tables" / "members-cern.csv")
    assert sorted(r["member"] for r in cern) == ["France", "Germany", "Kenya", "Switzerland"]
    assert {r["member"]: r["role"] for r in cern}["Kenya"] == "observer"
    eureka = rows(report.out_dir / "tables" / "members-eureka.csv")
    assert sorted(r["member"] for r in eureka) == ["France", "Germany", "Switzerland"]
    earlier = build_report(tmp_path, settings(as_of=dt.date(2017, 1, 1), networks=False))
    eureka_2017 = rows(earlier.out_dir / "tables" / "members-eureka.csv")
    assert sorted(r["member"] for r in eureka_2017) == ["France", "Germany", "Kenya",
                                                         "Switzerland"]
    cern_2017 = rows(earlier.out_dir / "tables" / "members-cern.csv")
    assert "Kenya" not in {r["member"] for r in cern_2017}


def test_numbers_carry_their_sources(report: ReportResult) -> None:
    cern = {r["member"]: r for r in rows(report.out_dir / "tables" / "members-cern.csv")}
    assert cern["Kenya"]["source"] == "para 11"
    assert "home.cern" in cern["France"]["source"]
    paragraphs = {r["paragraph of E/CN.16/2024/2"]: int(r["facts citing it"])
                  for r in rows(report.out_dir / "tables" / "cited-paragraphs.csv")}
    # para 26: the EUREKA actor row, four EUREKA memberships, one relation, plus what the
    # ontology itself cites (the cooperation areas)
    para_26 = URIRef("https://w3id.org/stigraph/id/source/report/para-26")
    ontology = build_graph((), default_seeds=False).graph
    assert paragraphs["para 26"] == 6 + len(set(ontology.subjects(DCTERMS.source, para_26)))


def test_html_is_self_contained_escaped_and_script_free(report: ReportResult) -> None:
    html = report.path.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert HOSTILE not in html
    assert not re.search(r"<(link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html)
    assert all(src.startswith("data:image/")
               for src in re.findall(r'<img[^>]+src="([^"]+)"', html))
    assert "default-src &#39;none&#39;" in html or "default-src 'none'" in html
    for section in ("What is in the graph", "Key actors", "Communities",
                    "Who cooperates with whom around CERN", "Partnership gaps",
                    "Recommended partners", "How the recommendations were evaluated",
                    "Sources and licences"):
        assert section in html


def test_hostile_name_is_escaped_in_the_actor_network(report: ReportResult) -> None:
    html = (report.out_dir / "networks" / "actors.html").read_text(encoding="utf-8")
    assert HOSTILE not in html
    assert "\\u003cimg src=x onerror=" in html


def test_cli_prints_the_path_to_open(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r"), "--seeds",
                                       str(SEEDS), "--no-default-seeds", "--as-of", "2024",
                                       "--no-networks"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("report.html")
    assert "[1/" in result.stderr and "Done in" in result.stderr


def test_viz_command_writes_an_ego_page(tmp_path: Path) -> None:
    out = tmp_path / "cern.html"
    result = CliRunner().invoke(main, ["viz", "cooperation", "--ego", "cern", "--depth", "1",
                                       "--out", str(out), "--as-of", "2024-06-30",
                                       "--seeds", str(SEEDS), "--no-default-seeds"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<title>European Organization for Nuclear Research: 1 step(s) out" in html
    assert result.stderr.splitlines()[-1].startswith("draws 5 nodes")  # CERN, CH, DE, FR, KE


def test_format_number() -> None:
    assert format_number(1234) == "1,234"
    assert format_number(0.012345) == "0.0123"
    assert format_number(12.0) == "12"
    assert format_number(123.456) == "123"


def test_source_links_and_notice_table(tmp_path: Path) -> None:
    assert source_link("https://w3id.org/stigraph/id/source/report/para-32-box").text == \
        "para 32 box"
    link = source_link("https://www.greenclimate.fund/project/FP004")
    assert link.text == "greenclimate.fund"
    assert link.href == "https://www.greenclimate.fund/project/FP004"
    notice = tmp_path / "NOTICE.md"
    notice.write_text("| file | from | licence |\n| --- | --- | --- |\n"
                      "| `a.csv` | UNSD (<https://unstats.un.org/x>) | CC BY 4.0 |\n")
    table = notice_table(notice)
    assert table.columns == ["file", "from", "licence"]
    assert table.rows[0][0] == "a.csv" and table.rows[0][2] == "CC BY 4.0"


def test_charts_are_deterministic(tmp_path: Path) -> None:
    data = [{"label": f"actor {i}", "pagerank": 1 / (i + 1)} for i in range(8)]
    a = charts.top_actors_chart(data, tmp_path / "a")
    b = charts.top_actors_chart(data, tmp_path / "b")
    assert a.png.read_bytes() == b.png.read_bytes()
    assert a.svg.read_bytes() == b.svg.read_bytes()
    assert "actor 0: 1" in a.alt
    heat = charts.gap_heatmap(["KE", "UG"], ["testbeds", "funding"], [[0, 1], [2, 0]],
                              tmp_path / "h")
    assert "2 of 4 cells are gaps" in heat.alt
