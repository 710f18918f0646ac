"""Features of a country–organisation pair as of an origin year, from facts before it only.

Every feature reads the :class:`~stigraph.analytics.joins.Snapshot` of the origin ``c`` (the
state at the end of year ``c - 1``) and nothing later: memberships that started by ``c - 1``,
organisation ages from founding years, the World Bank group of fiscal year ``c`` (released in
July of ``c - 1``). "Members" are full members; "peers" of a country are the other countries of
its UN M49 sub-region, region or World Bank income group that are in the system at ``c - 1``.
:data:`FEATURES` names and explains each column; :func:`feature_matrix` computes them with
NumPy for every pair of an origin at once.

The topological indices are those of :mod:`stigraph.analytics.links` read on the cooperation
graph of the snapshot (:func:`cooperation_graph`: country–organisation edges of weight 1 and
country–country edges weighted by the number of organisations both belong to), with the
weighted definitions of :func:`~stigraph.analytics.links.pair_scores`; they are computed here
as matrix products (a test checks they equal ``pair_scores`` on the same graph). The
community index is left out: it needs a Louvain run per origin and adds nothing the
peer-diffusion features do not already say.

The activity columns (:data:`~stigraph.analytics.activity.ACTIVITY_FEATURES`: co-authored
works with the members, shared Horizon Europe projects, their growth) come from
:mod:`stigraph.analytics.activity` under the same rule, missing where the data do not reach
back to the origin. ``org_sti`` marks the curated STI bodies of
:mod:`stigraph.analytics.curated`, ``predecessor_member`` membership of the predecessor
programme (:data:`PREDECESSOR`).

Left out on purpose: the UN LDC list (the seeds give today's list, undated: graduations since
1971 would leak the future); R&D spending (UNESCO's series start in 1996 and are sparse for the
countries that matter here, so they cannot inform origins before 2000).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from stigraph.analytics.activity import ACTIVITY_FEATURES, activity_columns
from stigraph.analytics.joins import INCOME_CODES, CountryInfo, JoinData, Snapshot

__all__ = ["FEATURES", "PREDECESSOR", "FeatureFrame", "cooperation_graph", "feature_matrix"]

#: A curated programme -> the programme it succeeds.
PREDECESSOR = {"stig:horizon-europe": "stig:horizon-2020"}

REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")

#: (name, meaning) of each column, in order.
FEATURES: tuple[tuple[str, str], ...] = (
    ("org_size", "full members of the organisation"),
    ("org_joins_5", "members that joined in the last 5 years (recent popularity)"),
    ("org_joins_10", "members that joined in the last 10 years"),
    ("org_growth_5", "members that joined in the last 5 years, as a share of its members"),
    ("org_age", "years since the organisation was founded"),
    ("org_political", "COW type: political"),
    ("org_social", "COW type: social"),
    ("org_economic", "COW type: economic"),
    ("org_regionality", "share of its members in its most represented region (1: regional)"),
    ("org_region_share", "share of its members in the country's region"),
    ("peer_subregion_share", "share of the country's sub-region peers that are members"),
    ("peer_subregion_joined_5", "sub-region peers that joined in the last 5 years"),
    ("peer_subregion_joined_10", "sub-region peers that joined in the last 10 years"),
    ("peer_region_share", "share of the country's region peers that are members"),
    ("peer_region_joined_5", "region peers that joined in the last 5 years"),
    ("peer_region_joined_10", "region peers that joined in the last 10 years"),
    ("peer_income_share", "share of the country's income-group peers that are members"),
    ("peer_income_joined_5", "income-group peers that joined in the last 5 years"),
    ("peer_income_joined_10", "income-group peers that joined in the last 10 years"),
    ("prior_observer", "the country is an observer of the organisation"),
    ("prior_associate", "the country is an associate member of the organisation"),
    ("former_member", "the country was a full member before and left"),
    ("years_since_left", "years since it left (missing if never a member)"),
    ("related_overlap_max", "largest member overlap (Jaccard) of the organisation with one "
     "the country belongs to"),
    ("related_overlap_mean", "mean member overlap (Jaccard) with the country's organisations"),
    ("country_memberships", "organisations the country belongs to"),
    ("country_joins_5", "organisations the country joined in the last 5 years"),
    ("country_income", "World Bank income group: 1 low, 2 lower-middle, 3 upper-middle, "
     "4 high (missing before FY1989 or when unclassified)"),
    ("country_lldc", "landlocked developing country"),
    ("country_sids", "small island developing state"),
    *((f"region_{r.lower()}", f"the country is in {r}") for r in REGIONS),
    ("common", "members of the organisation that share an organisation with the country "
     "(common neighbours)"),
    ("adamic_adar", "Adamic–Adar index (weighted, links.pair_scores)"),
    ("resource_allocation", "resource-allocation index (weighted)"),
    ("jaccard", "weighted Jaccard (Ruzicka) index"),
    ("preferential_attachment", "preferential attachment: the country's strength × the "
     "organisation's size"),
    ("org_sti", "the organisation is one of the curated STI bodies (CERN, EUREKA, the "
     "framework programmes, the DAC, ASEAN, the GCF), not a COW IGO"),
    ("predecessor_member", "the country is or was a member of the organisation's predecessor "
     "programme (Horizon 2020 for Horizon Europe)"),
    *ACTIVITY_FEATURES,
)
NAMES = tuple(name for name, _ in FEATURES)


@dataclass
class FeatureFrame:
    """The features of ``pairs`` (rows of ``X``, columns :data:`NAMES`) at ``origin``."""

    origin: int
    pairs: list[tuple[str, str]]
    X: np.ndarray

    def column(self, name: str) -> np.ndarray:
        return self.X[:, NAMES.index(name)]


def _membership(snap: Snapshot) -> tuple[dict[str, int], dict[str, int], np.ndarray]:
    ci = {c: i for i, c in enumerate(snap.countries)}
    oi = {o: j for j, o in enumerate(snap.orgs)}
    M = np.zeros((len(ci), len(oi)))
    for c, o in snap.full:
        if c in ci:
            M[ci[c], oi[o]] = 1.0
    return ci, oi, M


def cooperation_graph(snap: Snapshot) -> nx.Graph:
    """The snapshot as the weighted graph the topological indices read."""
    ci, _oi, M = _membership(snap)
    G = nx.Graph()
    G.add_nodes_from(snap.countries, kind="country")
    G.add_nodes_from(snap.orgs, kind="actor")
    for c, o in snap.full:
        if c in ci:
            G.add_edge(c, o, weight=1.0)
    S = M @ M.T
    for i, j in zip(*np.nonzero(np.triu(S, 1)), strict=True):
        G.add_edge(snap.countries[i], snap.countries[j], weight=float(S[i, j]))
    return G


def _groups(keys: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """One-hot matrix of group keys (None: in no group) and each row's group index (-1)."""
    labels = sorted({k for k in keys if k is not None})
    index = {k: g for g, k in enumerate(labels)}
    G = np.zeros((len(keys), max(len(labels), 1)))
    rows = np.full(len(keys), -1)
    for i, k in enumerate(keys):
        if k is not None:
            G[i, index[k]] = 1.0
            rows[i] = index[k]
    return G, rows


def _recent(snap: Snapshot, ci: dict[str, int], oi: dict[str, int],
            M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Members that joined in the last 5 and in the last 10 years (and are still members)."""
    J5, J10 = np.zeros_like(M), np.zeros_like(M)
    for (c, o), year in snap.joined.items():
        if (c, o) in snap.full and c in ci:
            J10[ci[c], oi[o]] = float(year >= snap.origin - 10)
            J5[ci[c], oi[o]] = float(year >= snap.origin - 5)
    return J5, J10


def _overlaps(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Largest and mean member overlap (Jaccard) of each organisation with the country's."""
    size = M.sum(0)
    co = M.T @ M
    union = size[:, None] + size[None, :] - co
    overlap = np.divide(co, union, out=np.zeros_like(co), where=union > 0)
    np.fill_diagonal(overlap, 0.0)
    ov_max, ov_mean = np.zeros(M.shape), np.zeros(M.shape)
    for i in range(M.shape[0]):
        mine = M[i] > 0
        if mine.any():
            ov_max[i] = overlap[:, mine].max(1)
            ov_mean[i] = overlap[:, mine].mean(1)
    return ov_max, ov_mean


def _topology(M: np.ndarray) -> dict[str, np.ndarray]:
    """The weighted indices of :func:`cooperation_graph` for every country-organisation pair."""
    S = M @ M.T
    np.fill_diagonal(S, 0.0)
    linked = (S > 0).astype(float)
    degree = M.sum(1) + linked.sum(1)
    A = np.where(S > 0, (S + 1.0) / 2.0, 0.0)
    log_k = np.log(np.maximum(degree, 1.0))
    inv_log = np.divide(1.0, log_k, out=np.zeros_like(log_k), where=degree > 1)
    strength = M.sum(1) + S.sum(1)
    common = linked @ M
    high = strength[:, None] + M.sum(0)[None, :] - common
    return {"common": common,
            "adamic_adar": A @ (M * inv_log[:, None]),
            "resource_allocation": A @ (M / np.maximum(degree, 1.0)[:, None]),
            "jaccard": np.divide(common, high, out=np.zeros_like(common), where=high > 0),
            "preferential_attachment": strength[:, None] * M.sum(0)[None, :]}


def _peer_values(peer: tuple[np.ndarray, ...], M: np.ndarray, J5: np.ndarray, J10: np.ndarray,
                 i: int, j: int) -> list[float]:
    rows, n, members, j5, j10 = peer
    g = rows[i]
    if g < 0:
        return [np.nan, np.nan, np.nan]
    others = n[g] - 1.0
    return [(members[g, j] - M[i, j]) / others if others > 0 else 0.0,
            j5[g, j] - J5[i, j], j10[g, j] - J10[i, j]]


def _peer_tables(infos: Sequence[CountryInfo], origin: int, M: np.ndarray, J5: np.ndarray,
                 J10: np.ndarray) -> dict[str, tuple[np.ndarray, ...]]:
    """Per sub-region, region and income group: members and recent joiners of each body."""
    peer: dict[str, tuple[np.ndarray, ...]] = {}
    for key, keys in (("subregion", [i.subregion or None for i in infos]),
                      ("region", [i.region or None for i in infos]),
                      ("income", [i.income_as_of(origin) for i in infos])):
        G, rows = _groups(keys)
        peer[key] = (rows, G.sum(0), G.T @ M, G.T @ J5, G.T @ J10)
    return peer


def _org_columns(data: JoinData, snap: Snapshot, M: np.ndarray, J5: np.ndarray,
                 J10: np.ndarray, region_counts: np.ndarray) -> np.ndarray:
    """The organisation features (org_size … org_regionality), one row per organisation."""
    size = M.sum(0)
    safe = np.maximum(size, 1.0)
    orgs = [data.organisations[k] for k in snap.orgs]
    return np.column_stack([
        size, J5.sum(0), J10.sum(0), J5.sum(0) / safe,
        [snap.origin - 1 - o.founded if o.founded is not None else np.nan for o in orgs],
        *([float(o.kind == kind) for o in orgs] for kind in ("political", "social", "economic")),
        region_counts.max(0) / safe])


def _predecessor(snap: Snapshot, country: str, org: str) -> float:
    before = PREDECESSOR.get(org)
    if before is None:
        return 0.0
    return float((country, before) in snap.full or (country, before) in snap.former)


def feature_matrix(data: JoinData, snap: Snapshot,
                   pairs: Sequence[tuple[str, str]]) -> FeatureFrame:
    """The :data:`FEATURES` of each ``(country, organisation)`` pair of ``snap``."""
    c0 = snap.origin
    ci, oi, M = _membership(snap)
    J5, J10 = _recent(snap, ci, oi, M)
    size = M.sum(0)
    infos = [data.countries[c] for c in snap.countries]
    peer = _peer_tables(infos, c0, M, J5, J10)
    regionG, region_rows = _groups([i.region or None for i in infos])
    region_counts = regionG.T @ M
    safe = np.maximum(size, 1.0)
    org_cols = _org_columns(data, snap, M, J5, J10, region_counts)
    share = np.vstack([region_counts / safe, np.zeros((1, len(size)))])  # row -1: no region
    ov_max, ov_mean = _overlaps(M)
    topo = _topology(M)
    n_mem, n_join5 = M.sum(1), J5.sum(1)
    activity = activity_columns(data.activity, c0, snap.countries, M)
    sti = [float(data.organisations[o].source == "curated") for o in snap.orgs]

    X = np.full((len(pairs), len(NAMES)), np.nan)
    for r, (c, o) in enumerate(pairs):
        i, j = ci[c], oi[o]
        info = infos[i]
        status = snap.status.get((c, o))
        left = snap.former.get((c, o))
        income = info.income_as_of(c0)
        X[r] = [*org_cols[j], share[region_rows[i], j],
                *_peer_values(peer["subregion"], M, J5, J10, i, j),
                *_peer_values(peer["region"], M, J5, J10, i, j),
                *_peer_values(peer["income"], M, J5, J10, i, j),
                float(status == "observer"), float(status == "associate"),
                float(left is not None), float(c0 - 1 - left) if left is not None else np.nan,
                ov_max[i, j], ov_mean[i, j], n_mem[i], n_join5[i],
                INCOME_CODES[income] if income else np.nan,
                float(info.lldc), float(info.sids),
                *(float(info.region == reg) for reg in REGIONS),
                *(topo[name][i, j] for name in ("common", "adamic_adar", "resource_allocation",
                                                "jaccard", "preferential_attachment")),
                sti[j], _predecessor(snap, c, o), *activity[i, j]]
    return FeatureFrame(c0, list(pairs), X)
