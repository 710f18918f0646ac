"""The report credits an imported data set in its sources whenever the graph includes it, and
a hub page that cannot be drawn says why instead of vanishing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from stigraph.build.builder import GraphSource
from stigraph.importers import import_cordis
from stigraph.outputs.report import HUBS, ReportSettings, build_report
from stigraph.outputs.report.attribution import DATASETS

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "fixtures" / "report-seeds"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_cordis_is_credited_in_the_report(tmp_path: Path) -> None:
    nt = tmp_path / "cordis.nt"
    import_cordis(TESTS / "data" / "cordis", nt)
    settings = ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False,
                                                 include=(nt,)),
                              as_of=dt.date(2024, 6, 30), networks=False)
    result = build_report(tmp_path / "r", settings)
    sources = _text(result.path.read_text(encoding="utf-8").split('id="sources"', 1)[1])
    cordis = next(d for d in DATASETS if d.folder == "cordis_horizon_europe")
    assert " ".join(cordis.credit.split()) in sources
    assert (result.out_dir / "tables" / "imported-datasets.csv").exists()
    # and without the import, no credit
    bare = build_report(tmp_path / "bare", ReportSettings(
        source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False),
        as_of=dt.date(2024, 6, 30), networks=False))
    assert " ".join(cordis.credit.split()) not in _text(bare.path.read_text(encoding="utf-8"))


def test_a_hub_without_links_says_why(tmp_path: Path) -> None:
    # in 1950 no membership of the fixture's hubs was in force: no page can be drawn
    settings = ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False),
                              as_of=dt.date(1950, 1, 1))
    result = build_report(tmp_path / "r", settings)
    text = _text(result.path.read_text(encoding="utf-8"))
    pages = {p.name for p in (result.out_dir / "networks").glob("hub-*.html")}
    said = re.findall(r"No network page for (.+?): it has no member, partner or other link in "
                      r"force on 1950-01-01, so there is nothing to draw\.", text)
    hubs_here = [slug for slug, _ in HUBS if f"{slug} is not in this graph" not in text]
    assert said and len(said) + len(pages) == len(hubs_here)
