"""One entry point per analysis, from the analysis inputs to result records (what the CLI calls).

Each function takes the :class:`~stigraph.projection.inputs.AnalysisInputs` of the graph first
(the projections as of a date, optionally for one cooperation area, built once per command and
shared by every analysis) and keyword-only options, and returns plain records.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import networkx as nx

from stigraph.analytics import centrality as _centrality
from stigraph.analytics import communities as _communities
from stigraph.analytics import defaults
from stigraph.analytics import eligibility as _eligibility
from stigraph.analytics import evaluate as _evaluate
from stigraph.analytics import gaps as _gaps
from stigraph.analytics import links as _links
from stigraph.analytics.eligibility import open_organisations
from stigraph.analytics.records import (
    AreaGap,
    CentralityRow,
    CoverageRow,
    EvaluationRow,
    ProgrammeGap,
    Recommendation,
)
from stigraph.dates import as_of_date
from stigraph.errors import ParameterError
from stigraph.projection import groups as _groups
from stigraph.projection.inputs import AnalysisInputs
from stigraph.queries.sparql import resolve_in_graph
from stigraph.store import store_of
from stigraph.vocab.namespaces import RDF, STIG

__all__ = ["centrality_report", "choose_cutoff", "communities_report", "evaluation_report",
           "gaps_report", "open_organisations", "recommend_each", "recommend_report"]


def group_nodes(inputs: AnalysisInputs, group: str | None) -> list[str] | None:
    if not group:
        return None
    return [c.iri for c in inputs.members(group)]


def centrality_report(inputs: AnalysisInputs, *, projection: str = "country-country",
                      group: str | None = None, by: str = "pagerank", k: int | None = None,
                      seed: int = 0, top: int | None = None) -> list[CentralityRow]:
    """Centralities of a projection, ranked by ``by``; with ``group`` only its countries, with
    their rank within the group (``group_rank``) and overall (``rank``)."""
    G = inputs.projection(projection)
    rows = _centrality.centrality(G, k=k, seed=seed)
    ranked = _centrality.rank(rows, by=by, within=group_nodes(inputs, group))
    return [CentralityRow.from_row(r) for r in (ranked[:top] if top else ranked)]


def communities_report(inputs: AnalysisInputs, *, projection: str = "country-country",
                       seed: int = 0, resolution: float = 1.0,
                       summary: bool = False) -> list[dict[str, Any]]:
    """Louvain community of each node (or one row per community with ``summary``)."""
    G = inputs.projection(projection)
    result = _communities.communities(G, seed=seed, resolution=resolution)
    return result.summary() if summary else result.nodes


def _countries(inputs: AnalysisInputs, country: str | None, group: str | None) -> list[str]:
    if country:
        return [str(resolve_in_graph(inputs.rdf, country))]
    if group:
        return [c.iri for c in inputs.members(group)]
    return [k for k, info in inputs.infos.items() if _groups.is_developing(info)]


def gaps_report(inputs: AnalysisInputs, *, country: str | None = None, group: str | None = None,
                by: str = "income", weak: float = 0.5, kind: str = "areas",
                top: int | None = None) -> list[CoverageRow] | list[AreaGap] | list[ProgrammeGap]:
    """Partnership gaps: ``kind`` = ``areas`` (no/weak areas vs peers), ``matrix`` (country ×
    area counts) or ``programmes`` (open to the country, not joined). Default: all developing
    countries."""
    infos = inputs.infos
    targets = _countries(inputs, country, group)
    B = inputs.country_organisation
    areas, labels = inputs.organisation_areas, inputs.area_labels
    if kind == "matrix":
        return _gaps.coverage_matrix(B, areas, infos, labels, targets)
    if kind == "areas":
        return _gaps.area_gaps(B, areas, infos, labels, targets, by=by, weak=weak)
    if kind == "programmes":  # only bodies open to the country, as for recommendations
        eligible = _eligibility.open_organisations(inputs.cooperation, infos, targets)
        rows: list[ProgrammeGap] = []
        for c in targets:
            rows += _gaps.open_programmes(B, infos, c, by=by, limit=top, exclude=inputs.ended,
                                          eligible=eligible[c])
        return rows
    raise ParameterError(f"unknown gap kind {kind!r}; use areas, matrix or programmes")


def _peer_map(infos: dict[str, _groups.CountryInfo], sources: list[str],
              group: str | None) -> tuple[dict[Any, set[Any]], str]:
    """Source -> its peers (the group, or its income group as of the year or region), and the
    peers' description."""
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
    return peer_map, label


def recommend_report(inputs: AnalysisInputs, *, country: str | None = None,
                     group: str | None = None, top: int = 10, method: str = "ensemble",
                     kinds: tuple[str, ...] = _links.TARGET_KINDS,
                     seed: int = 0) -> list[Recommendation]:
    """Recommended actors, programmes and partner countries for a country or a group."""
    if not country and not group:
        raise ParameterError("say which country (--country KE) or group (--group LDC)")
    infos = inputs.infos
    sources = _countries(inputs, country, group)
    G = inputs.cooperation
    comms = _communities.community_map(_communities.communities(G, seed=seed))
    peer_map, label = _peer_map(infos, sources, group)
    # an event that is over or a project that has closed cannot be joined
    ended = inputs.ended
    open_to = {s: orgs - ended for s, orgs in _eligibility.open_organisations(
        G, infos, sources, group=set(sources) if group else None).items()}
    return _links.recommend(G, sources, top=top, method=method, kinds=kinds,
                            communities=comms, peers=peer_map, peer_group=label,
                            areas=inputs.organisation_areas, seed=seed, open_to=open_to)


def recommend_each(inputs: AnalysisInputs, countries: Sequence[str], *, top: int = 10,
                   method: str = "ensemble", kinds: tuple[str, ...] = _links.TARGET_KINDS,
                   seed: int = 0) -> dict[str, list[Recommendation]]:
    """Country IRI -> what ``recommend_report(inputs, country=c, ...)`` gives for it, with the
    communities and the organisations open to each computed once (the country profiles)."""
    if not countries:
        return {}
    infos = inputs.infos
    sources = list(countries)
    G = inputs.cooperation
    comms = _communities.community_map(_communities.communities(G, seed=seed))
    ended = inputs.ended
    open_to = {s: orgs - ended for s, orgs in open_organisations(G, infos, sources).items()}
    neighbourhoods = _links.Neighbourhoods(G, "affinity")  # the weight recommend uses
    out: dict[str, list[Recommendation]] = {}
    for source in sources:  # one call each: the peers' description is the country's own
        peer_map, label = _peer_map(infos, [source], None)
        out[source] = _links.recommend(G, [source], top=top, method=method, kinds=kinds,
                                       communities=comms, peers=peer_map, peer_group=label,
                                       areas=inputs.organisation_areas, seed=seed,
                                       open_to=open_to, neighbourhoods=neighbourhoods)
    return out


def choose_cutoff(inputs: AnalysisInputs, *, share: float = defaults.CUTOFF_SHARE) -> str:
    """A cutoff date with about ``share`` of the dated country memberships starting after it.

    Taken at a year end, so whole years of links are predicted.
    """
    # by triple pattern, as text: 150,000 memberships on the default graph
    store = store_of(inputs.rdf)
    countries = {c for c, _ in store.pairs(str(RDF.type), str(STIG.Country))}
    member: dict[str, str] = {}
    for m, who in store.pairs(str(STIG.member)):
        member.setdefault(m, who)
    starts = sorted(d[:10] for m, d in store.pairs(str(STIG.startDate))
                    if member.get(m) in countries)
    if len(starts) < 10:
        raise ParameterError("too few dated memberships for a time split; give a cutoff "
                             "date (stigraph evaluate --cutoff)")
    year = int(starts[int(len(starts) * (1 - share))][:4]) - 1
    return f"{year}-12-31"


def evaluation_report(inputs: AnalysisInputs, *, cutoff: str | None = None,
                      fraction: float = defaults.HOLDOUT_FRACTION, seed: int = defaults.SEED,
                      splits: tuple[str, ...] = ("holdout", "time")) -> list[EvaluationRow]:
    """Hold-out and time-split evaluation of every method against the two baselines.

    The inputs' date is the end of the evaluation (default: today).
    """
    rows: list[EvaluationRow] = []
    end = inputs.at(inputs.as_of or datetime.date.today().isoformat())
    if "holdout" in splits:
        rows += _evaluate.evaluate_holdout(end.cooperation, fraction=fraction, seed=seed)
    if "time" in splits:
        before = end.at(as_of_date(cutoff) or choose_cutoff(inputs))
        rows += _evaluate.evaluate_time_split(before.cooperation, end.cooperation,
                                              cutoff=str(before.as_of), seed=seed)
    if "country-time" in splits:
        before = end.at(as_of_date(cutoff) or choose_cutoff(inputs))
        graphs = (nx.Graph([(u, v) for u, v, _w in day.direct_rows]) for day in (before, end))
        rows += _evaluate.evaluate_country_time_split(*graphs, cutoff=str(before.as_of),
                                                      seed=seed)
    return rows
