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
