"""One truth: the report's evaluation table is what ``stigraph evaluate`` prints with the same
graph and date and no other option, and the report states the settings."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

from click.testing import CliRunner

from stigraph.analytics import defaults
from stigraph.build.builder import GraphSource
from stigraph.cli import main
from stigraph.outputs.report import ReportSettings, build_report

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "fixtures" / "report-seeds"
AS_OF = "2024-06-30"


def test_report_and_cli_give_the_same_evaluation(tmp_path: Path) -> None:
    settings = ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False),
                              as_of=dt.date.fromisoformat(AS_OF), networks=False)
    result = build_report(tmp_path / "r", settings)
    with (result.out_dir / "tables" / "evaluation.csv").open(encoding="utf-8") as handle:
        report_rows = list(csv.DictReader(handle))
    done = CliRunner().invoke(main, ["evaluate", "--seeds", str(SEEDS), "--no-default-seeds",
                                     "--as-of", AS_OF])
    assert done.exit_code == 0, done.output
    cli_rows = json.loads(done.stdout)
    assert report_rows and len(report_rows) == len(cli_rows)
    for mine, theirs in zip(report_rows, cli_rows, strict=True):
        assert (mine["test"], mine["method"]) == (theirs["split"], theirs["method"])
        assert float(mine["AUC-PR"]) == float(theirs["auc_pr"])
        assert int(mine["positives"]) == int(theirs["positives"])
    html = re.sub(r"<[^>]+>", "", result.path.read_text(encoding="utf-8"))  # the text as read
    stated = re.search(r"Settings: seed (\d+), hold-out fraction ([0-9.]+), time-split cutoff "
                       r"(\d{4}-\d{2}-\d{2})", html)
    assert stated is not None
    assert int(stated.group(1)) == defaults.SEED == settings.seed
    assert float(stated.group(2)) == defaults.HOLDOUT_FRACTION


def test_key_actors_rank_organisations_apart(tmp_path: Path) -> None:
    settings = ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False),
                              as_of=dt.date.fromisoformat(AS_OF), networks=False)
    result = build_report(tmp_path / "r", settings)
    tables = result.out_dir / "tables"
    with (tables / "centrality-actors.csv").open(encoding="utf-8") as handle:
        organisations = list(csv.DictReader(handle))
    with (tables / "centrality-initiatives.csv").open(encoding="utf-8") as handle:
        initiatives = list(csv.DictReader(handle))
    # the fixture's initiatives.csv names the programmes; none of them is ranked as an actor
    with (SEEDS / "initiatives.csv").open(encoding="utf-8") as handle:
        names = {r["name"] for r in csv.DictReader(handle)}
    assert organisations and initiatives
    assert not {r["organisation"] for r in organisations} & names
    assert {r["programme, agreement or event"] for r in initiatives} <= names
    assert [int(r["rank"]) for r in organisations] == list(range(1, len(organisations) + 1))
    html = result.path.read_text(encoding="utf-8")
    assert "OECD DAC List of ODA Recipients" in html and "--developing dac" in html
