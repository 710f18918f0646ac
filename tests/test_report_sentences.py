"""Every sentence with a number in the report matches the table it describes: the numbers are
read back from the written page and recomputed from its tables, graph files and settings
(tests/report_claims.py), on the project's seeds and on a small hand-made seed set."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from stigraph.analytics import defaults
from stigraph.build.builder import GraphSource
from stigraph.importers import import_cordis
from stigraph.outputs.report import ReportSettings, build_report
from tests.report_claims import HtmlTable, problems, sentence_count, table_measure

TESTS = Path(__file__).resolve().parent
SMALL = TESTS / "fixtures" / "report-seeds"
AS_OF = dt.date(2024, 6, 30)


def _settings(settings: ReportSettings, per_country: int) -> dict[str, float]:
    return {"seed": settings.seed, "holdout": defaults.HOLDOUT_FRACTION,
            "cutoff-share": defaults.CUTOFF_SHARE, "precision-at": 10,
            "per-country": per_country}


def _source(which: str, tmp_path: Path) -> GraphSource:
    if which == "seeds":
        return GraphSource()
    if which == "cordis":  # the organisation network from CORDIS, with its consortium table
        nt = tmp_path / "cordis.nt"
        import_cordis(TESTS / "data" / "cordis", nt)
        return GraphSource(include=(nt,))
    return GraphSource(seed_dirs=(SMALL,), default_seeds=False)


@pytest.mark.parametrize("which", ["seeds", "small", "cordis"])
def test_every_number_in_a_sentence_matches_its_source(tmp_path: Path, which: str) -> None:
    settings = ReportSettings(source=_source(which, tmp_path), as_of=AS_OF,
                              country=None if which == "small" else "KE", networks=False)
    result = build_report(tmp_path / "r", settings)
    html = result.path.read_text(encoding="utf-8")
    per_country = settings.recommendations if settings.country else 3
    assert problems(html, result.out_dir, _settings(settings, per_country)) == []
    if which == "cordis":  # the consortium figures are stated from their table
        assert 'data-table="organisation-consortia.csv"' in html
    # communities of one node are counted in the summary, not listed one by one
    with (result.out_dir / "tables" / "communities.csv").open(encoding="utf-8") as handle:
        assert all(int(r["size"]) >= 2 for r in csv.DictReader(handle))
    sentences, numbers = sentence_count(html)
    # gaps, communities, key actors, evaluation, recommendations and every hub say numbers
    assert sentences >= 8 and numbers >= 20, (sentences, numbers)


def test_a_wrong_number_is_caught(tmp_path: Path) -> None:
    settings = ReportSettings(source=GraphSource(seed_dirs=(SMALL,), default_seeds=False),
                              as_of=AS_OF, networks=False)
    result = build_report(tmp_path / "r", settings)
    html = result.path.read_text(encoding="utf-8")
    known = _settings(settings, 3)
    assert problems(html, result.out_dir, known) == []
    # one number changed in the text and its value: the table no longer agrees
    element = re.search(r'<data value="(\d+)" data-table="members-[^"]+" '
                        r'data-measure="sum:memberships">(\d+)</data>', html)
    assert element is not None
    wrong = int(element[1]) + 1
    tampered = html.replace(element[0], element[0].replace(f'"{element[1]}"', f'"{wrong}"')
                            .replace(f">{element[2]}<", f">{wrong}<"), 1)
    assert any("but the source gives" in p for p in problems(tampered, result.out_dir, known))
    # a number written into a sentence without a source
    loose = html.replace("<p>Communities are groups", "<p>In 12 ways, communities are groups", 1)
    assert any("unsourced number" in p for p in problems(loose, result.out_dir, known))


def test_table_measures_by_hand() -> None:
    t = HtmlTable("t.csv", ["group", "countries", "since"],
                  [["LDC", "45", "2001"], ["SIDS", "1,039", "—"], ["LLDC", "32", ""]])
    assert table_measure(t, "rows") == 3
    assert table_measure(t, "head:2") == 2
    assert table_measure(t, "sum:countries") == 45 + 1039 + 32
    assert table_measure(t, "cell:countries|group=SIDS") == 1039
    assert table_measure(t, "nonempty:since") == 1
    assert table_measure(t, "distinct:group") == 3
    assert table_measure(t, "sum:countries|countries>40") == 45 + 1039
