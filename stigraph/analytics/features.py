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

Left out on purpose: the UN LDC list (the seeds give today's list, undated: graduations since
1971 would leak the future); R&D spending (UNESCO's series start in 1996 and are sparse for the
countries that matter here, so they cannot inform origins before 2000).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from stigraph.analytics.joins import INCOME_CODES, JoinData, Snapshot

__all__ = ["FEATURES", "FeatureFrame", "cooperation_graph", "feature_matrix"]

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


def feature_matrix(data: JoinData, snap: Snapshot,
                   pairs: Sequence[tuple[str, str]]) -> FeatureFrame:
    """The :data:`FEATURES` of each ``(country, organisation)`` pair of ``snap``."""
    c0 = snap.origin
    ci, oi, M = _membership(snap)
    n_c, n_o = M.shape
    J5, J10 = np.zeros_like(M), np.zeros_like(M)
    for (c, o), year in snap.joined.items():
        if (c, o) in snap.full and c in ci:
            J10[ci[c], oi[o]] = float(year >= c0 - 10)
            J5[ci[c], oi[o]] = float(year >= c0 - 5)
    size = M.sum(0)
    infos = [data.countries[c] for c in snap.countries]

    # peer diffusion: members and recent joiners among the other countries of each group
    peer: dict[str, tuple[np.ndarray, ...]] = {}
    for key, keys in (("subregion", [i.subregion or None for i in infos]),
                      ("region", [i.region or None for i in infos]),
                      ("income", [i.income_as_of(c0) for i in infos])):
        G, rows = _groups(keys)
        n = G.sum(0)
        peer[key] = (rows, n, G.T @ M, G.T @ J5, G.T @ J10)
    regionG, region_rows = _groups([i.region or None for i in infos])
    region_counts = regionG.T @ M
    regionality = np.divide(region_counts.max(0), size, out=np.zeros(n_o), where=size > 0)

    # related organisations: member overlap (Jaccard) between organisations
    co = M.T @ M
    union = size[:, None] + size[None, :] - co
    overlap = np.divide(co, union, out=np.zeros_like(co), where=union > 0)
    np.fill_diagonal(overlap, 0.0)
    ov_max, ov_mean = np.zeros((n_c, n_o)), np.zeros((n_c, n_o))
    for i in range(n_c):
        mine = M[i] > 0
        if mine.any():
            ov_max[i] = overlap[:, mine].max(1)
            ov_mean[i] = overlap[:, mine].mean(1)

    # topological indices on the cooperation graph (see cooperation_graph)
    S = M @ M.T
    np.fill_diagonal(S, 0.0)
    linked = (S > 0).astype(float)
    degree = M.sum(1) + linked.sum(1)
    strength = M.sum(1) + S.sum(1)
    A = np.where(S > 0, (S + 1.0) / 2.0, 0.0)
    common = linked @ M
    ra = A @ (M / np.maximum(degree, 1.0)[:, None])
    log_k = np.log(np.maximum(degree, 1.0))
    inv_log = np.divide(1.0, log_k, out=np.zeros_like(log_k), where=degree > 1)
    aa = A @ (M * inv_log[:, None])

    orgs = [data.organisations[o] for o in snap.orgs]
    age = np.array([c0 - 1 - o.founded if o.founded is not None else np.nan for o in orgs])
    kinds = {k: np.array([float(o.kind == k) for o in orgs]) for k in
             ("political", "social", "economic")}
    n_mem, n_join5 = M.sum(1), J5.sum(1)

    X = np.full((len(pairs), len(NAMES)), np.nan)
    for r, (c, o) in enumerate(pairs):
        i, j = ci[c], oi[o]
        info = infos[i]
        row: list[float] = [size[j], J5[:, j].sum(), J10[:, j].sum(),
                            J5[:, j].sum() / size[j] if size[j] else 0.0, age[j],
                            kinds["political"][j], kinds["social"][j], kinds["economic"][j],
                            regionality[j]]
        g = region_rows[i]
        row.append(region_counts[g, j] / size[j] if g >= 0 and size[j] else 0.0)
        for key in ("subregion", "region", "income"):
            rows, n, members, j5, j10 = peer[key]
            g = rows[i]
            if g < 0:
                row += [np.nan, np.nan, np.nan]
                continue
            others = n[g] - 1.0
            row += [(members[g, j] - M[i, j]) / others if others > 0 else 0.0,
                    j5[g, j] - J5[i, j], j10[g, j] - J10[i, j]]
        status = snap.status.get((c, o))
        left = snap.former.get((c, o))
        income = info.income_as_of(c0)
        row += [float(status == "observer"), float(status == "associate"),
                float(left is not None), float(c0 - 1 - left) if left is not None else np.nan,
                ov_max[i, j], ov_mean[i, j], n_mem[i], n_join5[i],
                INCOME_CODES[income] if income else np.nan,
                float(info.lldc), float(info.sids),
                *(float(info.region == reg) for reg in REGIONS),
                common[i, j], aa[i, j], ra[i, j],
                common[i, j] / (strength[i] + size[j] - common[i, j])
                if strength[i] + size[j] - common[i, j] > 0 else 0.0,
                strength[i] * size[j]]
        X[r] = row
    return FeatureFrame(c0, list(pairs), X)
