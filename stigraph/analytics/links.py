"""Missing-link indices, an ensemble, and explained recommendations.

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

import hashlib
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef

from stigraph.errors import ParameterError
from stigraph.vocab.namespaces import DCTERMS, RDF, RDFS, STIG, XSD, instance_iri

__all__ = ["INDICES", "METHODS", "TARGET_GROUPS", "Candidate", "Neighbourhoods", "candidates",
           "pair_scores", "percentile_ranks", "predicted_links_rdf", "recommend"]

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


def candidates(G: nx.Graph, source: Any, *,
               kinds: Iterable[str] = TARGET_KINDS) -> list[Any]:
    """Nodes of the allowed ``kinds`` that ``source`` is not yet linked to, sorted.

    Node kinds come from the ``kind`` node attribute (nodes without one are always allowed).
    Two countries that only share organisations (a country–country edge of ``relation``
    ``country`` without a ``direct`` link) are not yet linked: sharing the GCF beneficiaries
    is no partnership, so such a country stays a candidate partner.
    """
    allowed = set(kinds)
    linked = {v for v, d in G[source].items()
              if not (d.get("relation") == "country" and not d.get("direct"))} | {source}
    return sorted((v for v, kind in G.nodes(data="kind")
                   if v not in linked and (kind is None or kind in allowed)), key=str)


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
    adj, degree, strength = nb.adj, nb.degree, nb.strength
    rows = []
    for u, v in pairs:
        au, av = adj[u], adj[v]
        contrib = {z: (au[z] + av[z]) / 2.0 for z in au.keys() & av.keys()}
        shared = sorted(contrib, key=lambda z: (-contrib[z], str(z)))
        cu = communities.get(u) if communities else None
        same = 0.0
        if communities is not None and cu is not None and communities.get(v) == cu:
            same = math.fsum(contrib[z] for z in shared if communities.get(z) == cu)
        if weight:
            # Σ max over the union = Σ w_u + Σ w_v - Σ min over the shared ones
            low = sum(min(au[z], av[z]) for z in shared)
            high = strength[u] - au.get(v, 0.0) + strength[v] - av.get(u, 0.0) - low
            su, sv = strength[u], strength[v]
        else:
            low, high = float(len(shared)), float(len(au) + len(av) - len(shared))
            su, sv = float(degree[u]), float(degree[v])
        rows.append({
            "source": u, "target": v, "common": len(shared), "shared": shared,
            "contribution": [float(contrib[z]) for z in shared],
            "adamic_adar": float(sum(contrib[z] / math.log(degree[z]) for z in shared
                                     if degree[z] > 1)),
            "resource_allocation": float(sum(contrib[z] / degree[z] for z in shared)),
            "jaccard": float(low / high) if high > 0 else 0.0,
            "preferential_attachment": float(su * sv),
            "community": math.fsum(contrib.values()) + same,
        })
    return rows


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


def _label(G: nx.Graph, v: Any) -> str:
    return str(G.nodes[v].get("label", v)) if v in G else str(v)


def _names(G: nx.Graph, nodes: Sequence[Any], limit: int = 3) -> str:
    labels = [_label(G, z) for z in nodes[:limit]]
    more = len(nodes) - limit
    text = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return text + (f" (and {more} more)" if more > 0 else "")


#: Candidate groups: recommended organisations (actors, initiatives, projects) and partner
#: countries are ranked separately, ``top`` of each.
TARGET_GROUPS = {"actor": "organisation", "initiative": "organisation",
                 "project": "organisation", "country": "country"}


def _ordered_shared(G: nx.Graph, row: dict[str, Any], peers: set[Any]) -> list[Any]:
    """Shared neighbours: peers first, then the ones that say most (largest contribution)."""
    weight = dict(zip(row["shared"], row.get("contribution", [1.0] * len(row["shared"])),
                      strict=True))
    return sorted(row["shared"], key=lambda z: (z not in peers, -weight[z], _label(G, z)))


def _explain(G: nx.Graph, row: dict[str, Any], peers: set[Any], peer_group: str,
             new_areas: list[str]) -> tuple[str, list[str], list[Any]]:
    u, v = row["source"], row["target"]
    shared = _ordered_shared(G, row, peers)
    target = _label(G, v)
    kind_v = G.nodes[v].get("kind")
    parts: list[str] = []
    countries = [z for z in shared if G.nodes[z].get("kind") == "country"]
    others = [z for z in shared if G.nodes[z].get("kind") != "country"]
    if others and kind_v == "country":  # the organisations both take part in say most
        parts.append(f"both take part in {_names(G, others)}")
    elif others:
        parts.append(f"{_label(G, u)} already takes part in {_names(G, others)}, linked to "
                     f"{target}")
    in_group = [z for z in countries if z in peers]
    if in_group:
        plural = len(in_group) > 1
        note = (f", peers in the same group ({peer_group}),"
                if peer_group else ", peers in the same group,")
        verb = (("cooperate" if plural else "cooperates") + " with both" if kind_v == "country"
                else ("are members" if plural else "is a member") + f" of {target}")
        parts.append(f"{_names(G, in_group)}{note} {verb}")
    rest = [z for z in countries if z not in peers]
    if rest:
        plural = len(rest) > 1
        verb = (("cooperate" if plural else "cooperates") + " with both" if kind_v == "country"
                else ("take" if plural else "takes") + f" part in {target}")
        parts.append(f"{'also ' if in_group else ''}{_names(G, rest)} {verb}")
    if not shared:
        parts.append(f"no shared neighbours; {target} is well connected "
                     f"(degree {G.degree(v)})")
    if new_areas:
        parts.append("would add " + ", ".join(new_areas))
    paths = [f"{_label(G, u)} — {_label(G, z)} — {target}" for z in shared[:5]]
    return "; ".join(parts), paths, shared


def recommend(G: nx.Graph, sources: Sequence[Any], *, top: int = 10, method: str = "ensemble",
              kinds: Iterable[str] = TARGET_KINDS, communities: Mapping[Any, int] | None = None,
              peers: Mapping[Any, set[Any]] | None = None, peer_group: str = "",
              areas: Mapping[Any, Mapping[str, str]] | None = None,
              seed: int = 0, weight: str | None = "affinity",
              open_to: Mapping[Any, set[Any]] | None = None) -> list[dict[str, Any]]:
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

    Returns
    -------
    list of dict
        ``country``, ``target_group``, ``rank`` (within the group), ``target``,
        ``target_label``, ``target_kind``, ``method``, ``score``, every index, ``shared``
        (labels, peers first), ``new_areas``, ``explanation``, ``evidence``.
    """
    _check_method(method)
    kinds = tuple(kinds)
    neighbourhoods = Neighbourhoods(G, weight)
    out: list[dict[str, Any]] = []
    for source in sources:
        if source not in G:
            raise ParameterError(f"{source} is not in the graph")
        source_peers = set((peers or {}).get(source, set()))
        covered: set[str] = set()
        if areas:
            for z in G[source]:
                covered.update(areas.get(z, {}))
        by_group: dict[str, list[Any]] = {}
        allowed = open_to.get(source) if open_to is not None else None
        for t in candidates(G, source, kinds=kinds):
            group = TARGET_GROUPS.get(str(G.nodes[t].get("kind")), "organisation")
            if group == "organisation" and allowed is not None and t not in allowed:
                continue
            by_group.setdefault(group, []).append(t)
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
            for position, row in enumerate(rows[:top], start=1):
                target = row["target"]
                target_areas = dict(areas.get(target, {})) if areas else {}
                new_areas = sorted(label for iri, label in target_areas.items()
                                   if iri not in covered)
                explanation, evidence, shared = _explain(G, row, source_peers, peer_group,
                                                         new_areas)
                out.append({
                    "country": G.nodes[source].get("code", source),
                    "country_label": _label(G, source),
                    "target_group": group,
                    "rank": position,
                    "target": target,
                    "target_code": G.nodes[target].get("code", target),
                    "target_label": _label(G, target),
                    "target_kind": G.nodes[target].get("kind", ""),
                    "method": method,
                    "score": float(row[method]),
                    **{m: float(row[m]) for m in METHODS},
                    "shared": [_label(G, z) for z in shared],
                    "peers_shared": sum(1 for z in shared if z in source_peers),
                    "new_areas": new_areas,
                    "explanation": explanation,
                    "evidence": evidence,
                    "source": source,
                })
    return out


def predicted_links_rdf(recommendations: Iterable[Mapping[str, Any]], *,
                        as_of: str | None = None) -> Graph:
    """Recommendations as RDF, apart from asserted facts.

    Each becomes a ``stig:PredictedLink`` (an ``rdf:Statement`` with ``rdf:subject``,
    ``rdf:predicate stig:recommendedLink``, ``rdf:object``, ``stig:score``, ``stig:method``,
    ``stig:explanation``, ``stig:provenance stig:Predicted`` and ``dct:date`` = the as-of date)
    plus the direct edge ``subject stig:recommendedLink object``, which the Neo4j loader carries
    as its own relationship type ``RECOMMENDED_LINK``.
    """
    g = Graph()
    g.bind("stig", STIG)
    g.bind("dct", DCTERMS)
    for rec in recommendations:
        subject, obj = URIRef(str(rec["source"])), URIRef(str(rec["target"]))
        method = str(rec["method"])
        key = hashlib.sha1(f"{subject}\x1f{obj}\x1f{method}\x1f{as_of or ''}".encode()
                           ).hexdigest()[:16]
        node = instance_iri("prediction", key)
        g.add((node, RDF.type, STIG.PredictedLink))
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.subject, subject))
        g.add((node, RDF.predicate, STIG.recommendedLink))
        g.add((node, RDF.object, obj))
        g.add((node, STIG.score, Literal(float(rec["score"]), datatype=XSD.double)))
        g.add((node, STIG.method, Literal(method)))
        g.add((node, STIG.explanation, Literal(str(rec.get("explanation", "")))))
        g.add((node, STIG.provenance, STIG.Predicted))
        g.add((node, RDFS.label, Literal(f"{rec.get('country_label', subject)} → "
                                         f"{rec.get('target_label', obj)} ({method})")))
        if as_of:
            g.add((node, DCTERMS.date, Literal(as_of, datatype=XSD.date)))
        g.add((subject, STIG.recommendedLink, obj))
    return g
