"""One entry point per analysis, from the RDF graph to result records (what the CLI calls).

Each function takes the RDF graph first and keyword-only options, builds the projection it needs
(as of a date, optionally for one cooperation area) and returns plain records.
"""

from __future__ import annotations

import datetime
from typing import Any

import networkx as nx
from rdflib import Graph

from stigraph.analytics import centrality as _centrality
from stigraph.analytics import communities as _communities
from stigraph.analytics import evaluate as _evaluate
from stigraph.analytics import gaps as _gaps
from stigraph.analytics import groups as _groups
from stigraph.analytics import links as _links
from stigraph.errors import ParameterError
from stigraph.projection.networks import (
    as_of_date,
    cooperation_graph,
    edge_rows,
    ended_organisations,
    organisation_areas,
    project,
)
from stigraph.queries.sparql import resolve_in_graph
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import RDF, SKOS, STIG

__all__ = ["centrality_report", "choose_cutoff", "communities_report", "evaluation_report",
           "gaps_report", "open_organisations", "recommend_report"]


def _year(as_of: str | None) -> int | None:
    date = as_of_date(as_of)
    return int(date[:4]) if date else None


def _group_nodes(graph: Graph, group: str | None, as_of: str | None) -> list[str] | None:
    if not group:
        return None
    return [c.iri for c in _groups.members_of(graph, group, year=_year(as_of))]


def centrality_report(graph: Graph, *, projection: str = "country-country",
                      as_of: str | None = None, area: str | None = None,
                      group: str | None = None, by: str = "pagerank", k: int | None = None,
                      seed: int = 0, top: int | None = None) -> list[dict[str, Any]]:
    """Centralities of a projection, ranked by ``by``; with ``group`` only its countries, with
    their rank within the group (``group_rank``) and overall (``rank``)."""
    G = project(graph, projection, as_of=as_of, area=area)
    rows = _centrality.centrality(G, k=k, seed=seed)
    ranked = _centrality.rank(rows, by=by, within=_group_nodes(graph, group, as_of))
    return ranked[:top] if top else ranked


def communities_report(graph: Graph, *, projection: str = "country-country",
                       as_of: str | None = None, area: str | None = None,
                       seed: int = 0, resolution: float = 1.0,
                       summary: bool = False) -> list[dict[str, Any]]:
    """Louvain community of each node (or one row per community with ``summary``)."""
    G = project(graph, projection, as_of=as_of, area=area)
    result = _communities.communities(G, seed=seed, resolution=resolution)
    return result.summary() if summary else result.nodes


def _area_labels(graph: Graph) -> dict[str, str]:
    labels = {}
    for area in graph.subjects(RDF.type, STIG.CooperationArea):
        labels[str(area)] = label_of(graph, str(area), (SKOS.prefLabel,))
    return dict(sorted(labels.items()))


def _countries(graph: Graph, country: str | None, group: str | None,
               infos: dict[str, _groups.CountryInfo], year: int | None) -> list[str]:
    if country:
        return [str(resolve_in_graph(graph, country))]
    if group:
        return [c.iri for c in _groups.members_of(graph, group, year=year, infos=infos)]
    return [k for k, info in infos.items() if _groups.is_developing(info)]


def gaps_report(graph: Graph, *, country: str | None = None, group: str | None = None,
                as_of: str | None = None, by: str = "income", weak: float = 0.5,
                kind: str = "areas", top: int | None = None) -> list[dict[str, Any]]:
    """Partnership gaps: ``kind`` = ``areas`` (no/weak areas vs peers), ``matrix`` (country ×
    area counts) or ``programmes`` (open to the country, not joined). Default: all developing
    countries."""
    year = _year(as_of)
    infos = _groups.countries(graph, year=year)
    targets = _countries(graph, country, group, infos, year)
    B = project(graph, "country-organisation", as_of=as_of)
    areas = organisation_areas(graph)
    labels = _area_labels(graph)
    if kind == "matrix":
        return _gaps.coverage_matrix(B, areas, infos, labels, targets)
    if kind == "areas":
        return _gaps.area_gaps(B, areas, infos, labels, targets, by=by, weak=weak)
    if kind == "programmes":
        rows: list[dict[str, Any]] = []
        ended = ended_organisations(graph, as_of)
        for c in targets:
            rows += _gaps.open_programmes(B, infos, c, by=by, limit=top, exclude=ended)
        return rows
    raise ParameterError(f"unknown gap kind {kind!r}; use areas, matrix or programmes")


def recommend_report(graph: Graph, *, country: str | None = None, group: str | None = None,
                     as_of: str | None = None, area: str | None = None, top: int = 10,
                     method: str = "ensemble", kinds: tuple[str, ...] = _links.TARGET_KINDS,
                     seed: int = 0) -> list[dict[str, Any]]:
    """Recommended actors, programmes and partner countries for a country or a group."""
    if not country and not group:
        raise ParameterError("say which country (--country KE) or group (--group LDC)")
    year = _year(as_of)
    infos = _groups.countries(graph, year=year)
    sources = _countries(graph, country, group, infos, year)
    G = cooperation_graph(graph, as_of=as_of, area=area)
    comms = _communities.community_map(_communities.communities(G, seed=seed))
    peer_map: dict[Any, set[Any]] = {}
    label = group or ""
    for s in sources:
        info = infos[s]
        if group:
            peer_map[s] = set(sources) - {s}
        else:  # the same income group as of the year, or the same region
            peer_map[s] = (set(_groups.peers(info, infos, by="income"))
                           | set(_groups.peers(info, infos, by="region")))
            label = " or ".join(x for x in (f"income {info.income}" if info.income else "",
                                            info.region or "") if x)
    # an event that is over or a project that has closed cannot be joined
    ended = ended_organisations(graph, as_of)
    open_to = {s: orgs - ended for s, orgs in open_organisations(
        G, infos, sources, group=set(sources) if group else None).items()}
    return _links.recommend(G, sources, top=top, method=method, kinds=kinds,
                            communities=comms, peers=peer_map, peer_group=label,
                            areas=organisation_areas(graph), seed=seed, open_to=open_to)


def open_organisations(G: Any, infos: dict[str, _groups.CountryInfo], sources: list[str], *,
                       group: set[str] | None = None) -> dict[str, set[Any]]:
    """Source -> the actors and initiatives open to it: with no member country at all, or with
    a member from its region *and* a member among its peers (its income group as of the year;
    with ``group``, a member of the group), and for clubs of one sub-region, from that
    sub-region. Regional bodies of other regions (CAREC, ASEAN, CYTED for Kenya; ASEAN for
    Afghanistan) and clubs of another income group (OECD DAC for Uganda) are left out."""
    members: dict[Any, set[str]] = {}
    for v, kind in G.nodes(data="kind"):
        if kind in ("actor", "initiative", "project"):
            members[v] = {c for c, d in G[v].items()
                          if d.get("relation") == "membership" and c in infos}
    result: dict[str, set[Any]] = {}
    for s in sources:
        info = infos[s]
        peers = (group - {s}) if group is not None else {
            k for k, o in infos.items() if o.income is not None and o.income == info.income
            and k != s}
        result[s] = {org for org, ms in members.items()
                     if not ms or (any(infos[m].region == info.region for m in ms)
                                   and bool(ms & peers) and _open_subregion(ms, infos, info))}
    return result


def _open_subregion(members: set[str], infos: dict[str, _groups.CountryInfo],
                    info: _groups.CountryInfo) -> bool:
    """A club whose members all come from one sub-region (ASEAN: South-eastern Asia) is open
    only to that sub-region; Afghanistan shares ASEAN's region (Asia) but not its sub-region."""
    subregions = {infos[m].subregion for m in members}
    return len(subregions) > 1 or info.subregion in subregions


def choose_cutoff(graph: Graph, *, share: float = 0.25) -> str:
    """A cutoff date with about ``share`` of the dated country memberships starting after it.

    Taken at a year end, so whole years of links are predicted.
    """
    starts = sorted(str(d)[:10] for m in graph.subjects(STIG.member, None)
                    for d in graph.objects(m, STIG.startDate)
                    if (graph.value(m, STIG.member), RDF.type, STIG.Country) in graph)
    if len(starts) < 10:
        raise ParameterError("too few dated memberships for a time split; give --cutoff")
    year = int(starts[int(len(starts) * (1 - share))][:4]) - 1
    return f"{year}-12-31"


def evaluation_report(graph: Graph, *, cutoff: str | None = None, end: str | None = None,
                      fraction: float = 0.1, seed: int = 0, area: str | None = None,
                      splits: tuple[str, ...] = ("holdout", "time")) -> list[dict[str, Any]]:
    """Hold-out and time-split evaluation of every method against the two baselines."""
    rows: list[dict[str, Any]] = []
    end_date = as_of_date(end) or datetime.date.today().isoformat()
    if "holdout" in splits:
        G = cooperation_graph(graph, as_of=end_date, area=area)
        rows += _evaluate.evaluate_holdout(G, fraction=fraction, seed=seed)
    if "time" in splits:
        cut = as_of_date(cutoff) or choose_cutoff(graph)
        before = cooperation_graph(graph, as_of=cut, area=area)
        after = cooperation_graph(graph, as_of=end_date, area=area)
        rows += _evaluate.evaluate_time_split(before, after, cutoff=cut, seed=seed)
    if "country-time" in splits:
        cut = as_of_date(cutoff) or choose_cutoff(graph)
        before, after = (nx.Graph([(u, v) for u, v, _w in
                                   edge_rows(graph, "country-country", as_of=day, area=area)])
                         for day in (cut, end_date))
        rows += _evaluate.evaluate_country_time_split(before, after, cutoff=cut, seed=seed)
    return rows
