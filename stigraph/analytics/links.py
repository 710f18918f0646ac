"""Missing-link indices, an ensemble, and recommendations (the scoring).

The words of each recommendation are written by :mod:`stigraph.analytics.explain`, the RDF of
predicted links by :mod:`stigraph.analytics.predicted_rdf`.

Topological indices for a pair ``(u, v)`` with neighbour sets ``Γ(u)``, ``Γ(v)`` and degrees ``k``:

- ``adamic_adar``: Σ over shared z of 1 / log k_z (Adamic & Adar 2003)
- ``resource_allocation``: Σ over shared z of 1 / k_z (Zhou, Lü & Zhang 2009)
- ``jaccard``: |Γ(u) ∩ Γ(v)| / |Γ(u) ∪ Γ(v)| (Liben-Nowell & Kleinberg 2007)
- ``preferential_attachment``: k_u · k_v, the popularity baseline (Liben-Nowell & Kleinberg 2007)
- ``community``: |Γ(u) ∩ Γ(v)| plus the shared z in the same community as u and v, when u and
  v share one (CN with community information, Soundarajan & Hopcroft 2012)
- ``ensemble``: the mean percentile rank of the five indices among the candidates

The indices are read on the heterogeneous cooperation graph
(:func:`stigraph.projection.cooperation_graph`): a country's neighbours are the organisations it
takes part in *and* the countries it shares one with, so the shared neighbours of a country and
an organisation are its co-member countries that belong to that organisation, or its own
organisations linked to it. Each recommendation names them.

>>> G = nx.Graph([("KE", "UG"), ("KE", "TZ"), ("UG", "cgiar"), ("TZ", "cgiar"), ("UG", "TZ")])
>>> s = pair_scores(G, [("KE", "cgiar")], communities={n: 0 for n in G})[0]
>>> s["common"], s["adamic_adar"] == 2 / math.log(3), s["resource_allocation"], s["jaccard"]
(2, True, 0.6666666666666666, 1.0)
>>> s["preferential_attachment"], s["community"]
(4.0, 4.0)
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import networkx as nx

from stigraph.analytics.explain import explain, label
from stigraph.analytics.records import Recommendation
from stigraph.errors import ParameterError

__all__ = ["INDICES", "METHODS", "TARGET_GROUPS", "Candidate", "Neighbourhoods", "candidates",
           "pair_scores", "percentile_ranks", "recommend"]

INDICES = ("adamic_adar", "resource_allocation", "jaccard", "preferential_attachment",
           "community")
METHODS = (*INDICES, "ensemble")
#: Node kinds a country may be recommended to link to.
TARGET_KINDS = ("actor", "initiative", "country")


@dataclass(frozen=True)
class Candidate:
    source: Any
    target: Any


def _check_method(method: str) -> None:
    if method not in (*METHODS, "random"):
        raise ParameterError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")


def candidates(G: nx.Graph, source: Any, *, kinds: Iterable[str] = TARGET_KINDS,
               nodes: Sequence[tuple[Any, Any]] | None = None) -> list[Any]:
    """Nodes of the allowed ``kinds`` that ``source`` is not yet linked to, sorted.

    Node kinds come from the ``kind`` node attribute (nodes without one are always allowed).
    Two countries that only share organisations (a country–country edge of ``relation``
    ``country`` without a ``direct`` link) are not yet linked: sharing the GCF beneficiaries
    is no partnership, so such a country stays a candidate partner. ``nodes``: every node
    with its kind, already sorted (:attr:`Neighbourhoods.kinds`), so that the candidates of
    many sources (the country profiles: ~140) do not sort the whole graph each time.
    """
    allowed = set(kinds)
    linked = {v for v, d in G[source].items()
              if not (d.get("relation") == "country" and not d.get("direct"))} | {source}
    ordered = nodes if nodes is not None else _sorted_kinds(G)
    return [v for v, kind in ordered
            if v not in linked and (kind is None or kind in allowed)]


def _sorted_kinds(G: nx.Graph) -> list[tuple[Any, Any]]:
    """Every node with its ``kind``, sorted by IRI."""
    return sorted(G.nodes(data="kind"), key=lambda n: str(n[0]))


class Neighbourhoods:
    """Weighted adjacency, strengths and degrees of ``G``, read once for many pairs.

    Scoring reads every candidate pair's neighbourhoods; going through NetworkX's views for
    each edge weight dominated the run time, so they are copied into plain dicts once.
    """

    def __init__(self, G: nx.Graph, weight: str | None = None) -> None:
        self.weight = weight
        self.adj: dict[Any, dict[Any, float]] = {
            u: ({v: float(d.get(weight, 1.0)) for v, d in nbrs.items()} if weight
                else dict.fromkeys(nbrs, 1.0))
            for u, nbrs in G.adjacency()}
        self.degree: dict[Any, int] = dict(G.degree())
        # fsum: exactly rounded, so the result does not depend on the store's triple order
        self.strength = {u: math.fsum(a.values()) for u, a in self.adj.items()}
        self._graph = G

    @cached_property
    def kinds(self) -> list[tuple[Any, Any]]:
        """Every node with its ``kind``, sorted by IRI (for :func:`candidates`)."""
        return _sorted_kinds(self._graph)


def pair_scores(G: nx.Graph, pairs: Sequence[tuple[Any, Any]], *,
                communities: Mapping[Any, int] | None = None,
                weight: str | None = None,
                neighbourhoods: Neighbourhoods | None = None) -> list[dict[str, Any]]:
    """Every index for every pair, with the shared neighbours (``common`` counts them).

    ``communities`` maps node -> community for the community-aware index; without it that index
    equals the (weighted) common-neighbour sum.

    With ``weight`` (an edge attribute, e.g. ``affinity``), each shared neighbour ``z`` counts
    ``c_z = (w(u,z) + w(z,v)) / 2`` instead of 1 (the weighted indices of Lü & Zhou 2010):
    Adamic–Adar ``Σ c_z / log k_z``, resource allocation ``Σ c_z / k_z``, Jaccard becomes the
    weighted (Ruzicka) ``Σ min(w_u, w_v) / Σ max(w_u, w_v)`` over the union of neighbours
    (``u`` and ``v`` themselves left out), preferential attachment ``s_u · s_v`` (strengths)
    and the community index ``Σ c_z`` plus ``c_z`` again for shared neighbours in the pair's
    community. With every weight 1 these are the unweighted indices. ``shared`` lists the
    shared neighbours, largest ``c_z`` first. ``neighbourhoods`` reuses one
    :class:`Neighbourhoods` of ``G`` across calls.
    """
    nb = neighbourhoods if neighbourhoods is not None else Neighbourhoods(G, weight)
    if nb.weight != weight:
        raise ParameterError(f"neighbourhoods weigh by {nb.weight!r}, not {weight!r}")
    return [_score_pair(nb, u, v, communities, weight) for u, v in pairs]


def _score_pair(nb: Neighbourhoods, u: Any, v: Any, communities: Mapping[Any, int] | None,
                weight: str | None) -> dict[str, Any]:
    adj, degree, strength = nb.adj, nb.degree, nb.strength
    au, av = adj[u], adj[v]
    contrib = {z: (au[z] + av[z]) / 2.0 for z in au.keys() & av.keys()}
    shared = sorted(contrib, key=lambda z: (-contrib[z], str(z)))
    if weight:
        # Σ max over the union = Σ w_u + Σ w_v - Σ min over the shared ones
        low = sum(min(au[z], av[z]) for z in shared)
        high = strength[u] - au.get(v, 0.0) + strength[v] - av.get(u, 0.0) - low
        su, sv = strength[u], strength[v]
    else:
        low, high = float(len(shared)), float(len(au) + len(av) - len(shared))
        su, sv = float(degree[u]), float(degree[v])
    return {
        "source": u, "target": v, "common": len(shared), "shared": shared,
        "contribution": [float(contrib[z]) for z in shared],
        "adamic_adar": float(sum(contrib[z] / math.log(degree[z]) for z in shared
                                 if degree[z] > 1)),
        "resource_allocation": float(sum(contrib[z] / degree[z] for z in shared)),
        "jaccard": float(low / high) if high > 0 else 0.0,
        "preferential_attachment": float(su * sv),
        "community": math.fsum(contrib.values()) + _same_community(u, v, shared, contrib,
                                                                   communities),
    }


def _same_community(u: Any, v: Any, shared: list[Any], contrib: dict[Any, float],
                    communities: Mapping[Any, int] | None) -> float:
    """Σ c_z over the shared neighbours in the community of both u and v (0 if they differ)."""
    cu = communities.get(u) if communities else None
    if communities is None or cu is None or communities.get(v) != cu:
        return 0.0
    return math.fsum(contrib[z] for z in shared if communities.get(z) == cu)


def percentile_ranks(values: Sequence[float]) -> list[float]:
    """Average-rank percentiles in [0, 1] (ties share their mean rank; one value -> 1.0).

    >>> percentile_ranks([0.0, 2.0, 2.0, 5.0])
    [0.0, 0.5, 0.5, 1.0]
    """
    n = len(values)
    if n == 0:
        return []
    if n == 1:
        return [1.0]
    order = sorted(range(n), key=lambda i: values[i])
    ranks = [0.0] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and values[order[j + 1]] == values[order[i]]:
            j += 1
        mean = (i + j) / 2.0
        for m in range(i, j + 1):
            ranks[order[m]] = mean / (n - 1)
        i = j + 1
    return ranks


def add_ensemble(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``ensemble``: the mean percentile rank of the five indices over these rows."""
    per_index = {m: percentile_ranks([r[m] for r in rows]) for m in INDICES}
    for i, row in enumerate(rows):
        row["ensemble"] = float(sum(per_index[m][i] for m in INDICES) / len(INDICES))
    return rows


def score_all(G: nx.Graph, pairs: Sequence[tuple[Any, Any]], *,
              communities: Mapping[Any, int] | None = None, seed: int = 0,
              weight: str | None = None,
              neighbourhoods: Neighbourhoods | None = None) -> list[dict[str, Any]]:
    """:func:`pair_scores` plus ``ensemble`` and a seeded ``random`` baseline score."""
    rows = add_ensemble(pair_scores(G, pairs, communities=communities, weight=weight,
                                    neighbourhoods=neighbourhoods))
    rng = random.Random(seed)
    for row in rows:
        row["random"] = rng.random()
    return rows


#: Candidate groups: recommended organisations (actors, initiatives, projects) and partner
#: countries are ranked separately, ``top`` of each.
TARGET_GROUPS = {"actor": "organisation", "initiative": "organisation",
                 "project": "organisation", "country": "country"}


def recommend(G: nx.Graph, sources: Sequence[Any], *, top: int = 10, method: str = "ensemble",
              kinds: Iterable[str] = TARGET_KINDS, communities: Mapping[Any, int] | None = None,
              peers: Mapping[Any, set[Any]] | None = None, peer_group: str = "",
              areas: Mapping[Any, Mapping[str, str]] | None = None,
              seed: int = 0, weight: str | None = "affinity",
              open_to: Mapping[Any, set[Any]] | None = None,
              neighbourhoods: Neighbourhoods | None = None) -> list[Recommendation]:
    """The ``top`` organisations and the ``top`` partner countries each source is not yet linked
    to, best first, each explained.

    Candidates of the allowed ``kinds`` fall into two groups ranked separately
    (:data:`TARGET_GROUPS`): ``organisation`` (actors, initiatives, projects) and ``country``;
    the ensemble's percentile ranks are taken within a group too.

    Parameters
    ----------
    G
        The cooperation graph (node attributes ``kind`` and ``label``; edge ``affinity``).
    sources
        Nodes to recommend for (countries).
    method
        One of :data:`METHODS`; the other indices are reported alongside.
    kinds
        Node kinds allowed as targets (actor, initiative, country).
    communities
        Node -> community for the community-aware index.
    peers
        Source -> its peer countries (same group); shared neighbours among them are named first.
    areas
        Node -> {area IRI: label}; a recommendation lists the areas it would add.
    weight
        Edge attribute the indices weigh shared neighbours by (see :func:`pair_scores`); the
        default ``affinity`` down-weights co-membership in big organisations.
    open_to
        Source -> the organisations open to it (e.g. with a member from its region and income
        group); other organisations are not candidates. ``None``: every organisation.
    neighbourhoods
        ``Neighbourhoods(G, weight)`` already made, shared by many calls on one graph.

    Returns
    -------
    list of Recommendation
        ``country``, ``target_group``, ``rank`` (within the group), ``target``,
        ``target_label``, ``target_kind``, ``method``, ``score``, every index (``scores``),
        ``shared`` (labels, peers first), ``new_areas``, ``explanation``, ``evidence``.
    """
    _check_method(method)
    kinds = tuple(kinds)
    if neighbourhoods is None:
        neighbourhoods = Neighbourhoods(G, weight)
    out: list[Recommendation] = []
    for source in sources:
        if source not in G:
            raise ParameterError(f"{source} is not in the graph")
        context = _SourceContext(source, set((peers or {}).get(source, set())), peer_group,
                                 _covered(G, source, areas), areas or {})
        allowed = open_to.get(source) if open_to is not None else None
        by_group = _candidate_groups(G, source, kinds, allowed, neighbourhoods.kinds)
        for group in ("organisation", "country"):
            targets = by_group.get(group, [])
            if not targets:
                continue
            rows = score_all(G, [(source, t) for t in targets], communities=communities,
                             seed=seed, weight=weight, neighbourhoods=neighbourhoods)
            # the ensemble's percentiles are taken over every candidate of the group; a
            # candidate with no shared neighbour has no evidence to show and is left out
            rows = [r for r in rows if r["common"] > 0]
            rows.sort(key=lambda r: (-r[method], -r["ensemble"], str(r["target"])))
            out.extend(_recommendation(G, row, context, group, position, method)
                       for position, row in enumerate(rows[:top], start=1))
    return out


@dataclass(frozen=True)
class _SourceContext:
    """What explaining the recommendations of one source needs."""

    source: Any
    peers: set[Any]
    peer_group: str
    covered: set[str]
    areas: Mapping[Any, Mapping[str, str]]


def _covered(G: nx.Graph, source: Any, areas: Mapping[Any, Mapping[str, str]] | None) -> set[str]:
    covered: set[str] = set()
    if areas:
        for z in G[source]:
            covered.update(areas.get(z, {}))
    return covered


def _candidate_groups(G: nx.Graph, source: Any, kinds: tuple[str, ...],
                      allowed: set[Any] | None, nodes: list[tuple[Any, Any]]
                      ) -> dict[str, list[Any]]:
    """Candidates of ``source`` by target group; organisations only among ``allowed``."""
    by_group: dict[str, list[Any]] = {}
    for t in candidates(G, source, kinds=kinds, nodes=nodes):
        group = TARGET_GROUPS.get(str(G.nodes[t].get("kind")), "organisation")
        if group == "organisation" and allowed is not None and t not in allowed:
            continue
        by_group.setdefault(group, []).append(t)
    return by_group


def _recommendation(G: nx.Graph, row: dict[str, Any], context: _SourceContext, group: str,
                    position: int, method: str) -> Recommendation:
    source, target = context.source, row["target"]
    new_areas = sorted(name for iri, name in dict(context.areas.get(target, {})).items()
                       if iri not in context.covered)
    explanation, evidence, shared = explain(G, row, context.peers, context.peer_group,
                                            new_areas)
    return Recommendation(
        country=G.nodes[source].get("code", source),
        country_label=label(G, source),
        target_group=group,
        rank=position,
        target=target,
        target_code=G.nodes[target].get("code", target),
        target_label=label(G, target),
        target_kind=G.nodes[target].get("kind", ""),
        method=method,
        score=float(row[method]),
        scores={m: float(row[m]) for m in METHODS},
        shared=[label(G, z) for z in shared],
        peers_shared=sum(1 for z in shared if z in context.peers),
        new_areas=new_areas,
        explanation=explanation,
        evidence=evidence,
        source=source,
    )
