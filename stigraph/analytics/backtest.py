"""Rolling-origin back-test of the accession model against baselines, with bootstrap intervals.

For each test origin ``C`` (default 1990, 1995, 2000, 2005, 2010: the COW data end in 2014, so
2010 is the last origin with a whole 5-year window) the models are trained only on origins
whose windows end before ``C`` (:func:`~stigraph.analytics.model.origins_before`), then every
method ranks the *eligible* open pairs of ``C`` and is scored on the joins of
``[C, C + horizon - 1]``:

- **hits@k** per country-year: for each (country, origin) with at least one join, 1 if a joined
  organisation is among its k best-ranked candidates; **MRR**: the mean of 1 / rank of its best
  ranked join. Ties are broken by a seeded random order, the same for every method.
- **AUC-PR** (average precision) over all pairs of all test origins pooled; **Brier** score for
  the methods that give probabilities (the models).
- **Bootstrap 95 % intervals**: country-years are resampled with replacement (``n_boot``
  times, seeded); for hits and MRR every method is evaluated on the same resamples, so the
  ratio of two methods has its own interval. AUC-PR and Brier resample all pairs of the
  resampled country-years (fewer resamples: each is a full sort).

Baselines in the same run: ``random``; ``popularity`` (the organisation's members: for one
country this ranks as ``preferential_attachment`` does); ``recent_popularity`` (members that
joined in the last 5 years); each topological index; ``ensemble`` (their mean percentile
rank within the origin, as :func:`~stigraph.analytics.links.add_ensemble`).
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from stigraph.analytics.features import feature_matrix
from stigraph.analytics.joins import JoinData, eligible, labelled_pairs, snapshot
from stigraph.analytics.links import percentile_ranks
from stigraph.analytics.model import fit, origins_before, predict, training_set

__all__ = ["BASELINES", "CURATED_ORIGINS", "DEFAULT_ORIGINS", "Backtest", "backtest", "breakdown",
           "combine", "group_metrics", "summary"]

DEFAULT_ORIGINS = (1990, 1995, 2000, 2005, 2010)
#: Test origins on the curated STI bodies, with their horizon (the curated data end in 2025).
CURATED_ORIGINS = tuple(range(2015, 2025))
CURATED_HORIZON = 2
TOPOLOGICAL = ("common", "adamic_adar", "resource_allocation", "jaccard",
               "preferential_attachment")
#: Baseline method -> the feature column it ranks by.
BASELINES = {"popularity": "org_size", "recent_popularity": "org_joins_5",
             **{name: name for name in TOPOLOGICAL}}
KS = (1, 5, 10)


@dataclass
class Backtest:
    """Scores of every method on the pooled test pairs of all origins."""

    origins: list[int]
    horizon: int
    pairs: list[tuple[str, str]]
    origin: np.ndarray
    labels: np.ndarray
    scores: dict[str, np.ndarray]
    probabilistic: set[str]
    tiebreak: np.ndarray
    regionality: np.ndarray
    info: dict[str, Any]


def backtest(data: JoinData, *, origins: Sequence[int] = DEFAULT_ORIGINS, horizon: int = 5,
             kinds: Sequence[str] = ("logistic", "boosting"), seed: int = 0,
             step: int = 5, source: str | None = "cow") -> Backtest:
    """Train and score every method at each origin (see the module text); ``source``: the
    organisations ranked and scored (``cow``, ``curated``; the models train on every source
    whose data cover a training window)."""
    rng = np.random.default_rng(seed)
    all_pairs: list[tuple[str, str]] = []
    parts: dict[str, list[np.ndarray]] = defaultdict(list)
    labels_parts, origin_parts, regional_parts = [], [], []
    info: dict[str, Any] = {"train_seconds": {}, "filtered_joins": 0, "ambiguous": 0,
                            "train_rows": {}}
    cache: dict[int, Any] = {}
    for C in origins:
        snap = snapshot(data, C)
        pairs, labels, ambiguous = labelled_pairs(data, snap, horizon, source=source)
        keep = eligible(data, snap, pairs)
        info["ambiguous"] += ambiguous
        info["filtered_joins"] += sum(1 for y, k in zip(labels, keep, strict=True)
                                      if y and not k)
        pairs = [p for p, k in zip(pairs, keep, strict=True) if k]
        y = np.array([v for v, k in zip(labels, keep, strict=True) if k], dtype=int)
        frame = feature_matrix(data, snap, pairs)
        train_origins = origins_before(C, horizon=horizon, step=step)
        ts = training_set(data, train_origins, horizon=horizon, cache=cache)
        info["train_rows"][C] = len(ts.y)
        for kind in kinds:
            start = time.perf_counter()
            est = fit(ts.X, ts.y, kind=kind, seed=seed)
            info["train_seconds"][f"{kind}@{C}"] = round(time.perf_counter() - start, 2)
            parts[f"model_{kind}"].append(predict(est, frame.X))
        for method, column in BASELINES.items():
            parts[method].append(frame.column(column))
        parts["ensemble"].append(np.mean([percentile_ranks(list(frame.column(c)))
                                          for c in TOPOLOGICAL], axis=0))
        parts["random"].append(rng.random(len(pairs)))
        all_pairs += pairs
        labels_parts.append(y)
        origin_parts.append(np.full(len(pairs), C))
        regional_parts.append(frame.column("org_regionality"))
    scores = {m: np.concatenate(v) for m, v in parts.items()}
    return Backtest(list(origins), horizon, all_pairs, np.concatenate(origin_parts),
                    np.concatenate(labels_parts), scores,
                    {f"model_{k}" for k in kinds}, rng.random(len(all_pairs)),
                    np.concatenate(regional_parts), info)


def _groups(bt: Backtest) -> dict[tuple[str, int], np.ndarray]:
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for r, ((c, _), o) in enumerate(zip(bt.pairs, bt.origin, strict=True)):
        groups[(c, int(o))].append(r)
    return {g: np.array(rows) for g, rows in groups.items()}


def _best_ranks(bt: Backtest, groups: dict[tuple[str, int], np.ndarray],
                method: str) -> dict[tuple[str, int], tuple[int, np.ndarray]]:
    """Per country-year with a join: the best rank of a join and the rank of every row."""
    s = bt.scores[method]
    out = {}
    for g, rows in groups.items():
        y = bt.labels[rows]
        if not y.any():
            continue
        order = np.lexsort((bt.tiebreak[rows], -s[rows]))
        rank = np.empty(len(rows), dtype=int)
        rank[order] = np.arange(1, len(rows) + 1)
        out[g] = (int(rank[y == 1].min()), rank)
    return out


def group_metrics(bt: Backtest, method: str) -> dict[tuple[str, int], dict[str, float]]:
    """hits@1/5/10 and reciprocal rank of each country-year with a join."""
    return {g: {**{f"hits@{k}": float(best <= k) for k in KS}, "mrr": 1.0 / best}
            for g, (best, _) in _best_ranks(bt, _groups(bt), method).items()}


def recall_at(bt: Backtest, method: str, groups: dict[tuple[str, int], np.ndarray],
              k: int = 10) -> np.ndarray:
    """For every join (in a fixed order): 1 if it is in its country's top ``k`` that year."""
    out = []
    for g, (_, rank) in sorted(_best_ranks(bt, groups, method).items()):
        out.append(rank[bt.labels[groups[g]] == 1] <= k)
    return np.concatenate(out).astype(float) if out else np.zeros(0)


def _ap(y: np.ndarray, s: np.ndarray, tb: np.ndarray) -> float:
    order = np.lexsort((tb, -s))
    ys = y[order]
    hits = np.cumsum(ys)
    n = hits[-1] if len(hits) else 0
    if not n:
        return 0.0
    precision = hits / np.arange(1, len(ys) + 1)
    return float((precision * ys).sum() / n)


def summary(bt: Backtest, *, n_boot: int = 1000, n_boot_pooled: int = 100, seed: int = 0,
            reference: str = "popularity") -> list[dict[str, Any]]:
    """One row per method: each metric with its bootstrap 95 % interval, and the ratio of its
    hits@10 to ``reference``'s with the interval of that ratio. ``recall@10`` is the share of
    all joins ranked in their country's top 10 (joins resampled)."""
    groups = _groups(bt)
    per = {m: group_metrics(bt, m) for m in bt.scores}
    keys = sorted(per[reference])
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(keys), size=(n_boot, len(keys)))
    all_keys = sorted(groups)
    pooled_draws = rng.integers(0, len(all_keys), size=(n_boot_pooled, len(all_keys)))
    ref = np.array([per[reference][g]["hits@10"] for g in keys])
    draw_rows = [np.concatenate([groups[all_keys[i]] for i in d]) for d in pooled_draws]
    recall = {m: recall_at(bt, m, groups) for m in bt.scores}
    recall_draws = rng.integers(0, len(recall[reference]), size=(n_boot, len(recall[reference])))
    rows = []
    for m in bt.scores:
        row: dict[str, Any] = {"method": m, "country_years": len(keys)}
        for metric in (*(f"hits@{k}" for k in KS), "mrr"):
            v = np.array([per[m][g][metric] for g in keys])
            boot = v[draws].mean(1)
            row[metric] = float(v.mean())
            row[f"{metric}_ci"] = [float(np.percentile(boot, 2.5)),
                                   float(np.percentile(boot, 97.5))]
        v10 = np.array([per[m][g]["hits@10"] for g in keys])
        ratio_boot = v10[draws].mean(1) / np.maximum(ref[draws].mean(1), 1e-12)
        row[f"hits@10_vs_{reference}"] = float(v10.mean() / max(ref.mean(), 1e-12))
        row[f"hits@10_vs_{reference}_ci"] = [float(np.percentile(ratio_boot, 2.5)),
                                             float(np.percentile(ratio_boot, 97.5))]
        r10 = recall[m]
        row["recall@10"] = float(r10.mean())
        row["recall@10_ci"] = [float(np.percentile(r10[recall_draws].mean(1), 2.5)),
                               float(np.percentile(r10[recall_draws].mean(1), 97.5))]
        s = bt.scores[m]
        row["auc_pr"] = _ap(bt.labels, s, bt.tiebreak)
        aps, briers = [], []
        for rows_ in draw_rows:
            aps.append(_ap(bt.labels[rows_], s[rows_], bt.tiebreak[rows_]))
            if m in bt.probabilistic:
                briers.append(float(np.mean((s[rows_] - bt.labels[rows_]) ** 2)))
        row["auc_pr_ci"] = [float(np.percentile(aps, 2.5)), float(np.percentile(aps, 97.5))]
        if m in bt.probabilistic:
            row["brier"] = float(np.mean((s - bt.labels) ** 2))
            row["brier_ci"] = [float(np.percentile(briers, 2.5)),
                               float(np.percentile(briers, 97.5))]
        else:
            row["brier"] = None
            row["brier_ci"] = None
        rows.append(row)
    rows.sort(key=lambda r: (-r["hits@10"], r["method"]))
    return rows


def combine(parts: Sequence[Backtest]) -> Backtest:
    """One back-test of the pooled country-years of ``parts`` (their origins differ, so no
    country-year is in two), scored on the methods all of them have."""
    if len(parts) == 1:
        return parts[0]
    methods = sorted(set.intersection(*(set(p.scores) for p in parts)))
    info: dict[str, Any] = {key: sum(p.info[key] for p in parts)
                            for key in ("filtered_joins", "ambiguous")}
    info["parts"] = [p.info for p in parts]

    def cat(attr: str) -> np.ndarray:
        return np.concatenate([getattr(p, attr) for p in parts])

    return Backtest(list(itertools.chain.from_iterable(p.origins for p in parts)),
                    parts[0].horizon, list(itertools.chain.from_iterable(p.pairs for p in parts)),
                    cat("origin"), cat("labels"),
                    {m: np.concatenate([p.scores[m] for p in parts]) for m in methods},
                    set.intersection(*(p.probabilistic for p in parts)), cat("tiebreak"),
                    cat("regionality"), info)


def _cell(by: str, bt: Backtest, data: JoinData, row: int) -> str:
    c, o = bt.pairs[row]
    if by == "region":
        return data.countries[c].region or "no region"
    if by == "type":
        return data.organisations[o].kind or "untyped"
    if by == "organisation":
        org = data.organisations[o]
        return org.acronym or org.name
    return "regional" if bt.regionality[row] >= 1.0 else "universal"


def breakdown(bt: Backtest, data: JoinData, methods: Sequence[str], *,
              by: str = "region", k: int = 10) -> list[dict[str, Any]]:
    """Share of joins ranked in the country's top ``k`` (recall@k), per ``by``: the country's
    ``region``, the organisation's ``type`` (COW's political/social/economic; the curated
    bodies' kind), the ``organisation`` itself, or ``scope`` (regional: all members of one
    region at the origin, else universal)."""
    groups = _groups(bt)
    ranks = {m: _best_ranks(bt, groups, m) for m in methods}
    cells: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for g, rows in groups.items():
        y = bt.labels[rows]
        if not y.any():
            continue
        for pos in np.nonzero(y)[0]:
            key = _cell(by, bt, data, rows[pos])
            for m in methods:
                cells[key][m].append(float(ranks[m][g][1][pos] <= k))
    out = []
    for key in sorted(cells):
        row: dict[str, Any] = {by: key, "joins": len(cells[key][methods[0]])}
        for m in methods:
            row[f"{m}_recall@{k}"] = float(np.mean(cells[key][m]))
        out.append(row)
    return out
