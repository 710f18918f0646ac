"""The report's analytic sections: projections, centrality, communities, gaps, recommendations
and their evaluation, each turned into report sections (tables, charts, explanations).

All computation is done by :mod:`stigraph.projection` and :mod:`stigraph.analytics`; this module
only calls them, joins their records back to labels and sources, and words the results.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef

from stigraph import charts, projection
from stigraph.analytics import centrality as centrality_mod
from stigraph.analytics import groups as groups_mod
from stigraph.namespaces import RDF, RDFS, STIG, iri_key
from stigraph.output import atomic_open
from stigraph.queries import run_sparql
from stigraph.report.model import ChartRef, Figure, Section, Table
from stigraph.report.render import format_number
from stigraph.report.sources import source_links

__all__ = ["Context", "decorated_projection", "group_members", "hub_graph", "network_views",
           "run", "sections", "write_graphml"]

#: Network pages of the report: file name, projection, title.
VIEWS = (
    ("countries", "country-country", "Countries linked by the organisations they share"),
    ("actors", "actor-actor", "Actors and initiatives: relations and shared memberships"),
    ("countries-organisations", "country-organisation",
     "Countries and the organisations and initiatives they take part in"),
)

GROUP_NAMES = {"ldc": "Least developed countries (LDC)",
               "lldc": "Land-locked developing countries (LLDC)",
               "sids": "Small island developing States (SIDS)",
               "developing": "Developing countries"}


def _optional(name: str) -> ModuleType | None:
    """An analytics module, or None while it is not part of this installation."""
    try:
        return importlib.import_module(f"stigraph.analytics.{name}")
    except ModuleNotFoundError:
        return None


@dataclass
class Context:
    """Everything the analytic sections need, computed once."""

    rdf: Graph
    as_of: str
    group: str | None
    country: str | None
    top: int
    recommendations: int
    seed: int
    projections: dict[str, nx.Graph] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    details: dict[frozenset[str], list[dict[str, Any]]] = field(default_factory=dict)
    cooperation: nx.Graph = field(default_factory=nx.Graph)
    pagerank: dict[str, dict[Hashable, float]] = field(default_factory=dict)
    centrality: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    summary: list[Figure] = field(default_factory=list)


def _specific_kinds(rdf: Graph) -> dict[str, str]:
    """Node IRI -> its most specific stigraph class name (Fund rather than Actor)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for cls, parent in rdf.subject_objects(RDFS.subClassOf):
        if str(cls).startswith(str(STIG)) and str(parent).startswith(str(STIG)):
            parents[iri_key(str(cls))].add(iri_key(str(parent)))
    kinds: dict[str, set[str]] = defaultdict(set)
    for subject, cls in rdf.subject_objects(RDF.type):
        if str(cls).startswith(str(STIG)):
            kinds[str(subject)].add(iri_key(str(cls)))
    result: dict[str, str] = {}
    for node, classes in kinds.items():
        supers = set().union(*(parents.get(c, set()) for c in classes))
        specific = sorted(classes - supers) or sorted(classes)
        result[node] = specific[0]
    return result


def _link_details(rdf: Graph) -> dict[frozenset[str], list[dict[str, Any]]]:
    details: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for row in run_sparql(rdf, "link-sources", {}):
        details[frozenset((str(row["a"]), str(row["b"])))].append(row)
    return details


def _decorate(g: nx.Graph, kinds: dict[str, str],
              details: dict[frozenset[str], list[dict[str, Any]]]) -> nx.Graph:
    """Copy of ``g`` with class names and, on edges, roles, dates and sources."""
    h = g.copy()
    for node, data in h.nodes(data=True):
        data["class"] = kinds.get(str(node), str(data.get("kind", "Other")).capitalize())
    for u, v, data in h.edges(data=True):
        rows = details.get(frozenset((str(u), str(v))), [])
        if rows:
            data["relation"] = ", ".join(sorted({str(r["relation"]).replace("-", " ")
                                                 for r in rows}))
            starts = sorted(str(r["start"]) for r in rows if r["start"])
            ends = sorted(str(r["end"]) for r in rows if r["end"])
            data["start"] = starts[0] if starts else ""
            data["end"] = ends[-1] if ends and len(ends) == len(rows) else ""
            data["source"] = [link.text if not link.href else link.href
                              for link in source_links(
                                  s for r in rows for s in str(r["sources"]).split()).items]
        elif data.get("relation") in (None, "country"):
            data["relation"] = ("share organisations" if kinds.get(str(u)) == "Country"
                                and kinds.get(str(v)) == "Country" else "linked")
    return h


def decorated_projection(rdf: Graph, name: str, *, as_of: str) -> nx.Graph:
    """Projection ``name`` (or ``cooperation``) with class names and link sources."""
    if name == "cooperation":
        g = projection.cooperation_graph(rdf, as_of=as_of)
    else:
        g = projection.project(rdf, name, as_of=as_of)
    return _decorate(g, _specific_kinds(rdf), _link_details(rdf))


def group_members(rdf: Graph, group: str) -> set[str]:
    """IRIs of the countries in a static group (ldc, lldc, sids, developing, developed)."""
    return {c.iri for c in groups_mod.members_of(rdf, group)}


def run(rdf: Graph, *, as_of: str, group: str | None, country: str | None, top: int,
        recommendations: int, seed: int) -> Context:
    """Project the graph and compute what the sections show."""
    ctx = Context(rdf=rdf, as_of=as_of, group=group, country=country, top=top,
                  recommendations=recommendations, seed=seed)
    ctx.kinds = _specific_kinds(rdf)
    ctx.details = _link_details(rdf)
    for name in projection.PROJECTIONS:
        ctx.projections[name] = projection.project(rdf, name, as_of=as_of)
    ctx.cooperation = projection.cooperation_graph(rdf, as_of=as_of)
    for name, g in ctx.projections.items():
        rows = centrality_mod.centrality(g, seed=seed, k=200 if len(g) > 2000 else None)
        ctx.centrality[name] = rows
        ctx.pagerank[name] = {r["node"]: float(r["pagerank"]) for r in rows}
    country_graph = ctx.projections["country-country"]
    linked = sum(1 for n in country_graph if country_graph.degree(n) > 0)
    ctx.summary = [
        Figure(format_number(len(ctx.projections["actor-actor"])), "actors and initiatives linked"),
        Figure(format_number(linked), "countries with at least one partner"),
        Figure(format_number(ctx.projections["country-organisation"].number_of_edges()),
               "country–organisation links"),
    ]
    return ctx


def write_graphml(g: nx.Graph, path: Path) -> Path:
    """A projection as GraphML (list attributes joined with '; '), written atomically."""
    h = nx.Graph()
    h.graph.update({k: str(v) for k, v in g.graph.items() if v is not None})
    for node, data in g.nodes(data=True):
        h.add_node(node, **{k: _scalar(v) for k, v in data.items()})
    for u, v, data in g.edges(data=True):
        h.add_edge(u, v, **{k: _scalar(x) for k, x in data.items()})
    text = "\n".join(nx.generate_graphml(h))
    with atomic_open(path) as handle:
        handle.write(text + "\n")
    return path


def _scalar(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return value


def network_views(ctx: Context) -> list[tuple[str, nx.Graph, dict[Hashable, float], str]]:
    """(file name, graph, PageRank, title) of each network page."""
    return [(name, _decorate(ctx.projections[proj], ctx.kinds, ctx.details),
             ctx.pagerank[proj], title) for name, proj, title in VIEWS]


def hub_graph(ctx: Context, slug: str) -> nx.Graph | None:
    """The neighbourhood of a hub in the cooperation graph: its members and partners."""
    from stigraph import viz

    try:
        return viz.ego_graph(_decorate(ctx.cooperation, ctx.kinds, ctx.details), slug, depth=1)
    except Exception:  # not linked on this date
        return None


# -- Sections --------------------------------------------------------------------------------


def _label(ctx: Context, node: str) -> str:
    value = ctx.rdf.value(URIRef(node), RDFS.label)
    return str(value) if value is not None else iri_key(node)


def _key_actors(ctx: Context, chart_dir: Path) -> Section:
    rows = ctx.centrality["actor-actor"]
    section = Section(id="key-actors", title="Key actors")
    g = ctx.projections["actor-actor"]
    section.paragraphs = [
        f"Actors and initiatives are linked when one is a member of, partner of, funder of or "
        f"runs the other, and when they share members (countries or organisations) on "
        f"{ctx.as_of}; the weight of a link counts these ties. This network has "
        f"{format_number(g.number_of_nodes())} nodes and {format_number(g.number_of_edges())} "
        "links.",
        "PageRank ranks an actor higher when it is tied, strongly, to other well-tied actors; "
        "betweenness measures how often it lies on the shortest path between two others "
        "(distance = 1 / weight), i.e. how much it brokers between otherwise separate groups; "
        "degree is its number of direct partners.",
    ]
    top = rows[: ctx.top]
    if top:
        chart = charts.top_actors_chart(
            [{"label": r.get("label", iri_key(r["node"])), "pagerank": r["pagerank"]}
             for r in top], chart_dir / "top-actors", measure="pagerank",
            title=f"Top {len(top)} actors by PageRank")
        section.charts.append(ChartRef(chart.png, chart.svg,
                                       "Top actors by PageRank in the actor network "
                                       "(projection-actor-actor).", chart.alt))
    section.tables.append(Table(
        columns=["rank", "actor or initiative", "class", "PageRank", "betweenness", "degree"],
        rows=[[r["rank"], r.get("label", iri_key(r["node"])),
               ctx.kinds.get(str(r["node"]), ""), r["pagerank"], r["betweenness"], r["degree"]]
              for r in top],
        numeric=(0, 3, 4, 5), caption=f"Top {len(top)} actors by PageRank",
        csv="centrality-actors.csv",
    ))
    country_rows = ctx.centrality["country-country"]
    developing = group_members(ctx.rdf, "developing")
    ranked = [r for r in country_rows if r["node"] in developing and r["degree"] > 0][: ctx.top]
    section.tables.append(Table(
        columns=["rank (all countries)", "developing country", "PageRank", "partners"],
        rows=[[r["rank"], r.get("label", iri_key(r["node"])), r["pagerank"], r["degree"]]
              for r in ranked],
        numeric=(0, 2, 3),
        caption="Best-connected developing countries in the country network",
        note="Countries are linked by the organisations and initiatives both take part in "
             "(projection-country-country).",
        csv="centrality-developing-countries.csv",
    ))
    return section


def _missing(name: str) -> Section:
    return Section(id=name, title=name.replace("-", " ").capitalize(), paragraphs=[
        f"This part of the analysis (stigraph.analytics.{name}) is not available in this "
        "installation."])


def _some(names: Sequence[str], limit: int) -> str:
    return ", ".join(names[:limit]) + (" …" if len(names) > limit else "")


def _communities(ctx: Context) -> Section:
    module = _optional("communities")
    if module is None:
        return _missing("communities")
    section = Section(id="communities", title="Communities")
    g = ctx.projections["country-organisation"]
    result = module.communities(g, seed=ctx.seed)
    by_community: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in result.nodes:
        by_community[int(row["community"])].append(row)
    groups = [(n, sorted(rows, key=lambda r: (-float(r["strength"]), str(r["node"]))))
              for n, rows in sorted(by_community.items()) if len(rows) > 1]
    alone = sum(1 for rows in by_community.values() if len(rows) == 1)
    section.paragraphs = [
        "Communities are groups of countries and organisations more densely linked to each "
        "other than to the rest of the country–organisation network (Louvain method, weights = "
        f"number of memberships; fixed seed {ctx.seed}, so the result is repeatable). "
        f"The partition has modularity {result.modularity:.3f} (0 = no structure, values above "
        f"about 0.3 indicate clear groups). {len(groups)} communities have two or more members; "
        f"{alone} countries or organisations have no link on {ctx.as_of} and stand alone.",
    ]
    rows: list[list[Any]] = []
    for number, members in groups[:20]:
        orgs = [str(r.get("label", r["node"])) for r in members if r.get("kind") != "country"]
        countries = [str(r.get("label", r["node"])) for r in members
                     if r.get("kind") == "country"]
        rows.append([number + 1, len(members), _some(orgs, 6), len(countries),
                     _some(countries, 8)])
    section.tables.append(Table(
        columns=["community", "size", "organisations and initiatives (strongest first)",
                 "countries", "countries (strongest first)"],
        rows=rows, numeric=(0, 1, 3), caption="Communities of the country–organisation network",
        csv="communities.csv", empty="No community with two or more members on this date."))
    return section


def sections(ctx: Context, chart_dir: Path, root: Path) -> list[Section]:
    """The analytic sections, in report order."""
    return [_key_actors(ctx, chart_dir), _communities(ctx)]


