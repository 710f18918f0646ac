"""Recommendations from the accession model, each explained by the features that raised it.

:func:`recommend_with_model` ranks, for each country, the organisations it may join as of a
date (only :func:`~stigraph.analytics.joins.eligible` open pairs: the organisation existed
then, had not dissolved, the country did not belong to it, and the treaty-accession and
regional rules allow it) by the model's calibrated probability of joining within the horizon.

**Explanations** are read from the model itself, by occlusion: for a recommended pair, each
feature in turn is set to its median over that country's candidates and the probability
predicted again; the features whose typical value would lower the probability most are the
ones that raised it. Each is said in plain words with the number behind it ("4 of Kenya's
Eastern Africa peers joined in the last 5 years (since 2010)"), which an analyst can check
with ``stigraph query members --param organisation=...`` on the graph with the COW data
included, or directly in the COW files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from stigraph.analytics.curated import PREFIX
from stigraph.analytics.features import FEATURES, NAMES, FeatureFrame, feature_matrix
from stigraph.analytics.joins import JoinData, Organisation, Snapshot, eligible, snapshot
from stigraph.analytics.model import TrainedModel, predict
from stigraph.errors import ParameterError
from stigraph.vocab.namespaces import actor_iri, country_iri, initiative_iri

__all__ = ["explain_rows", "origin_of", "recommend_with_model"]

INCOME_WORDS = {1.0: "a low-income", 2.0: "a lower-middle-income", 3.0: "an upper-middle-income",
                4.0: "a high-income"}


def origin_of(as_of_year: int | None, as_of_is_year_end: bool, data: JoinData) -> int:
    """The origin year of an as-of date: a year-dated fact has certainly started by the date
    only when the date is its year's last day, so the as-of date ``D`` reads the years before
    ``D``'s year, or ``D``'s year too when ``D`` is 31 December. Capped at the year after the
    data's last."""
    latest = data.last_year + 1
    if as_of_year is None:
        return latest
    origin = as_of_year + 1 if as_of_is_year_end else as_of_year
    return min(origin, latest)


def _group_sizes(data: JoinData, snap: Snapshot) -> dict[tuple[str, str], int]:
    sizes: dict[tuple[str, str], int] = {}
    for c in snap.countries:
        info = data.countries[c]
        for key, value in (("subregion", info.subregion), ("region", info.region),
                           ("income", info.income_as_of(snap.origin))):
            if value:
                sizes[(key, value)] = sizes.get((key, value), 0) + 1
    return sizes


def _related(data: JoinData, snap: Snapshot, country: str, org: str) -> tuple[str, float]:
    members: dict[str, set[str]] = {}
    for c, o in snap.full:
        members.setdefault(o, set()).add(c)
    target = members.get(org, set())
    best, score = "", 0.0
    # in code order, so that of two equally overlapping bodies the same one is named on every
    # run (the snapshot is a set: its order changes with the interpreter's hash seed)
    for o, ms in sorted(members.items()):
        if o == org or country not in ms:
            continue
        union = len(ms | target)
        j = len(ms & target) / union if union else 0.0
        if j > score:
            best, score = o, j
    return best, score


def _phrase(name: str, x: np.ndarray, data: JoinData, snap: Snapshot, country: str, org: str,
            sizes: dict[tuple[str, str], int]) -> str:
    v = float(x[NAMES.index(name)])
    info = data.countries[country]
    organisation = data.organisations[org]
    cname, oname = info.name, organisation.acronym or organisation.name
    c0 = snap.origin
    income = info.income_as_of(c0)
    group = {"subregion": info.subregion, "region": info.region, "income": income or ""}
    for key in ("subregion", "region", "income"):
        label = (f"{group[key]} " if key != "income"
                 else INCOME_WORDS.get(float(x[NAMES.index("country_income")]), "")
                 .split(" ", 1)[-1] + " ")
        if name == f"peer_{key}_share":
            others = sizes.get((key, group[key]), 1) - 1
            return (f"{round(v * others)} of {cname}'s {others} {label.strip()} peers are "
                    f"members of {oname}")
        for k in (5, 10):
            if name == f"peer_{key}_joined_{k}":
                return (f"{int(v)} of {cname}'s {label.strip()} peers joined {oname} in the "
                        f"last {k} years (since {c0 - k})")
    if np.isnan(v):
        meaning = dict(FEATURES)[name]
        return f"{cname}: {meaning} not known (missing in the data)"
    if name == "related_overlap_max":
        other, j = _related(data, snap, country, org)
        if other:
            o2 = data.organisations[other]
            return (f"{oname}'s members overlap {j:.0%} (Jaccard) with those of "
                    f"{o2.acronym or o2.name}, which {cname} belongs to")
    texts = {
        "org_size": f"{oname} has {int(v)} member states",
        "org_joins_5": f"{int(v)} countries joined {oname} in the last 5 years (since {c0 - 5})",
        "org_joins_10": f"{int(v)} countries joined {oname} in the last 10 years",
        "org_growth_5": f"{v:.0%} of {oname}'s members joined in the last 5 years",
        "org_age": f"{oname} was founded {int(v)} years earlier ({organisation.founded})",
        "org_regionality": f"{v:.0%} of {oname}'s members are in one region",
        "org_region_share": f"{v:.0%} of {oname}'s members are in {info.region}",
        "prior_observer": f"{cname} is an observer of {oname}",
        "prior_associate": f"{cname} is an associate member of {oname}",
        "former_member": f"{cname} was a member of {oname} before",
        "years_since_left": f"{cname} left {oname} {int(v)} years earlier",
        "related_overlap_mean": f"{oname}'s members overlap {v:.0%} on average with those of "
                                f"{cname}'s organisations",
        "country_memberships": f"{cname} belongs to {int(v)} organisations",
        "country_joins_5": f"{cname} joined {int(v)} organisations in the last 5 years",
        "country_income": f"{cname} is {INCOME_WORDS.get(v, 'unclassified')} country "
                          f"(World Bank FY{c0})",
        "country_lldc": f"{cname} is a landlocked developing country",
        "country_sids": f"{cname} is a small island developing state",
        "common": f"{int(v)} of {oname}'s members share an organisation with {cname}",
        "adamic_adar": f"Adamic–Adar index {v:.1f}",
        "resource_allocation": f"resource-allocation index {v:.2f}",
        "jaccard": f"weighted Jaccard index {v:.4f}",
        "preferential_attachment": f"preferential attachment {v:,.0f}",
    }
    if name.startswith("region_"):
        return f"{cname} is in {info.region}"
    if name in texts:
        return texts[name]
    return _activity_phrase(name, v, data, c0, cname, oname)


def _activity_phrase(name: str, v: float, data: JoinData, origin: int, cname: str,
                     oname: str) -> str:
    """The activity features and the two STI-body flags in words."""
    years = [y for y in (data.activity.coauthor if data.activity else {}) if y <= origin - 1]
    y = max(years) if years else origin - 1
    texts: dict[str, Callable[[], str]] = {
        "coauthor_members": lambda: f"{cname} co-authored {v:,.0f} works with {oname}'s "
                                    f"member countries in {y} (OpenAlex; `stigraph partners` "
                                    "shows them per country)",
        "coauthor_members_share": lambda: f"{v:.0%} of {cname}'s international co-authorship "
                                          f"in {y} is with {oname}'s members",
        "coauthor_members_growth": lambda: f"{cname}'s works with {oname}'s members grew "
                                           f"{2.0 ** min(v, 60.0):.1f}× from {y - 5} to {y}",
        "cordis_shared_projects": lambda: f"{v:,.0f} Horizon Europe projects started by "
                                          f"{origin - 1} join {cname} with organisations of "
                                          f"{oname}'s members",
        "cordis_shared_projects_last_year": lambda: f"{v:,.0f} Horizon Europe projects started "
                                                    f"in {origin - 1} join {cname} with "
                                                    f"{oname}'s members",
        "org_sti": lambda: f"{oname} is an STI body (curated seeds)",
        "predecessor_member": lambda: f"{cname} took part in {oname}'s predecessor programme",
    }
    return texts[name]() if name in texts else f"{name} = {v:g}"


def _medians(X: np.ndarray) -> np.ndarray:
    """Each column's median over its known values (missing where none is known)."""
    out = np.full(X.shape[1], np.nan)
    for f in range(X.shape[1]):
        known = X[~np.isnan(X[:, f]), f]
        if len(known):
            out[f] = float(np.median(known))
    return out


def explain_rows(model: TrainedModel, frame: FeatureFrame, rows: Sequence[int],
                 reference: np.ndarray, data: JoinData, snap: Snapshot, *,
                 top: int = 3) -> list[list[dict[str, Any]]]:
    """For each row of ``frame``: the ``top`` features that raised its probability most
    (against ``reference``, one value per feature), with the rise and a sentence."""
    if not rows:
        return []
    n = len(NAMES)
    batch = np.repeat(frame.X[list(rows)], n + 1, axis=0)
    for k in range(len(rows)):
        for f in range(n):
            batch[k * (n + 1) + 1 + f, f] = reference[f]
    p = predict(model.estimator, batch).reshape(len(rows), n + 1)
    sizes = _group_sizes(data, snap)
    out = []
    for k, r in enumerate(rows):
        rise = p[k, 0] - p[k, 1:]
        c, o = frame.pairs[r]
        items = []
        for f in np.argsort(-rise, kind="stable")[:top]:
            if rise[f] <= 0:
                break
            items.append({"feature": NAMES[f], "value": float(frame.X[r, f]),
                          "raises_by": float(rise[f]),
                          "text": _phrase(NAMES[f], frame.X[r], data, snap, c, o, sizes)})
        out.append(items)
    return out


def _open_pairs(data: JoinData, snap: Snapshot,
                countries: Sequence[str]) -> list[tuple[str, str]]:
    """The eligible open pairs of the countries present in ``snap``."""
    present = set(snap.countries)
    pairs = [(c, o) for c in countries if c in present for o in snap.orgs
             if (c, o) not in snap.full]
    return [p for p, k in zip(pairs, eligible(data, snap, pairs), strict=True) if k]


INITIATIVE_KINDS = frozenset({"FundingProgramme", "Programme"})


def _target_iri(org: Organisation) -> str:
    """A COW IGO's IRI as the COW importer writes it; a curated body's seed IRI."""
    if org.source == "curated":
        slug = org.key.removeprefix(PREFIX)
        return str(initiative_iri(slug) if org.kind in INITIATIVE_KINDS else actor_iri(slug))
    return str(actor_iri(f"cow-{org.key}"))


def recommend_with_model(model: TrainedModel, data: JoinData, countries: Sequence[str], *,
                         origin: int, top: int = 10, explain: int = 3) -> list[dict[str, Any]]:
    """The ``top`` organisations per country by the model's probability (``score``: of
    joining within the horizon), explained. ``target`` is the COW IGO's IRI as the COW
    importer writes it (``id/actor/cow-{ionum}``); the importer gives IGOs that are seed
    actors (CERN, the OECD, ASEAN…) the seed's IRI instead."""
    snap = snapshot(data, origin)
    unknown = [c for c in countries if c not in data.countries]
    if unknown:
        raise ParameterError(f"unknown country code(s): {', '.join(unknown)}")
    frame = feature_matrix(data, snap, _open_pairs(data, snap, countries))
    pairs = frame.pairs
    prob = model.predict(frame.X) if pairs else np.zeros(0)
    by_country: dict[str, list[int]] = {}
    for r, (c, _) in enumerate(pairs):
        by_country.setdefault(c, []).append(r)
    out: list[dict[str, Any]] = []
    for c in countries:
        rows = by_country.get(c, [])
        if not rows:
            continue
        ranked = sorted(rows, key=lambda r: (-prob[r], frame.pairs[r][1]))[:top]
        reference = _medians(frame.X[rows])
        reasons = explain_rows(model, frame, ranked, reference, data, snap, top=explain)
        for rank, (r, why) in enumerate(zip(ranked, reasons, strict=True), start=1):
            org = data.organisations[frame.pairs[r][1]]
            out.append({
                "country": c, "country_label": data.countries[c].name,
                "source": str(country_iri(c)),
                "target_group": "organisations", "rank": rank,
                "target": _target_iri(org), "target_code": org.acronym,
                "target_label": org.name,
                "target_kind": "initiative" if org.kind in INITIATIVE_KINDS else "actor",
                "method": "model", "model": model.kind,
                "score": round(float(prob[r]), 4), "horizon_years": model.horizon,
                "data_as_of": f"{origin - 1}-12-31",
                "explanation": "; ".join(item["text"] for item in why),
                "reason_features": [item["feature"] for item in why],
                "reason_values": [item["value"] for item in why],
                "reason_raises_by": [round(item["raises_by"], 4) for item in why],
            })
    return out
