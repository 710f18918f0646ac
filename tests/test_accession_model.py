"""The accession model: join events, features as of an origin (no leakage), eligibility,
the model's persistence, back-test metrics and the commands."""

from __future__ import annotations

import csv
import gzip
import json
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from stigraph.analytics import backtest as bt
from stigraph.analytics import features, joins
from stigraph.analytics.links import pair_scores
from stigraph.errors import DataImportError, ParameterError
from stigraph.resources import seeds_dir, shipped_data_dir

pytest.importorskip("sklearn")

from stigraph.analytics import explain_model, model
from stigraph.cli import main

COW = shipped_data_dir() / "cow_igo"
IGO_HEADER = ["igo_code", "igo_short_name", "igo_long_name", "founding_year",
              "dissolution_year", "political", "social", "economic"]
SPELL_HEADER = ["igo_code", "iso2", "status", "start_year", "end_year", "start_context"]


@pytest.fixture(scope="module")
def data() -> joins.JoinData:
    return joins.load_join_data(COW, seeds_dir())


def _write(folder: Path, igos: list[list[str]], spells: list[list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "igos.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([IGO_HEADER, *igos])
    with open(folder / "igo_membership_spells.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([SPELL_HEADER, *spells])
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> joins.JoinData:
    """Five East African and two European states, three bodies (hand-made)."""
    igos = [["1", "EAC", "East African Community", "1967", "", "0", "0", "1"],
            ["2", "UNX", "A universal body", "1950", "", "1", "0", "0"],
            ["3", "OLD", "A body dissolved in 1994", "1960", "1994", "0", "1", "0"]]
    spells = [["1", "KE", "full", "1967", "", "igo_first_year"],
              ["1", "UG", "full", "1967", "", "igo_first_year"],
              ["1", "TZ", "full", "1967", "", "igo_first_year"],
              ["1", "RW", "observer", "1990", "1996", "joined"],
              ["1", "RW", "full", "1997", "", "status_change"],
              ["1", "BI", "full", "1998", "", "after_missing_data"],
              ["2", "KE", "full", "1964", "", "joined"],
              ["2", "UG", "full", "1964", "", "joined"],
              ["2", "FR", "full", "1950", "", "igo_first_year"],
              ["2", "DE", "full", "1950", "1990", "igo_first_year"],
              ["2", "DE", "full", "1996", "", "joined"],
              ["2", "TZ", "full", "1995", "", "joined"],
              ["2", "RW", "full", "1999", "", "joined"],
              ["2", "BI", "full", "1970", "", "joined"],
              ["3", "FR", "full", "1960", "1994", "igo_first_year"],
              ["3", "DE", "full", "1960", "1994", "igo_first_year"]]
    return joins.load_join_data(_write(tmp_path / "cow", igos, spells), seeds_dir())


def test_join_events_and_open_pairs_by_hand(tiny: joins.JoinData) -> None:
    snap = joins.snapshot(tiny, 1995)
    # as of the end of 1994: OLD, dissolved in 1994, no longer exists
    assert snap.orgs == ["1", "2"]
    assert ("RW", "1") not in snap.full and snap.status[("RW", "1")] == "observer"
    assert snap.former == {("DE", "2"): 1990}
    pairs, labels, ambiguous = joins.labelled_pairs(tiny, snap, 5)
    positives = {p for p, y in zip(pairs, labels, strict=True) if y}
    # TZ joined UNX in 1995, DE rejoined 1996, RW became a full EAC member 1997 and joined
    # UNX 1999; BI's 1998 EAC start follows missing data: neither a join nor a negative
    assert positives == {("TZ", "2"), ("DE", "2"), ("RW", "1"), ("RW", "2")}
    assert ("BI", "1") not in pairs and ambiguous == 1
    assert ("KE", "1") not in pairs  # already a member
    assert ("FR", "1") in pairs and labels[pairs.index(("FR", "1"))] == 0
    assert tiny.last_year == 1999
    with pytest.raises(DataImportError, match="needs data to 2000; the data end in 1999"):
        joins.labelled_pairs(tiny, joins.snapshot(tiny, 1996), 5)


def test_regional_and_treaty_rules(tiny: joins.JoinData) -> None:
    snap = joins.snapshot(tiny, 1995)
    pairs, _, _ = joins.labelled_pairs(tiny, snap, 5)
    ok = dict(zip(pairs, joins.eligible(tiny, snap, pairs), strict=True))
    # every EAC member is in Africa: France and Germany may not be offered it
    assert ok[("FR", "1")] is False and ok[("DE", "1")] is False
    # UNX has members in Africa and Europe: open to all
    assert ok[("RW", "1")] is True and ok[("DE", "2")] is True
    treaty = replace(tiny, organisations={**tiny.organisations, "1830": replace(
        tiny.organisations["2"], key="1830")},
        spells=[replace(s, org="1830") if s.org == "2" else s for s in tiny.spells])
    snap = joins.snapshot(treaty, 1995)
    pairs, _, _ = joins.labelled_pairs(treaty, snap, 5)
    assert not any(k for (_, o), k in zip(pairs, joins.eligible(treaty, snap, pairs),
                                          strict=True) if o == "1830")


def test_features_by_hand(tiny: joins.JoinData) -> None:
    snap = joins.snapshot(tiny, 1995)
    frame = features.feature_matrix(tiny, snap, [("RW", "2"), ("DE", "2"), ("RW", "1")])
    col = {n: frame.column(n) for n in features.NAMES}
    # UNX at the end of 1994: KE, UG, FR, BI (DE left in 1990)
    assert list(col["org_size"][:2]) == [4.0, 4.0]
    assert col["former_member"][1] == 1.0 and col["years_since_left"][1] == 4.0
    assert col["prior_observer"][2] == 1.0 and col["prior_observer"][0] == 0.0
    # Rwanda's Eastern Africa... sub-region peers in the seeds' M49 table: KE, UG, TZ, BI
    # are all Sub-Saharan Africa; of them KE, UG, BI belong to UNX
    assert col["peer_subregion_share"][0] == pytest.approx(3 / 4)
    assert col["org_age"][0] == 1994 - 1950


def test_topological_features_equal_links_pair_scores(data: joins.JoinData) -> None:
    snap = joins.snapshot(data, 2000)
    pairs, _, _ = joins.labelled_pairs(data, snap, 5)
    sample = random.Random(1).sample(pairs, 300)
    frame = features.feature_matrix(data, snap, sample)
    expected = pair_scores(features.cooperation_graph(snap), sample, weight="weight")
    for name in bt.TOPOLOGICAL:
        assert np.allclose(frame.column(name), [r[name] for r in expected]), name


def test_peer_features_against_a_direct_count_of_the_files(data: joins.JoinData) -> None:
    """Kenya and the organisations it may join as of 2005, counted straight from the CSVs."""
    with gzip.open(COW / "igo_membership_spells.csv.gz", "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(seeds_dir() / "countries.csv", encoding="utf-8") as handle:
        sub = {r["iso2"]: r["subregion"] for r in csv.DictReader(handle)}
    full_2004 = {(r["iso2"], r["igo_code"]) for r in rows
                 if r["status"] == "full" and r["iso2"] and int(r["start_year"]) <= 2004
                 and (not r["end_year"] or int(r["end_year"]) >= 2004)}
    present = {r["iso2"] for r in rows if r["iso2"] and int(r["start_year"]) <= 2004
               and (not r["end_year"] or int(r["end_year"]) >= 2004) and r["iso2"] in sub}
    peers = {c for c in present if sub[c] == sub["KE"] and c != "KE"}
    snap = joins.snapshot(data, 2005)
    orgs = [o for o in snap.orgs if ("KE", o) not in snap.full][:40]
    frame = features.feature_matrix(data, snap, [("KE", o) for o in orgs])
    for o, share in zip(orgs, frame.column("peer_subregion_share"), strict=True):
        assert share == pytest.approx(sum((c, o) in full_2004 for c in peers) / len(peers))


def test_no_feature_reads_a_fact_after_the_origin(data: joins.JoinData) -> None:
    """Features at 2000 are the same when every later fact is removed or changed."""
    origin = 2000
    cut = [replace(s, end=None) if s.end is not None and s.end >= origin - 1 else s
           for s in data.spells if s.start < origin]
    cut += [joins.Spell("KE", o, "full", 2003, None, "joined")
            for o in list(data.organisations)[:50]]
    future = replace(data, spells=cut)
    a, b = joins.snapshot(data, origin), joins.snapshot(future, origin)
    pairs = random.Random(2).sample([(c, o) for c in a.countries for o in a.orgs
                                     if (c, o) not in a.full], 2000)
    fa = features.feature_matrix(data, a, pairs)
    fb = features.feature_matrix(future, b, pairs)
    assert np.array_equal(np.nan_to_num(fa.X, nan=-1.0), np.nan_to_num(fb.X, nan=-1.0))


def test_bad_year_names_file_and_line(tmp_path: Path) -> None:
    folder = _write(tmp_path / "bad", [["1", "A", "A body", "19x0", "", "0", "0", "0"]], [])
    with pytest.raises(DataImportError, match=r"igos.csv, line 2: founding_year '19x0'"):
        joins.load_cow(folder)


@pytest.fixture(scope="module")
def small_model(data: joins.JoinData) -> model.TrainedModel:
    return model.train(data, cutoff=1995, kind="logistic", step=5)


@pytest.mark.parametrize("origin", [1995, 2005, 2015])
def test_recommendations_only_for_open_existing_organisations(
        data: joins.JoinData, small_model: model.TrainedModel, origin: int) -> None:
    countries = ["KE", "BR", "FR", "FJ", "IN"]
    rows = explain_model.recommend_with_model(small_model, data, countries, origin=origin,
                                              top=15)
    snap = joins.snapshot(data, origin)
    assert {r["country"] for r in rows} == set(countries)
    for r in rows:
        org = data.organisations[r["target"].rsplit("/cow-", 1)[1]]
        assert org.founded is None or org.founded <= origin - 1
        assert org.dissolved is None or org.dissolved > origin - 1
        assert (r["country"], org.key) not in snap.full
        assert org.key not in joins.TREATY_ACCESSION
        assert 0.0 <= r["score"] <= 1.0
        assert r["explanation"] and all(x > 0 for x in r["reason_raises_by"])
    probs = [r["score"] for r in rows if r["country"] == "KE"]
    assert probs == sorted(probs, reverse=True)


def test_model_round_trip_and_refusals(small_model: model.TrainedModel, tmp_path: Path,
                                       data: joins.JoinData) -> None:
    path = model.save_model(small_model, tmp_path / "m.joblib")
    again = model.load_model(path)
    snap = joins.snapshot(data, 2000)
    frame = features.feature_matrix(data, snap, [("KE", o) for o in snap.orgs[:30]])
    assert np.array_equal(again.predict(frame.X), small_model.predict(frame.X))
    assert again.cutoff == 1995 and again.versions["scikit-learn"]
    with pytest.raises(ParameterError, match="no trained model"):
        model.load_model(tmp_path / "missing.joblib")
    with pytest.raises(ParameterError, match="data end in 2014"):
        model.train(data, cutoff=2020)


def test_backtest_metrics_by_hand() -> None:
    pairs = [("KE", "a"), ("KE", "b"), ("KE", "c"), ("UG", "a"), ("UG", "b")]
    result = bt.Backtest(
        origins=[2000], horizon=5, pairs=pairs, origin=np.full(5, 2000),
        labels=np.array([0, 0, 1, 0, 1]),
        scores={"m": np.array([0.9, 0.5, 0.1, 0.2, 0.8]),
                "popularity": np.array([0.1, 0.2, 0.9, 0.9, 0.1])},
        probabilistic={"m"}, tiebreak=np.zeros(5), regionality=np.zeros(5), info={})
    per = bt.group_metrics(result, "m")
    assert per[("KE", 2000)] == {"hits@1": 0.0, "hits@5": 1.0, "hits@10": 1.0, "mrr": 1 / 3}
    assert per[("UG", 2000)]["hits@1"] == 1.0
    rows = {r["method"]: r for r in bt.summary(result, n_boot=50, n_boot_pooled=10)}
    assert rows["m"]["mrr"] == pytest.approx((1 / 3 + 1) / 2)
    assert rows["popularity"]["hits@1"] == pytest.approx(0.5)
    assert rows["m"]["brier"] == pytest.approx(np.mean(
        (np.array([0.9, 0.5, 0.1, 0.2, 0.8]) - np.array([0, 0, 1, 0, 1])) ** 2))
    # AP of m over all pairs: ranks 0.9(0) 0.8(1) 0.5(0) 0.2(0) 0.1(1) -> (1/2 + 2/5) / 2
    assert rows["m"]["auc_pr"] == pytest.approx((1 / 2 + 2 / 5) / 2)


def test_train_command_writes_the_model(tmp_path: Path) -> None:
    out = tmp_path / "model.joblib"
    result = CliRunner().invoke(main, ["train", "--cutoff", "1990", "--kind", "logistic",
                                       "--out", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and model.load_model(out).cutoff == 1990
    bad = CliRunner().invoke(main, ["backtest", "--origins", "nineteen"])
    assert bad.exit_code == 2 and "--origins 'nineteen'" in bad.output


def test_recommend_method_model_explains_each_organisation(tmp_path: Path,
                                                           data: joins.JoinData) -> None:
    out = tmp_path / "model.joblib"
    trained = CliRunner().invoke(main, ["train", "--cutoff", "1995", "--kind", "logistic",
                                        "--out", str(out)])
    assert trained.exit_code == 0, trained.output
    result = CliRunner().invoke(main, [
        "recommend", "--country", "KE", "--method", "model", "--model", str(out),
        "--as-of", "2000-06-30", "--top", "5", "--targets", "organisations"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    snap = joins.snapshot(data, 2000)  # as of mid-2000: the years up to 1999 are certain
    assert "memberships as of" not in result.stderr  # 2000 is within the data
    for r in rows:
        assert r["method"] == "model" and r["model"] == r["score"]
        assert ("KE", r["target"].rsplit("/cow-", 1)[1]) not in snap.full
        named = [e.split(" = ", 1)[0] for e in r["evidence"]]
        assert named and set(named) <= set(features.NAMES)
        assert r["explanation"].count("; ") == len(named) - 1
