"""Bad seed input: each problem stops the build with its file, line and what to fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.build.builder import build_graph
from stigraph.cli import main
from stigraph.errors import OntologyError, SeedError

MINI_SEEDS = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"


def _world(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(MINI_SEEDS, folder)
    return folder


def _append(path: Path, line: str) -> int:
    """Append a line and return its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


CASES = [
    ("memberships.csv", "KE,lab,member,2020,,,,para 11,", "", None),  # control: valid row
    ("memberships.csv", "ZZ,lab,member,2020,,,,para 11,", "", "unknown country code 'ZZ'"),
    ("memberships.csv", "KE,lab,member,2020-13-01,,,,para 11,", "", "is not a date"),
    ("memberships.csv", "KE,lab,member,2021-02-30,,,,para 11,", "", "not a calendar date"),
    ("memberships.csv", "KE,lab,member,2020,,,,,", "", "empty required cell(s): source"),
    ("memberships.csv", "KE,lab,member,2020,,,para 11", "", "has 7 cells but the header has 9"),
    ("memberships.csv", "KE,lab,chair,2020,,,,para 11,", "", "role 'chair' unknown"),
    ("memberships.csv", "KE,nowhere,member,2020,,,,para 11,", "", "unknown reference 'nowhere'"),
    ("memberships.csv", "KE,lab,member,2020,2019,,,para 11,", "", "end 2019 is before start"),
    ("memberships.csv", "FR,lab,member,1954,,,,para 11,", "", "duplicate of the membership"),
    ("memberships.csv", "KE,lab,member,2020,,1e,,para 11,", "", "is not a number"),
    ("memberships.csv", "KE,lab,member,2020,,,,the internet,", "", "neither a report paragraph"),
    ("memberships.csv", 'KE,lab,member,2020,,,,"para 11', "", "broken CSV quoting"),
    ("actors.csv", "lab,Again,,Fund,,,,,,,para 1", "", "id 'lab' is already defined"),
    ("actors.csv", "Bad Slug,X,,Fund,,,,,,,para 1", "", "is not a slug"),
    ("actors.csv", "x,X,,Spaceship,,,,,,,para 1", "", "kind 'Spaceship' unknown"),
    ("actors.csv", "x,X,,Fund,,no-such-area,,,,,para 1", "", "unknown cooperation area"),
    ("relations.csv", "lab,likes,net,para 1,", "", "predicate 'likes' unknown"),
    ("figures.csv", "lab,budget,lots,EUR,2020,para 1,", "", "is not a number"),
]


@pytest.mark.parametrize(("name", "line", "_", "message"), CASES)
def test_bad_row_names_file_and_line(tmp_path: Path, name: str, line: str, _: str,
                                     message: str | None) -> None:
    folder = _world(tmp_path)
    number = _append(folder / name, line)
    if message is None:
        build_graph([folder], default_seeds=False)
        return
    with pytest.raises(SeedError) as caught:
        build_graph([folder], default_seeds=False)
    assert caught.value.path.name == name
    assert caught.value.line == number
    assert message in str(caught.value)


def test_missing_column(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    path = folder / "relations.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0].replace("predicate,", "")] +
                              [row.replace(",partnerOf", "") for row in lines[1:]]) + "\n")
    with pytest.raises(SeedError, match=r"relations.csv:1: missing column\(s\) predicate"):
        build_graph([folder], default_seeds=False)


def test_wrong_encoding(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    path = folder / "actors.csv"
    path.write_bytes(path.read_bytes() + "caf,Café Lab,,Fund,,,,,,,para 1\n".encode("latin-1"))
    with pytest.raises(SeedError, match=r"actors.csv:5: is not UTF-8"):
        build_graph([folder], default_seeds=False)


def test_broken_turtle(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    (folder / "extra.ttl").write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n")
    with pytest.raises(OntologyError, match=r"extra.ttl: not valid turtle"):
        build_graph([folder], default_seeds=False)


def test_cli_error_exits_nonzero_and_writes_nothing(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "stigraph.ttl").write_text("previous good graph\n")
    _append(folder / "memberships.csv", "ZZ,lab,member,2020,,,,para 11,")
    result = CliRunner().invoke(main, ["build", "--no-default-seeds", "--seeds", str(folder),
                                        "--out", str(out)])
    assert result.exit_code == 2
    assert "memberships.csv:9: unknown country code 'ZZ'" in result.output
    assert "Traceback" not in result.output
    assert (out / "stigraph.ttl").read_text() == "previous good graph\n"
    assert sorted(p.name for p in out.iterdir()) == ["stigraph.ttl"]


def _with_decided(folder: Path, rows: list[str]) -> Path:
    """The mini memberships table with a ``decided`` column (old rows leave it empty)."""
    path = folder / "memberships.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].replace(",end,", ",end,decided,")
    body = []
    for line in lines[1:]:
        cells = line.split(",")
        body.append(",".join([*cells[:5], "", *cells[5:]]))
    path.write_text("\n".join([header, *body, *rows]) + "\n", encoding="utf-8")
    return path


def test_decided_column_becomes_a_decision_date(tmp_path: Path) -> None:
    """A retroactive association: decided 2021-09-24, applies from 2021-01-01 (year precision
    kept as given for the decision in another row)."""
    from rdflib import Literal

    from stigraph.vocab.namespaces import STIG, XSD, actor_iri, country_iri

    folder = _world(tmp_path)
    _with_decided(folder, ["KE,lab,associate-member,2021-01-01,,2021-09-24,,,para 11,",
                           "UG,lab,associate-member,2021,,2022-06,,,para 11,"])
    graph = build_graph([folder], default_seeds=False).graph
    by_member = {graph.value(m, STIG.member): m
                 for m in graph.subjects(STIG.organisation, actor_iri("lab"))
                 if graph.value(m, STIG.role) is not None}
    kenya, uganda = by_member[country_iri("KE")], by_member[country_iri("UG")]
    assert graph.value(kenya, STIG.decisionDate) == Literal("2021-09-24", datatype=XSD.date)
    assert graph.value(kenya, STIG.startDate) == Literal("2021-01-01", datatype=XSD.date)
    assert graph.value(uganda, STIG.decisionDate) == Literal("2022-06",
                                                             datatype=XSD.gYearMonth)
    # Rows without a decision (and files without the column) get no decision triple.
    assert graph.value(by_member[country_iri("FR")], STIG.decisionDate) is None
    from stigraph.validate.shacl import validate_graph

    assert validate_graph(graph).conforms


@pytest.mark.parametrize(("row", "message"), [
    ("KE,lab,associate-member,2021,,2021-02-30,,,para 11,", "decided '2021-02-30' is not a"),
    ("KE,lab,associate-member,2021,2021-03,2021-09-24,,,para 11,",
     "end 2021-03 is before the decision of 2021-09-24"),
])
def test_bad_decided_cell_names_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    folder = _world(tmp_path)
    path = _with_decided(folder, [row])
    with pytest.raises(SeedError) as caught:
        build_graph([folder], default_seeds=False)
    assert caught.value.path == path
    assert caught.value.line == len(path.read_text().splitlines())
    assert message in str(caught.value)


def test_area_not_in_m49(tmp_path: Path) -> None:
    """Kosovo-like rows: ``in_m49`` = ``no`` and no M49 code give ``stig:notInM49 true``."""
    from rdflib import Literal

    from stigraph.vocab.namespaces import STIG, country_iri

    folder = _world(tmp_path)
    path = folder / "countries.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].replace(",source", ",in_m49,source")
    body = [line.replace(",https://", ",,https://") for line in lines[1:]]
    path.write_text("\n".join([header, *body, "XK,XKX,,Kosovo,,,,,no,https://example.org/xk"])
                    + "\n", encoding="utf-8")
    graph = build_graph([folder], default_seeds=False).graph
    assert graph.value(country_iri("XK"), STIG.notInM49) == Literal(True)
    assert graph.value(country_iri("XK"), STIG.m49) is None
    assert graph.value(country_iri("KE"), STIG.notInM49) is None
    from stigraph.validate.shacl import validate_graph

    for engine in ("pyshacl", "sparql"):
        assert validate_graph(graph, engine=engine).conforms, engine
    # Without its flag an area with no M49 code breaks the shapes, on both engines.
    graph.remove((country_iri("XK"), STIG.notInM49, None))
    for engine in ("pyshacl", "sparql"):
        report = validate_graph(graph, engine=engine)
        assert not report.conforms, engine
        assert any(v.focus == str(country_iri("XK")) for v in report.violations), engine
    for bad, message in (("XY,XYZ,,Nowhere,,,,,,https://example.org/x", "empty m49 code"),
                         ("XY,XYZ,999,Nowhere,,,,,no,https://example.org/x", "although in_m49"),
                         ("XY,XYZ,999,Nowhere,,,,,maybe,https://example.org/x", "in_m49 'maybe'")):
        path.write_text("\n".join([header, *body, bad]) + "\n", encoding="utf-8")
        with pytest.raises(SeedError, match=message) as caught:
            build_graph([folder], default_seeds=False)
        assert caught.value.line == len(body) + 2
