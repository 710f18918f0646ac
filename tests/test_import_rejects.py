"""Bad rows: each reject reason, written from real rows with deliberate damage."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from stigraph.errors import DataImportError
from stigraph.importers import import_cordis
from stigraph.importers.common import RejectLog, read_csv

DATA = Path(__file__).resolve().parent / "data" / "cordis"


def _lines() -> list[str]:
    return (DATA / "organization.csv").read_text(encoding="utf-8").splitlines()


def _fields(line: str) -> list[str]:
    return next(csv.reader([line]))


def _join(fields: list[str], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="").writerow(fields)
    return buf.getvalue()


@pytest.fixture()
def damaged(tmp_path: Path) -> tuple[Path, dict[str, int], int]:
    """A copy of the sample with one damaged row per reason; returns the expected lines."""
    folder = tmp_path / "cordis"
    folder.mkdir()
    shutil.copy(DATA / "project.csv", folder / "project.csv")
    lines = _lines()
    header = _fields(lines[0])
    col = {name: i for i, name in enumerate(header)}
    good = lines[1:]
    base = _fields(good[0])
    out = [lines[0], *good]
    expected: dict[str, int] = {}

    def append(reason: str, line: str) -> None:
        out.append(line)
        expected[reason] = len(out)  # 1-based physical line

    missing = list(base)
    missing[col["organisationID"]] = ""
    append("missing-identifier", _join(missing))
    unknown = list(_fields(good[1]))
    unknown[col["organisationID"]] = "900000001"  # a new organisation...
    unknown[col["order"]] = "901"
    unknown[col["country"]] = "ZZ"  # ...in no known country
    append("unknown-country", _join(unknown))
    append("duplicate", good[2])
    broken = list(_fields(good[3]))
    broken[col["order"]] = "902"
    text = _join(broken)
    name = broken[col["name"]]
    append("broken-quoting", text.replace(name, '"' + name, 1) if '"' not in name else text)
    semi = list(_fields(good[4]))
    semi[col["order"]] = "903"
    append("wrong-delimiter", _join(semi, ";"))
    append("wrong-field-count", ",".join(_fields(good[5])[:5]))
    unknown_project = list(_fields(good[6]))
    unknown_project[col["projectID"]] = "999999999"
    append("unknown-project", _join(unknown_project))
    role = list(_fields(good[7]))
    role[col["role"]] = "spectator"
    role[col["order"]] = "904"
    append("unknown-role", _join(role))
    # a good row after all the damage must still be read
    after = list(_fields(good[8]))
    after[col["order"]] = "905"
    out.append(_join(after))
    (folder / "organization.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    return folder, expected, len(good) + 2  # good rows + the unknown-country row + `after`


def test_every_reason_is_counted_and_written(damaged: tuple[Path, dict[str, int], int],
                                             tmp_path: Path) -> None:
    folder, expected, kept = damaged
    rejects = tmp_path / "rejects.csv"
    result = import_cordis(folder, tmp_path / "out.nt", rejects=rejects, match_seeds=False)
    assert result.stats.counts["participations"] == kept
    with rejects.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_reason = {r["reason"]: r for r in rows if r["file"] == "organization.csv"}
    for reason, line in expected.items():
        assert reason in by_reason, reason
        assert int(by_reason[reason]["line"]) == line, reason
        assert by_reason[reason]["raw"], reason
    assert by_reason["unknown-country"]["action"] == "kept without country"
    assert by_reason["duplicate"]["action"] == "rejected"
    # counts and examples in the summary agree with the file
    summary = {row["reason"]: row for row in result.rejects.summary()}
    for reason in expected:
        assert summary[reason]["count"] == sum(1 for r in rows if r["reason"] == reason)
        assert summary[reason]["examples"]
    assert result.rejects.rejected == sum(1 for r in rows if r["action"] == "rejected")


def test_semicolon_and_latin1_copies_import_the_same(tmp_path: Path) -> None:
    plain = import_cordis(DATA, tmp_path / "plain.nt", match_seeds=False)
    lines = _lines()
    semi_folder = tmp_path / "semi"
    semi_folder.mkdir()
    shutil.copy(DATA / "project.csv", semi_folder / "project.csv")
    shutil.copy(DATA / "euroSciVoc.csv", semi_folder / "euroSciVoc.csv")
    (semi_folder / "organization.csv").write_text(
        "\n".join(_join(_fields(line), ";") for line in lines) + "\n", encoding="utf-8")
    semi = import_cordis(semi_folder, tmp_path / "semi.nt", match_seeds=False)
    assert sorted((tmp_path / "semi.nt").read_text().splitlines()) == sorted(
        (tmp_path / "plain.nt").read_text().splitlines())
    assert semi.stats.files[1].delimiter == ";"

    latin = tmp_path / "latin"
    latin.mkdir()
    shutil.copy(DATA / "project.csv", latin / "project.csv")
    text = "\n".join(lines) + "\n"
    assert any(ord(c) > 127 and ord(c) < 256 for c in text), "sample has accented names"
    keep = "".join(c if ord(c) < 256 else "?" for c in text)
    (latin / "organization.csv").write_bytes(keep.encode("latin-1"))
    result = import_cordis(latin, tmp_path / "latin.nt", rejects=tmp_path / "r.csv",
                           match_seeds=False)
    assert result.rejects.counts["latin-1-encoding"] == 1
    assert result.stats.counts["participations"] == plain.stats.counts["participations"]
    names = [_fields(line)[5] for line in lines[1:]]
    accented = next(n for n in names if any(127 < ord(c) < 256 for c in n))
    assert f'"{accented}"' in (tmp_path / "latin.nt").read_text(encoding="utf-8")


def test_quoted_field_with_newline_is_one_row(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('id,name,country\n1,"two\nlines",NA\n2,plain,KE\n', encoding="utf-8")
    log = RejectLog()
    _, rows = read_csv(path, log)
    got = list(rows)
    assert got == [(2, {"id": "1", "name": "two\nlines", "country": "NA"}),
                   (4, {"id": "2", "name": "plain", "country": "KE"})]
    assert not log.entries


def test_missing_columns_name_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a|b\n1|2\n", encoding="utf-8")
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "organization.csv").write_text("projectID;organisationID;role\n", encoding="utf-8")
    (folder / "project.csv").write_text("title\nx\n", encoding="utf-8")
    with pytest.raises(DataImportError, match="projectID or id"):
        import_cordis(folder, tmp_path / "o.nt", match_seeds=False)
    with pytest.raises(DataImportError, match="missing column"):
        read_csv(path, RejectLog(), required=("id",), delimiter=",")
