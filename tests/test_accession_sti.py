"""The accession model on the curated STI bodies and with activity features: join events from
the seed memberships, activity counts against the source files, no leakage, eligibility at any
as-of date, the rolling evaluation and the model kept in the cache."""

from __future__ import annotations

import copy
import csv
import gzip
import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from stigraph.analytics import activity, curated, features, joins
from stigraph.resources import seeds_dir, shipped_data_dir

pytest.importorskip("sklearn")

from stigraph.analytics import explain_model, model
from stigraph.cli import main
from stigraph.cli.model import data_inputs, ensure_model, join_data

SHIPPED = shipped_data_dir()
JOINING = {"member", "associate-member", "beneficiary"}


@pytest.fixture(scope="module")
def full() -> joins.JoinData:
    """COW, the curated bodies and the shipped activity files."""
    return join_data(None)


def _seed_rows(name: str) -> list[dict[str, str]]:
    with open(seeds_dir() / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _joins(data: joins.JoinData, org: str) -> dict[str, int]:
    return {s.country: s.start for s in data.spells
            if s.org == org and s.status == "full" and s.context == "joined"}


def test_curated_join_events_by_hand(full: joins.JoinData) -> None:
    he = _joins(full, "stig:horizon-europe")
    # Horizon Europe exists from 2021: Norway's association, decided 2021-09-24, is a founder's
    # (no one could be asked before the programme existed); Canada's (2024) is a join; an
    # association applied retroactively from 2021 counts from its decision (Albania: 2022)
    assert "NO" not in he and he["CA"] == 2024 and he["AL"] == 2022
    cern = [s for s in full.spells if s.org == "stig:cern" and s.country == "EE"]
    # Estonia: associate member from 2021 (a join), member from 2024: one spell, no new join
    assert [(s.start, s.end, s.context) for s in cern] == [(2021, None, "joined")]
    assert full.last_year_of == {"cow": 2014, "curated": max(
        int(r["start"][:4]) for n in curated.CURATED_BODIES.values()
        for r in _seed_rows(n) if r["start"])}


def test_gcf_first_project_year_against_the_seed_file(full: joins.JoinData) -> None:
    """A country's GCF spell starts with its first project: an independent count."""
    first: dict[str, int] = {}
    for r in _seed_rows("memberships-gcf.csv"):
        if r["start"] and r["member"] in full.countries:
            year = int(r["start"][:4])
            first[r["member"]] = min(first.get(r["member"], year), year)
    starts = defaultdict(list)
    for s in full.spells:
        if s.org == "stig:gcf":
            starts[s.country].append(s.start)
    assert {c: min(v) for c, v in starts.items()} == first


def test_coauthor_features_against_the_openalex_file(full: joins.JoinData) -> None:
    origin = 2020
    snap = joins.snapshot(full, origin)
    orgs = ["stig:cern", "stig:eureka", "stig:horizon-2020"]
    members = {o: {c for c, oo in snap.full if oo == o} for o in orgs}
    works: dict[tuple[str, str], int] = defaultdict(int)
    path = SHIPPED / "openalex_country_coauthorship"
    with gzip.open(next(path.glob("*edges*.csv.gz")), "rt", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if r["year"] == str(origin - 1) and r["iso2_a"] != r["iso2_b"]:
                works[(r["iso2_a"], r["iso2_b"])] = int(r["coauthored_works"])
                works[(r["iso2_b"], r["iso2_a"])] = int(r["coauthored_works"])
    present = set(snap.countries)
    pairs = [("KE", o) for o in orgs] + [("BR", o) for o in orgs]
    frame = features.feature_matrix(full, snap, pairs)
    for (c, o), value, share in zip(pairs, frame.column("coauthor_members"),
                                    frame.column("coauthor_members_share"), strict=True):
        expected = sum(works[(c, m)] for m in members[o])
        total = sum(w for (a, b), w in works.items() if a == c and b in present)
        assert value == expected and share == pytest.approx(expected / total)


def test_cordis_features_against_the_project_files(full: joins.JoinData) -> None:
    origin = 2024
    snap = joins.snapshot(full, origin)
    folder = SHIPPED / "cordis_horizon_europe"
    with gzip.open(folder / "he_project.csv.gz", "rt", encoding="utf-8") as handle:
        start = {r["projectID"]: int(r["startDate"][:4]) for r in csv.DictReader(handle)
                 if r["startDate"]}
    countries: dict[str, set[str]] = defaultdict(set)
    with gzip.open(folder / "he_organization.csv.gz", "rt", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            code = {"EL": "GR", "UK": "GB"}.get(r["country"], r["country"])
            countries[r["projectID"]].add(code)
    pairs = [("KE", "stig:eureka"), ("ZA", "stig:cern"), ("IN", "stig:horizon-europe")]
    frame = features.feature_matrix(full, snap, pairs)
    for (c, o), shared, last in zip(pairs, frame.column("cordis_shared_projects"),
                                    frame.column("cordis_shared_projects_last_year"),
                                    strict=True):
        members = {m for m, oo in snap.full if oo == o}
        mine = [p for p, cs in countries.items() if p in start and start[p] <= origin - 1
                and c in cs and cs & members]
        assert shared == len(mine) > 0
        assert last == sum(start[p] == origin - 1 for p in mine)
    # before Horizon Europe's first project the count is not known, not 0
    snap_2010 = joins.snapshot(full, 2010)
    org = next(o for o in snap_2010.orgs if ("KE", o) not in snap_2010.full)
    early = features.feature_matrix(full, snap_2010, [("KE", org)])
    assert np.isnan(early.column("cordis_shared_projects")[0])


def test_no_activity_or_membership_fact_after_the_cutoff_changes_a_feature(
        full: joins.JoinData) -> None:
    """Facts dated in or after the origin year are added: no feature moves. The same fact
    dated the year before does move one (so the test can fail)."""
    origin = 2023
    snap = joins.snapshot(full, origin)
    pairs = [(c, o) for c in ("KE", "IN", "BR", "UA", "ZA") for o in snap.orgs
             if (c, o) not in snap.full and o.startswith("stig:")]
    base = features.feature_matrix(full, snap, pairs).X

    def changed(year: int) -> np.ndarray:
        act = copy.deepcopy(full.activity)
        ix = act.index()
        act.coauthor[year] = act.coauthor.get(year, np.zeros((len(ix), len(ix)))) + 5000.0
        act.project_start = np.append(act.project_start, year)
        project = len(act.project_start) - 1
        act.project_rows = np.append(act.project_rows, [ix["KE"], ix["FR"], ix["IN"]])
        act.project_cols = np.append(act.project_cols, [project] * 3)
        spells = [*full.spells, joins.Spell("FR", "stig:gcf", "full", year, None, "joined"),
                  joins.Spell("KE", "stig:cern", "observer", year, None, "joined")]
        data = replace(full, spells=spells, activity=act)
        return features.feature_matrix(data, joins.snapshot(data, origin), pairs).X

    def same(a: np.ndarray, b: np.ndarray) -> bool:
        return bool(np.array_equal(np.nan_to_num(a, nan=-1.0), np.nan_to_num(b, nan=-1.0)))

    assert same(base, changed(origin)) and same(base, changed(origin + 1))
    assert not same(base, changed(origin - 1))


def _open_as_of(data: joins.JoinData, origin: int) -> tuple[set[tuple[str, str]], dict]:
    """Full memberships at the end of ``origin - 1`` and each body's years of existence,
    read straight from the COW files and the seed tables."""
    year = origin - 1
    member: set[tuple[str, str]] = set()
    with gzip.open(SHIPPED / "cow_igo" / "igo_membership_spells.csv.gz", "rt",
                   encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if (r["status"] == "full" and r["iso2"] and int(r["start_year"]) <= year
                    and (not r["end_year"] or int(r["end_year"]) >= year)):
                member.add((r["iso2"], r["igo_code"]))
    for body, name in curated.CURATED_BODIES.items():
        for r in _seed_rows(name):
            known = max(r["start"][:4], (r.get("decided") or "")[:4]) if r["start"] else ""
            if (r["role"] in JOINING and known and int(known) <= year
                    and (not r["end"] or int(r["end"][:4]) >= year)):
                member.add((r["member"], "stig:" + body))
    life = {}
    with gzip.open(SHIPPED / "cow_igo" / "igos.csv.gz", "rt", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            life[r["igo_code"]] = (r["founding_year"], r["dissolution_year"])
    for r in _seed_rows("actors.csv"):
        life["stig:" + r["id"]] = ((r["founded"] or "")[:4], "")
    for r in _seed_rows("initiatives.csv"):
        end = (r["end"] or "")[:4]
        life["stig:" + r["id"]] = ((r["start"] or "")[:4], str(int(end) + 1) if end else "")
    return member, life


@pytest.fixture(scope="module")
def logistic(full: joins.JoinData) -> model.TrainedModel:
    return model.train(full, cutoff=2010, kind="logistic")


@pytest.mark.parametrize("origin", [1996, 2008, 2016, 2022, 2026])
def test_no_recommendation_for_a_closed_body_at_any_date(
        full: joins.JoinData, logistic: model.TrainedModel, origin: int) -> None:
    """No organisation that did not exist, had dissolved, or that the country belonged to,
    nor one whose rules shut the country out (EU members and Horizon Europe association)."""
    countries = ["KE", "NO", "UA", "FR", "IN", "BR", "FJ", "TL", "EE"]
    rows = explain_model.recommend_with_model(logistic, full, countries, origin=origin,
                                              top=400)
    member, life = _open_as_of(full, origin)
    eu = {c for c, o in member if o == "stig:european-union"}
    assert rows
    by_key = {explain_model._target_iri(o): k for k, o in full.organisations.items()}
    for r in rows:
        key = by_key[r["target"]]
        founded, dissolved = life[key]
        assert not founded or int(founded) <= origin - 1, (r["target"], origin)
        assert not dissolved or int(dissolved) > origin - 1, (r["target"], origin)
        assert (r["country"], key) not in member, (r["country"], key, origin)
        assert key not in joins.TREATY_ACCESSION
        if key in ("stig:horizon-2020", "stig:horizon-europe"):
            assert r["country"] not in eu


def _tiny_cow(folder: Path) -> Path:
    """Four bodies and eight states joining over the years (hand-made, ending in 1999)."""
    folder.mkdir()
    igos = [["igo_code", "igo_short_name", "igo_long_name", "founding_year",
             "dissolution_year", "political", "social", "economic"],
            ["1", "EAC", "East African Community", "1967", "", "0", "0", "1"],
            ["2", "UNX", "A universal body", "1950", "", "1", "0", "0"],
            ["3", "SCI", "A science body", "1960", "", "0", "1", "0"]]
    spells = [["igo_code", "iso2", "status", "start_year", "end_year", "start_context"]]
    for k, country in enumerate(["KE", "UG", "TZ", "RW", "FR", "DE", "IN", "BR"]):
        spells += [["2", country, "full", str(1955 + 3 * k), "", "joined"],
                   ["3", country, "full", str(1965 + 4 * k), "", "joined"]]
        if k < 4:
            spells.append(["1", country, "full", str(1967 + 8 * k), "", "joined"])
    for name, rows in (("igos.csv", igos), ("igo_membership_spells.csv", spells)):
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return folder


def test_rolling_evaluation_through_evaluate_and_backtest(tmp_path: Path) -> None:
    """Both commands give the same rows, with every baseline and intervals, on a small run."""
    args = ["--cow", str(_tiny_cow(tmp_path / "cow")), "--test", "cow", "--origins", "1985",
            "--boot", "50", "--seed", "3", "--format", "json"]
    rolling = CliRunner().invoke(main, ["evaluate", "--split", "rolling", *args])
    assert rolling.exit_code == 0, rolling.output
    rows = json.loads(rolling.stdout)
    methods = {r["method"] for r in rows}
    assert {"random", "popularity", "recent_popularity", "ensemble", "model_boosting",
            "model_logistic", "adamic_adar", "resource_allocation"} <= methods
    for r in rows:
        assert r["test"] == "cow"
        for metric in ("hits@1", "hits@5", "hits@10", "mrr", "auc_pr"):
            low, high = r[f"{metric}_ci"]
            assert low <= r[metric] <= high
    alias = CliRunner().invoke(main, ["backtest", *args])
    assert alias.exit_code == 0 and json.loads(alias.stdout) == rows
    mixed = CliRunner().invoke(main, ["evaluate", "--split", "rolling", "--split", "time"])
    assert mixed.exit_code != 0 and "runs alone" in mixed.output


def test_the_kept_model_is_retrained_when_an_input_changes(tmp_path: Path) -> None:
    cow = tmp_path / "cow"
    cow.mkdir()
    for path in (SHIPPED / "cow_igo").iterdir():
        (cow / path.name).write_bytes(path.read_bytes())
    target = tmp_path / "m.joblib"
    first = ensure_model(target, cow, kind="logistic")
    kept = model.load_model(target)
    assert kept.data == first.data and kept.cutoff == 2026 and kept.features == list(
        features.NAMES)
    assert kept.metrics["joins"] > 0 and kept.versions["scikit-learn"]
    assert ensure_model(target, cow, kind="logistic").trained_at == first.trained_at
    with gzip.open(cow / "igos.csv.gz", "rt", encoding="utf-8") as handle:
        text = handle.read()
    with gzip.open(cow / "igos.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write(text.replace("Community", "Communitx", 1))
    again = ensure_model(target, cow, kind="logistic")
    assert again.data != first.data and model.load_model(target).data == again.data
    assert cow / "igos.csv.gz" in data_inputs(cow)


def test_recommend_uses_the_model_by_default(full: joins.JoinData) -> None:
    result = CliRunner().invoke(main, ["recommend", "--country", "UA", "--top", "5"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    orgs = [r for r in rows if r["target_group"] == "organisations"]
    partners = [r for r in rows if r["target_group"] != "organisations"]
    assert len(orgs) == 5 and all(r["method"] == "model" for r in orgs)
    assert partners and all(r["method"] == "ensemble" for r in partners)
    for r in orgs:
        assert r["evidence"] and all("raises the probability by" in e for e in r["evidence"])
    popular = CliRunner().invoke(main, ["recommend", "--country", "UA", "--top", "5",
                                        "--method", "preferential_attachment"])
    assert popular.exit_code == 0, popular.output
    assert all(r["method"] == "preferential_attachment"
               for r in json.loads(popular.stdout))
    kept = list(Path(__import__("os").environ["STIGRAPH_CACHE_DIR"]).glob("models/*.joblib"))
    assert kept and model.load_model(kept[0]).features == list(features.NAMES)
    assert activity.ACTIVITY_FEATURES[0][0] in features.NAMES


def test_activity_features_are_said_in_words(full: joins.JoinData) -> None:
    snap = joins.snapshot(full, 2024)
    pair = ("KE", "stig:horizon-europe")
    frame = features.feature_matrix(full, snap, [pair])
    x = frame.X[0]
    works = x[features.NAMES.index("coauthor_members")]
    text = explain_model._phrase("coauthor_members", x, full, snap, *pair, {})
    assert f"{works:,.0f} works" in text and "in 2023" in text and "Kenya" in text
    shared = x[features.NAMES.index("cordis_shared_projects")]
    text = explain_model._phrase("cordis_shared_projects", x, full, snap, *pair, {})
    assert text.startswith(f"{shared:,.0f} Horizon Europe projects started by 2023")
