"""Evaluation of the missing-link methods against random and popularity baselines.

Two protocols, both scored on every candidate pair (a country and an actor/initiative it is not
linked to in the training graph), so the class balance is the real one:

- **hold-out**: a seeded random ``fraction`` of the country–organisation links is removed
  (with the country–country co-membership counts they imply); methods score the remaining
  graph and should rank the removed links high.
- **time split**: the graph as of a cutoff date predicts the links that started after it (and
  are present at the end date), among organisations that already had a link at the cutoff.
- **country time split**: the direct country–country network as of a cutoff (co-authorship
  counts from ``stigraph import openalex``, asserted partnerships) predicts the country pairs
  first linked after it, among countries that had a link at the cutoff; here the candidates
  are country pairs.

Metrics: AUC-PR (average precision, ties as one threshold) and precision@k (ties at the cut
count in expectation, so the result does not depend on tie order). Baselines measured in the
same run: ``random`` (seeded uniform scores) and ``popularity`` (preferential attachment).
Every method's row says whether it beats each baseline.

>>> average_precision([0.9, 0.8, 0.1, 0.1], [1, 0, 1, 0])
0.75
>>> precision_at_k([3.0, 2.0, 2.0, 1.0], [1, 1, 0, 0], 2)
0.75
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from stigraph.analytics.links import METHODS, score_all
from stigraph.analytics.records import EvaluationRow
from stigraph.errors import ParameterError

__all__ = ["MAX_PAIRS", "average_precision", "candidate_pairs", "evaluate_country_time_split",
           "evaluate_holdout", "evaluate_pairs", "evaluate_time_split", "holdout_graph",
           "precision_at_k"]

BASELINES = {"random": "random", "popularity": "preferential_attachment"}
ORG_KINDS = ("actor", "initiative", "project")


def average_precision(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the precision–recall curve as average precision; tied scores are one step."""
    positives = sum(labels)
    if positives == 0:
        return 0.0
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    ap, tp, seen, i = 0.0, 0, 0, 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        group_tp = sum(labels[order[m]] for m in range(i, j + 1))
        tp += group_tp
        seen += j - i + 1
        ap += (group_tp / positives) * (tp / seen)
        i = j + 1
    return float(ap)


def precision_at_k(scores: Sequence[float], labels: Sequence[int], k: int) -> float:
    """Share of positives among the ``k`` best; a tie group at the cut counts pro rata."""
    if k <= 0 or not scores:
        return 0.0
    k = min(k, len(scores))
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, taken, i = 0.0, 0, 0
    while taken < k and i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        size = j - i + 1
        group_pos = sum(labels[order[m]] for m in range(i, j + 1))
        room = min(size, k - taken)
        hits += group_pos * room / size
        taken += room
        i = j + 1
    return float(hits / k)


#: At most about this many candidate pairs are scored in one test. Above it: every positive and
#: a seeded uniform sample of the negatives, and the test's name says so (a country and an
#: organisation of the full Horizon Europe import make 11 million pairs).
MAX_PAIRS = 250_000


def _sorted_nodes(G: nx.Graph, nodes: Iterable[Any] | None, kinds: tuple[str, ...]) -> list[Any]:
    return sorted(nodes if nodes is not None else
                  (v for v, k in G.nodes(data="kind") if k in kinds), key=str)


def candidate_pairs(G: nx.Graph, positives: set[tuple[Any, Any]], *,
                    countries: Iterable[Any] | None = None, orgs: Iterable[Any] | None = None,
                    seed: int = 0, cap: int = MAX_PAIRS) -> tuple[list[tuple[Any, Any]], str]:
    """Country–organisation pairs not linked in ``G``, in (country, organisation) order, and a
    note: ``""`` when every pair is there, else how many of how many were sampled (every pair
    of ``positives``, and a seeded uniform sample of the others)."""
    cs = _sorted_nodes(G, countries, ("country",))
    os_ = _sorted_nodes(G, orgs, ORG_KINDS)
    if len(cs) * len(os_) <= cap:
        return _unlinked(G, cs, os_), ""
    wanted = _positives_by_country(G, positives, cs, set(os_))
    # negatives of each country: organisations neither linked to it nor positive
    org_set = set(os_)
    negatives = {c: len(os_) - sum(1 for o in G[c] if o in org_set) - len(wanted[c])
                 for c in cs}
    n_pos, n_neg = sum(map(len, wanted.values())), sum(negatives.values())
    if n_pos + n_neg <= cap:
        return _unlinked(G, cs, os_), ""
    chosen = sorted(random.Random(seed).sample(range(n_neg), min(n_neg, max(cap - n_pos, 0))))
    pairs = _picked(G, cs, os_, wanted, negatives, chosen)
    return pairs, (f" (sample: {len(pairs):,} of {n_pos + n_neg:,} candidate pairs, every "
                   "positive kept)")


def _unlinked(G: nx.Graph, cs: list[Any], os_: list[Any]) -> list[tuple[Any, Any]]:
    return [(c, o) for c in cs for o in os_ if not G.has_edge(c, o)]


def _positives_by_country(G: nx.Graph, positives: set[tuple[Any, Any]], cs: list[Any],
                          org_set: set[Any]) -> dict[Any, set[Any]]:
    wanted: dict[Any, set[Any]] = {c: set() for c in cs}
    for c, o in positives:
        if c in wanted and o in org_set and not G.has_edge(c, o):
            wanted[c].add(o)
    return wanted


def _picked(G: nx.Graph, cs: list[Any], os_: list[Any], wanted: dict[Any, set[Any]],
            negatives: dict[Any, int], chosen: list[int]) -> list[tuple[Any, Any]]:
    """The positive pairs and the ``chosen`` negatives (indices into all countries' negatives
    in order), in (country, organisation) order.

    A country's negatives are the organisations of ``os_`` less those it is linked to or has
    as positives; the ``r``-th of them is found by stepping over those left-out positions
    (never by listing every organisation for every country: 250 countries by 45,000
    organisations on the default graph).
    """
    position = {o: i for i, o in enumerate(os_)}
    pairs: list[tuple[Any, Any]] = []
    start = 0
    for c in cs:
        end = start + negatives[c]
        local = chosen[bisect.bisect_left(chosen, start):bisect.bisect_left(chosen, end)]
        if local or wanted[c]:
            skipped = sorted({position[o] for o in G[c] if o in position}
                             | {position[o] for o in wanted[c]})
            picked = [position[o] for o in wanted[c]]
            k = 0  # left-out positions at or before the current one
            for rank in (i - start for i in local):
                at = rank + k
                while k < len(skipped) and skipped[k] <= at:
                    k += 1
                    at = rank + k
                picked.append(at)
            pairs.extend((c, os_[i]) for i in sorted(picked))
        start = end
    return pairs


def _membership_links(G: nx.Graph) -> list[tuple[str, str]]:
    """The (country, organisation) membership links, sorted; at least one."""
    links = sorted(((u, v) if G.nodes[u].get("kind") == "country" else (v, u))
                   for u, v, rel in G.edges(data="relation") if rel == "membership")
    if not links:
        raise ParameterError("no country–organisation link on this date to hold out; choose "
                             "a later date")
    return [(str(c), str(o)) for c, o in links]


def holdout_graph(G: nx.Graph, *, fraction: float = 0.1,
                  seed: int = 0) -> tuple[nx.Graph, list[tuple[Any, Any]]]:
    """Remove a seeded ``fraction`` of the country–organisation links; return (graph, removed).

    Country–country co-membership weights that the removed links implied are decreased (and
    the edge dropped at 0), so no trace of a removed link is left in the training graph.
    """
    if not 0 < fraction < 1:
        raise ParameterError("the hold-out fraction must be between 0 and 1")
    links = _membership_links(G)
    rng = random.Random(seed)
    removed = sorted(rng.sample(links, max(1, round(fraction * len(links)))))
    H = G.copy()
    for c, o in removed:
        H.remove_edge(c, o)
        for other in list(H[o]):
            if other == c or H.nodes[other].get("kind") != "country" or not H.has_edge(c, other):
                continue
            data = H[c][other]
            if data.get("relation") != "country":
                continue
            data["weight"] -= 1.0
            if data["weight"] <= 0:
                H.remove_edge(c, other)
            else:
                data["distance"] = 1.0 / data["weight"]
    if any("affinity" in d for _, _, d in G.edges(data=True)):
        from stigraph.projection.networks import add_affinity
        add_affinity(H)
    return H, removed


def evaluate_pairs(G: nx.Graph, pairs: Sequence[tuple[Any, Any]], positives: set[tuple[Any, Any]],
                   *, split: str, communities: dict[Any, int] | None = None, seed: int = 0,
                   ks: Sequence[int] = (10, 50, 100),
                   weight: str | None = "affinity") -> list[EvaluationRow]:
    """Score ``pairs`` on ``G`` with every method and both baselines; one row per method.

    ``weight``: the edge attribute the indices weigh shared neighbours by (``affinity``, see
    :func:`stigraph.projection.add_affinity`), ``None`` for the unweighted indices; an edge
    without it counts 1.
    """
    if not pairs:
        raise ParameterError(f"{split}: no candidate pairs to score")
    rows = score_all(G, pairs, communities=communities, seed=seed, weight=weight)
    labels = [1 if (r["source"], r["target"]) in positives else 0 for r in rows]
    scored = {method: [float(r[method]) for r in rows] for method in (*METHODS, "random")}
    ap = {method: average_precision(scores, labels) for method, scores in scored.items()}
    return [EvaluationRow(
        split=split,
        method="popularity (preferential_attachment)" if method == "preferential_attachment"
        else method,
        baseline=method in BASELINES.values(),
        positives=sum(labels), candidates=len(rows), auc_pr=ap[method],
        precision_at={k: precision_at_k(scores, labels, k) for k in ks},
        beats_random=bool(ap[method] > ap["random"]),
        beats_popularity=bool(ap[method] > ap["preferential_attachment"]),
    ) for method, scores in scored.items()]


def evaluate_holdout(G: nx.Graph, *, fraction: float = 0.1, seed: int = 0,
                     communities: dict[Any, int] | None = None,
                     ks: Sequence[int] = (10, 50, 100)) -> list[EvaluationRow]:
    """Random hold-out of country–organisation links (see the module notes)."""
    H, removed = holdout_graph(G, fraction=fraction, seed=seed)
    if communities is None:
        from stigraph.analytics.communities import communities as louvain
        from stigraph.analytics.communities import community_map
        communities = community_map(louvain(H, seed=seed))
    positives = set(removed)
    pairs, note = candidate_pairs(H, positives, seed=seed)
    return evaluate_pairs(H, pairs, positives, split=f"hold-out {fraction:.0%}{note}",
                          communities=communities, seed=seed, ks=ks)


def evaluate_time_split(before: nx.Graph, after: nx.Graph, *, cutoff: str, seed: int = 0,
                        ks: Sequence[int] = (10, 50, 100)) -> list[EvaluationRow]:
    """The graph as of ``cutoff`` (``before``) predicts links present in ``after`` but not before.

    Candidates: every country and every actor/initiative that already has a link in ``before``.
    """
    from stigraph.analytics.communities import communities as louvain
    from stigraph.analytics.communities import community_map

    orgs = [v for v, k in before.nodes(data="kind") if k in ORG_KINDS and before.degree(v) > 0]
    countries = [v for v, k in before.nodes(data="kind") if k == "country"]
    org_set = set(orgs)
    later = {(c, o) for c in countries if c in after for o in after[c]
             if o in org_set and not before.has_edge(c, o)}
    pairs, note = candidate_pairs(before, later, countries=countries, orgs=orgs, seed=seed)
    positives = {(c, o) for c, o in pairs if after.has_edge(c, o)}
    if not positives:
        raise ParameterError(f"no links started after {cutoff} among the organisations known "
                             "then; choose an earlier cutoff (stigraph evaluate --cutoff)")
    return evaluate_pairs(before, pairs, positives, split=f"time split {cutoff}{note}",
                          communities=community_map(louvain(before, seed=seed)), seed=seed,
                          ks=ks)


def evaluate_country_time_split(before: nx.Graph, after: nx.Graph, *, cutoff: str, seed: int = 0,
                                ks: Sequence[int] = (10, 50, 100)) -> list[EvaluationRow]:
    """Direct country–country links as of ``cutoff`` predict the pairs first linked after it.

    ``before``/``after``: graphs of countries and their direct links. Candidates: every pair of
    countries that both have a link in ``before`` and are not linked in it; the indices are
    unweighted (co-authorship counts span five orders of magnitude).
    """
    from stigraph.analytics.communities import communities as louvain
    from stigraph.analytics.communities import community_map

    active = sorted((c for c in before if before.degree(c) > 0), key=str)
    pairs = [(a, b) for i, a in enumerate(active) for b in active[i + 1:]
             if not before.has_edge(a, b)]
    positives = {(a, b) for a, b in pairs if after.has_edge(a, b)}
    if not positives:
        raise ParameterError(f"no country pairs were first linked after {cutoff}; import "
                             "co-authorship (stigraph import openalex) or choose an earlier "
                             "cutoff (stigraph evaluate --cutoff)")
    return evaluate_pairs(before, pairs, positives, split=f"country time split {cutoff}",
                          communities=community_map(louvain(before, seed=seed)), seed=seed,
                          ks=ks, weight=None)
