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
from stigraph.namespaces import DCTERMS, RDF, RDFS, STIG, XSD, instance_iri

__all__ = ["INDICES", "METHODS", "Candidate", "candidates", "pair_scores", "percentile_ranks",
           "predicted_links_rdf", "recommend"]

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
    """
    allowed = set(kinds)
    linked = set(G[source]) | {source}
    return sorted((v for v, kind in G.nodes(data="kind")
                   if v not in linked and (kind is None or kind in allowed)), key=str)


def pair_scores(G: nx.Graph, pairs: Sequence[tuple[Any, Any]], *,
                communities: Mapping[Any, int] | None = None) -> list[dict[str, Any]]:
    """Every index for every pair, with the shared neighbours (``common`` counts them).

    ``communities`` maps node -> community for the community-aware index; without it that index
    equals the common-neighbour count.
    """
    degree = dict(G.degree())
    rows = []
    for u, v in pairs:
        nu, nv = set(G[u]), set(G[v])
        shared = sorted(nu & nv, key=str)
        union = len(nu | nv)
        cu = communities.get(u) if communities else None
        same = 0
        if communities is not None and cu is not None and communities.get(v) == cu:
            same = sum(1 for z in shared if communities.get(z) == cu)
        rows.append({
            "source": u, "target": v, "common": len(shared), "shared": shared,
            "adamic_adar": float(sum(1.0 / math.log(degree[z]) for z in shared if degree[z] > 1)),
            "resource_allocation": float(sum(1.0 / degree[z] for z in shared)),
            "jaccard": float(len(shared) / union) if union else 0.0,
            "preferential_attachment": float(degree[u] * degree[v]),
            "community": float(len(shared) + same),
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
              communities: Mapping[Any, int] | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """:func:`pair_scores` plus ``ensemble`` and a seeded ``random`` baseline score."""
    rows = add_ensemble(pair_scores(G, pairs, communities=communities))
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


def _explain(G: nx.Graph, row: dict[str, Any], peers: set[Any], peer_group: str,
             new_areas: list[str]) -> tuple[str, list[str]]:
    u, v, shared = row["source"], row["target"], row["shared"]
    target = _label(G, v)
    kind_v = G.nodes[v].get("kind")
    parts: list[str] = []
    countries = [z for z in shared if G.nodes[z].get("kind") == "country"]
    others = [z for z in shared if G.nodes[z].get("kind") != "country"]
    if countries:
        in_group = [z for z in countries if z in peers]
        named = in_group or countries
        plural = len(named) > 1
        note = f", peers in the same group ({peer_group})," if in_group and peer_group else ""
        if kind_v == "country":
            parts.append(f"{_names(G, named)}{note} {'cooperate' if plural else 'cooperates'} "
                         f"with both")
        else:
            parts.append(f"{_names(G, named)}{note} {'take' if plural else 'takes'} part in "
                         f"{target}")
    if others:
        parts.append(f"{_label(G, u)} already takes part in {_names(G, others)}, linked to "
                     f"{target}")
    if not shared:
        parts.append(f"no shared neighbours; {target} is well connected "
                     f"(degree {G.degree(v)})")
    if new_areas:
        parts.append("would add " + ", ".join(new_areas))
    paths = []
    for z in shared[:5]:
        paths.append(f"{_label(G, u)} — {_label(G, z)} — {target}")
    return "; ".join(parts), paths


def recommend(G: nx.Graph, sources: Sequence[Any], *, top: int = 10, method: str = "ensemble",
              kinds: Iterable[str] = TARGET_KINDS, communities: Mapping[Any, int] | None = None,
              peers: Mapping[Any, set[Any]] | None = None, peer_group: str = "",
              areas: Mapping[Any, Mapping[str, str]] | None = None,
              seed: int = 0) -> list[dict[str, Any]]:
    """The ``top`` nodes each source is not yet linked to, best first, each explained.

    Parameters
    ----------
    G
        The cooperation graph (node attributes ``kind`` and ``label``).
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

    Returns
    -------
    list of dict
        ``country``, ``target``, ``target_label``, ``target_kind``, ``rank``, ``method``,
        ``score``, every index, ``shared`` (labels), ``new_areas``, ``explanation``, ``evidence``.
    """
    _check_method(method)
    kinds = tuple(kinds)
    out: list[dict[str, Any]] = []
    for source in sources:
        if source not in G:
            raise ParameterError(f"{source} is not in the graph")
        targets = candidates(G, source, kinds=kinds)
        rows = score_all(G, [(source, t) for t in targets], communities=communities, seed=seed)
        rows.sort(key=lambda r: (-r[method], -r["ensemble"], str(r["target"])))
        covered: set[str] = set()
        if areas:
            for z in G[source]:
                covered.update(areas.get(z, {}))
        for position, row in enumerate(rows[:top], start=1):
            target = row["target"]
            target_areas = dict(areas.get(target, {})) if areas else {}
            new_areas = sorted(label for iri, label in target_areas.items() if iri not in covered)
            explanation, evidence = _explain(G, row, set((peers or {}).get(source, set())),
                                             peer_group, new_areas)
            out.append({
                "country": G.nodes[source].get("code", source),
                "country_label": _label(G, source),
                "rank": position,
                "target": target,
                "target_code": G.nodes[target].get("code", target),
                "target_label": _label(G, target),
                "target_kind": G.nodes[target].get("kind", ""),
                "method": method,
                "score": float(row[method]),
                **{m: float(row[m]) for m in METHODS},
                "shared": [_label(G, z) for z in row["shared"]],
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
