"""The report's analytic sections: projections, centrality, communities, gaps, recommendations
and their evaluation, each turned into report sections (tables, charts, explanations).

All computation is done by :mod:`stigraph.projection.networks` and
:mod:`stigraph.analytics`; this module only calls them, joins their records back to labels
and sources, and words the results.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
from rdflib import Graph

from stigraph.analytics import centrality as centrality_mod
from stigraph.analytics.records import CoverageRow
from stigraph.errors import StigraphError
from stigraph.outputs import charts
from stigraph.outputs.graphml import write_graphml_stream
from stigraph.outputs.report import basis
from stigraph.outputs.report.claims import counted, graph_size, sentence, setting, stated
from stigraph.outputs.report.model import ChartRef, Figure, Section, Table
from stigraph.outputs.report.render import format_number
from stigraph.outputs.report.sources import source_links
from stigraph.projection import networks as projection
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.reads import reads_of
from stigraph.store import store_of
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import RDF, RDFS, STIG, iri_key
from stigraph.writing.atomic import atomic_open

__all__ = ["SECTIONS", "Context", "communities", "decorated_projection", "evaluation", "gaps",
           "group_members", "hub_graph", "key_actors", "network_views", "recommendations", "run",
           "write_graphml"]

#: Network pages of the report: file name, projection, title.
VIEWS = (
    ("countries", "country-country", "Countries linked by the organisations they share"),
    ("actors", "actor-actor", "Actors and initiatives: relations and shared memberships"),
    ("countries-organisations", "country-organisation",
     "Countries and the organisations and initiatives they take part in"),
)

#: The centralities the report shows (tables, node sizes) per projection; only these are
#: computed (closeness and eigenvector centrality of a 40,000-node network take minutes).
SHOWN_MEASURES: dict[str, tuple[str, ...]] = {
    "actor-actor": ("degree", "betweenness", "pagerank"),
    "country-country": ("degree", "pagerank"),
    "country-organisation": ("pagerank",),
}

#: Direct relations (reified statements) as link-sources names them.
RELATIONS = frozenset({"partnerOf", "funds", "runs", "coordinates", "supports", "hosts",
                       "memberOf", "participatesIn", "partOfProgramme", "headquarteredIn",
                       "activeIn"})

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
    """Everything the analytic sections need, computed once: the analysis inputs as of the
    report's date, the centralities, classes and link sources of the nodes."""

    inputs: AnalysisInputs
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
    chart_dir: Path = Path("charts")
    developing: str = "dac"

    @property
    def rdf(self) -> Graph:
        return self.inputs.rdf


def _specific_kinds(rdf: Graph) -> dict[str, str]:
    """Node IRI -> its most specific stigraph class name (Fund rather than Actor)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for cls, parent in rdf.subject_objects(RDFS.subClassOf):
        if str(cls).startswith(str(STIG)) and str(parent).startswith(str(STIG)):
            parents[iri_key(str(cls))].add(iri_key(str(parent)))
    kinds: dict[str, set[str]] = defaultdict(set)
    for subject, kind in store_of(rdf).pairs(str(RDF.type)):  # 1 million types: as text
        if kind.startswith(str(STIG)):
            kinds[subject].add(iri_key(kind))
    result: dict[str, str] = {}
    for node, classes in kinds.items():
        supers = set().union(*(parents.get(c, set()) for c in classes))
        specific = sorted(classes - supers) or sorted(classes)
        result[node] = specific[0]
    return result


def _link_details(rdf: Graph) -> dict[frozenset[str], list[dict[str, Any]]]:
    """Unordered pair -> the rows of query ``link-sources`` about it (role, dates, sources),
    from the statements and memberships read once per graph."""
    details: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for row in reads_of(rdf).link_sources():
        details[frozenset((str(row["a"]), str(row["b"])))].append(row)
    return details


def _decorate(g: nx.Graph, kinds: dict[str, str],
              details: dict[frozenset[str], list[dict[str, Any]]]) -> nx.Graph:
    """Copy of ``g`` with class names and, on edges, roles, dates and sources.

    The copy is made in one pass over the edges, each once (``Graph.copy`` adds every edge
    from both ends: half the time of decorating the 870,000-link organisation network); nodes,
    neighbours and attributes come in the order ``g.copy()`` gives them."""
    h = g.__class__()
    h.graph.update(g.graph)
    h.add_nodes_from((node, _classed(node, data, kinds)) for node, data in g.nodes(data=True))
    h.add_edges_from((u, v, _described(u, v, data, kinds, details))
                     for u, v, data in g.edges(data=True))
    return h


def _classed(node: Any, data: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    copy = data.copy()
    copy["class"] = kinds.get(str(node), str(data.get("kind", "Other")).capitalize())
    return copy


def _described(u: Any, v: Any, data: dict[str, Any], kinds: dict[str, str],
               details: dict[frozenset[str], list[dict[str, Any]]]) -> dict[str, Any]:
    copy = data.copy()
    rows = details.get(frozenset((str(u), str(v))))
    if rows:
        _describe_link(copy, rows)
    elif copy.get("relation") in (None, "country"):
        copy["relation"] = ("share organisations" if kinds.get(str(u)) == "Country"
                            and kinds.get(str(v)) == "Country" else "linked")
    return copy


def _describe_link(data: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """Relations, first start, last end (when every row has one) and sources of a link."""
    data["relation"] = ", ".join(sorted({str(r["relation"]).replace("-", " ") for r in rows}))
    starts = sorted(str(r["start"]) for r in rows if r["start"])
    ends = sorted(str(r["end"]) for r in rows if r["end"])
    data["start"] = starts[0] if starts else ""
    data["end"] = ends[-1] if ends and len(ends) == len(rows) else ""
    data["source"] = [link.text if not link.href else link.href
                      for link in source_links(
                          s for r in rows for s in str(r["sources"]).split()).items]


def decorated_projection(rdf: Graph, name: str, *, as_of: str,
                         inputs: AnalysisInputs | None = None) -> nx.Graph:
    """Projection ``name`` (or ``cooperation``) with class names and link sources; from
    ``inputs`` (their evidence and counting) when given."""
    if inputs is not None:
        g = inputs.projection(name)
    elif name == "cooperation":
        g = projection.cooperation_graph(rdf, as_of=as_of)
    else:
        g = projection.project(rdf, name, as_of=as_of)
    return _decorate(g, _specific_kinds(rdf), _link_details(rdf))


def group_members(inputs: AnalysisInputs, group: str) -> set[str]:
    """IRIs of the countries in a static group (ldc, lldc, sids, developing, developed)."""
    return {c.iri for c in inputs.members(group, latest=True)}


def run(inputs: AnalysisInputs, *, group: str | None, country: str | None, top: int,
        recommendations: int, seed: int, chart_dir: Path = Path("charts"),
        developing: str = "dac", ready: Callable[[Context, str, bool], Any] | None = None
        ) -> Context:
    """Project the graph (once, through ``inputs``) and compute what the sections show.

    ``ready(context, name, ranked)``: called as soon as the projection ``name`` is in the
    context (``ranked`` false), and again once its centrality is (``ranked`` true), so that
    its files and network pages can be written meanwhile."""
    rdf = inputs.rdf
    ctx = Context(inputs=inputs, as_of=str(inputs.as_of), group=group, country=country,
                  top=top, recommendations=recommendations, seed=seed, chart_dir=chart_dir,
                  developing=developing)
    ctx.kinds = _specific_kinds(rdf)
    ctx.details = _link_details(rdf)
    # the organisation network first: its pages and files take longest to draw
    for name in sorted(projection.PROJECTIONS, key=lambda n: n != "actor-actor"):
        g = ctx.projections[name] = inputs.projection(name)
        if ready is not None:
            ready(ctx, name, False)
        rows = centrality_mod.centrality(g, measures=SHOWN_MEASURES[name], seed=seed,
                                         k=200 if len(g) > 2000 else None)
        ctx.centrality[name] = rows
        ctx.pagerank[name] = {r["node"]: float(r["pagerank"]) for r in rows}
        if ready is not None:
            ready(ctx, name, True)
    ctx.projections = {name: ctx.projections[name] for name in projection.PROJECTIONS}
    ctx.cooperation = inputs.cooperation
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
    """A projection as GraphML (list attributes joined with '; '), written atomically and as a
    stream (:mod:`stigraph.outputs.graphml`: the organisation network has 872,000 links)."""
    with atomic_open(path) as handle:
        write_graphml_stream(g, handle, _scalar)
    return path


def _scalar(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return value


def network_views(ctx: Context, projection_name: str | None = None
                  ) -> Iterator[tuple[str, nx.Graph, dict[Hashable, float], str]]:
    """(file name, graph, PageRank, title) of each network page (of the projection
    ``projection_name`` only, when given), one at a time: each graph is a decorated copy of a
    projection (the organisation network's is over a GB), made when the loop reaches it and
    free once the loop moves on."""
    for name, proj, title in VIEWS:
        if projection_name in (None, proj):
            yield (name, _decorate(ctx.projections[proj], ctx.kinds, ctx.details),
                   ctx.pagerank[proj], title)


def hub_graph(ctx: Context, slug: str) -> nx.Graph | None:
    """The neighbourhood of a hub (its IRI, or a slug) in the cooperation graph: its members
    and partners; None when it has no link on the date."""
    from stigraph.outputs import network as viz

    try:
        ego = viz.ego_graph(ctx.cooperation, slug, depth=1)
        return _decorate(ego, ctx.kinds, ctx.details)
    except Exception:  # not linked on this date
        return None


# -- Sections --------------------------------------------------------------------------------


def _label(ctx: Context, node: str) -> str:
    return label_of(ctx.rdf, node)


def key_actors(ctx: Context) -> Section:
    """Key actors: the actor network's PageRank leaders and the best-connected developing
    countries."""
    rows = ctx.centrality["actor-actor"]
    section = Section(id="key-actors", title="Key actors")
    g = ctx.projections["actor-actor"]
    section.paragraphs = [
        sentence(
            "Actors and initiatives are linked when one is a member of, partner of, funder of "
            "or runs the other, and when they share members (countries or organisations) on "
            f"{ctx.as_of}; the weight of a link counts these ties. This network has ",
            graph_size("actor-actor", g, "nodes"), " nodes and ",
            graph_size("actor-actor", g, "edges"), " links."),
        "PageRank ranks an actor higher when it is tied, strongly, to other well-tied actors; "
        "betweenness measures how often it lies on the shortest path between two others "
        "(distance is the inverse of the weight), i.e. how much it brokers between otherwise "
        "separate groups; degree is its number of direct partners.",
    ]
    _state_the_basis(section, g, ctx.projections["country-country"])
    # organisations are ranked apart from programmes, agreements and events (initiatives)
    organisations = [r for r in rows if projection.node_kind(str(r["node"])) == "actor"]
    initiatives = [r for r in rows if projection.node_kind(str(r["node"])) != "actor"]
    top = organisations[: ctx.top]
    if top:
        chart = charts.top_actors_chart(
            [{"label": r.get("label", iri_key(r["node"])), "pagerank": r["pagerank"]}
             for r in top], ctx.chart_dir / "top-actors", measure="pagerank",
            title=f"Top {len(top)} organisations by PageRank")
        section.charts.append(ChartRef(chart.png, chart.svg,
                                       "Top organisations by PageRank in the actor network "
                                       "(projection-actor-actor).", chart.alt))
    section.tables.append(_counted(Table(
        columns=["rank", "organisation", "class", "PageRank", "betweenness", "degree",
                 "rank (all nodes)"],
        rows=[[i, r.get("label", iri_key(r["node"])), ctx.kinds.get(str(r["node"]), ""),
               r["pagerank"], r["betweenness"], r["degree"], r["rank"]]
              for i, r in enumerate(top, start=1)],
        numeric=(0, 3, 4, 5, 6), caption="Top {} organisations by PageRank",
        note="Organisations only; programmes, agreements, platforms and events are ranked in "
             "the next table.",
        csv="centrality-actors.csv",
    )))
    shown = initiatives[: ctx.top]
    section.tables.append(_counted(Table(
        columns=["rank", "programme, agreement or event", "class", "PageRank", "degree",
                 "rank (all nodes)"],
        rows=[[i, r.get("label", iri_key(r["node"])), ctx.kinds.get(str(r["node"]), ""),
               r["pagerank"], r["degree"], r["rank"]] for i, r in enumerate(shown, start=1)],
        numeric=(0, 3, 4, 5), caption="Top {} programmes, agreements and events by PageRank",
        csv="centrality-initiatives.csv",
    )))
    from stigraph.analytics.developing import developing_countries

    definition = developing_countries(ctx.rdf, ctx.developing, as_of=ctx.as_of)
    country_rows = ctx.centrality["country-country"]
    ranked = [r for r in country_rows
              if r["node"] in definition.members and r["degree"] > 0][: ctx.top]
    section.tables.append(Table(
        columns=["rank (all countries)", "developing country", "PageRank", "partners"],
        rows=[[r["rank"], r.get("label", iri_key(r["node"])), r["pagerank"], r["degree"]]
              for r in ranked],
        numeric=(0, 2, 3),
        caption="Best-connected developing countries in the country network",
        note="Countries are linked by the organisations and initiatives both take part in "
             f"(projection-country-country). {definition.statement} ({definition.source}; "
             f"--developing {definition.definition})",
        csv="centrality-developing-countries.csv",
    ))
    return section


def _counted(table: Table) -> Table:
    """The table with ``{}`` in its caption replaced by its number of rows (sourced)."""
    before, _, after = str(table.caption).partition("{}")
    table.caption = sentence(before, stated(table, "rows"), after)
    return table


def _state_the_basis(section: Section, actors: nx.Graph, countries: nx.Graph) -> None:
    """Say which evidence the networks were built from (:mod:`.basis`): the organisation
    network's sentence replaces the first paragraph, the country network's is added."""
    consortia = basis.consortia_table(actors)
    actor_text = basis.actor_network_paragraph(actors, consortia)
    if actor_text:
        section.paragraphs[0] = actor_text
    if consortia is not None:
        section.tables.append(consortia)
    country_text = basis.country_network_paragraph(countries)
    if country_text:
        section.paragraphs.append(country_text)


def _missing(name: str) -> Section:
    return Section(id=name, title=name.replace("-", " ").capitalize(), paragraphs=[
        f"This part of the analysis (stigraph.analytics.{name}) is not available in this "
        "installation."])


def _some(names: Sequence[str], limit: int) -> str:
    return ", ".join(names[:limit]) + (" …" if len(names) > limit else "")


def communities(ctx: Context) -> Section:
    """Louvain communities of the country–organisation network."""
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
    groups.sort(key=lambda item: -len(item[1]))  # the largest first (stable: then by number)
    alone = sum(1 for rows in by_community.values() if len(rows) == 1)
    partition = Table(
        columns=["what", "value"], numeric=(1,), csv="communities-summary.csv",
        caption="The partition in figures",
        rows=[["modularity", round(result.modularity, 3)],
              ["communities with two or more members", len(groups)],
              ["countries and organisations in a community of their own", alone],
              ["seed", ctx.seed]],
        note="Communities of one node are counted here, not listed one by one.")
    section.paragraphs = [
        sentence(
            "Communities are groups of countries and organisations more densely linked to each "
            "other than to the rest of the country–organisation network (Louvain method, "
            "weights = number of memberships; fixed seed ", setting("seed", ctx.seed),
            ", so the result is repeatable). The partition has modularity ",
            stated(partition, "cell:value|what=modularity"),
            " (zero means no structure; values above about three tenths indicate clear "
            "groups). ", stated(partition, "cell:value|what=communities with two or more "
                                           "members"),
            " communities have two or more members; ",
            stated(partition, "cell:value|what=countries and organisations in a community of "
                              "their own"),
            f" countries or organisations have no link on {ctx.as_of} and stand alone."),
    ]
    rows: list[list[Any]] = []
    for number, members in groups[:20]:
        orgs = [str(r.get("label", r["node"])) for r in members if r.get("kind") != "country"]
        countries = [str(r.get("label", r["node"])) for r in members
                     if r.get("kind") == "country"]
        rows.append([number + 1, len(members), _some(orgs, 6), len(countries),
                     _some(countries, 8)])
    section.tables.append(_counted(Table(
        columns=["community", "size", "organisations and initiatives (strongest first)",
                 "countries", "countries (strongest first)"],
        rows=rows, numeric=(0, 1, 3),
        caption="Communities of the country–organisation network: the {} with two or more "
                "members, largest first" if len(groups) > 20 else
                "Communities of the country–organisation network: all {} with two or more "
                "members",
        csv="communities.csv", empty="No community with two or more members on this date.")))
    section.tables.append(partition)
    return section


#: How many countries the focus group's gap chart shows.
_SHOWN_GAPS = 40

_GROUP_NOUNS = {"developing": ("developing country", "developing countries"),
                "ldc": ("LDC", "LDCs"), "lldc": ("LLDC", "LLDCs"), "sids": ("SIDS", "SIDS")}


def _share(values: Sequence[int]) -> float:
    return 100.0 * sum(1 for v in values if v > 0) / len(values) if values else 0.0


def _gap_areas(ctx: Context) -> dict[str, str]:
    """Area slug -> label, every cooperation area of the graph, in slug order."""
    labels = {area: name for areas in ctx.inputs.organisation_areas.values()
              for area, name in areas.items()}
    for area in ctx.rdf.subjects(RDF.type, STIG.CooperationArea):
        labels.setdefault(str(area), _label(ctx, str(area)))
    return {iri_key(a): labels[a] for a in sorted(labels, key=iri_key)}


def gaps(ctx: Context) -> Section:
    """Partnership gaps: the share of each group's countries covering each area, and the gaps
    of the focus group's countries one by one."""
    from stigraph.analytics import api

    section = Section(id="gaps", title="Partnership gaps of developing countries, by group")
    names = _gap_areas(ctx)
    slugs = list(names)
    matrix: list[CoverageRow] = api.gaps_report(ctx.inputs, kind="matrix")  # type: ignore[assignment]
    section.paragraphs = [
        "A country covers a cooperation area when it takes part, on the date, in at least one "
        "actor or initiative that addresses the area (the areas are those of the UN report's "
        "table after para 9; which organisation addresses which area is curated in the seeds, "
        "with its source). A gap is an area where a country has no such link.",
    ]
    if not slugs or not matrix:
        section.paragraphs.append("No cooperation area or developing country in this graph.")
        return section
    members = {g: group_members(ctx.inputs, g) for g in ("developing", "ldc", "lldc", "sids")}
    members = {g: m for g, m in members.items() if m}
    by_iso = {r.country: r for r in matrix}
    iso = {iri: info.iso2 for iri, info in ctx.inputs.latest_infos.items()}

    def rows_of(group: str) -> list[CoverageRow]:
        return [by_iso[iso[c]] for c in sorted(members[group]) if iso.get(c) in by_iso]

    table = _group_shares(ctx, section, {g: rows_of(g) for g in members}, slugs, names)
    counts = [part for g in members for part in
              (", " if g != next(iter(members)) else "",
               counted(stated(table, f"cell:countries|group={GROUP_NAMES.get(g, g)}"),
                       *_GROUP_NOUNS.get(g, (g, g))))]
    section.paragraphs.append(sentence(
        "The table gives, for each group of developing countries, the share of its members "
        "that cover each area (", *counts, "; UN M49 lists). Low shares show where a whole "
        "group lacks partners."))
    focus = ctx.group or "ldc"
    if focus in members:
        _focus_gaps(ctx, section, focus, rows_of(focus), slugs, names)
    return section


def _group_shares(ctx: Context, section: Section, groups: dict[str, list[CoverageRow]],
                  slugs: list[str], names: dict[str, str]) -> Table:
    table_rows: list[list[Any]] = []
    heat: list[list[float]] = []
    for g, rows in groups.items():
        shares = [_share([r.counts.get(a, 0) for r in rows]) for a in slugs]
        heat.append(shares)
        table_rows.append([GROUP_NAMES.get(g, g), len(rows), *[round(x) for x in shares]])
    table = Table(
        columns=["group", "countries", *[names[a] for a in slugs]], rows=table_rows,
        numeric=tuple(range(1, len(slugs) + 2)),
        caption="Share of the group's countries with at least one link in each area (%)",
        csv="gaps-by-group.csv", note="Query: organisation-areas; projection: "
        "country-organisation on the date; computed by stigraph.analytics.gaps.")
    section.tables.append(table)
    short = {"developing": "Developing", "ldc": "LDC", "lldc": "LLDC", "sids": "SIDS"}
    chart = charts.gap_heatmap([short.get(g, g) for g in groups],
                               [names[a] for a in slugs], heat, ctx.chart_dir / "gaps-by-group",
                               title="Share of countries covering each cooperation area (%)",
                               value_label="% of the group's countries")
    section.charts.append(ChartRef(chart.png, chart.svg, "Cooperation areas covered by each "
                                   "group of developing countries (dots: no country covers it).",
                                   chart.alt))
    return table


def _focus_gaps(ctx: Context, section: Section, focus: str, focus_rows: list[CoverageRow],
                slugs: list[str], names: dict[str, str]) -> None:
    if not focus_rows:
        return
    focus_rows = sorted(focus_rows, key=lambda r: (r.areas_covered, r.label))
    shown = focus_rows[:_SHOWN_GAPS]
    title = GROUP_NAMES.get(focus, focus)
    chart = charts.gap_heatmap(
        [r.label for r in shown], [names[a] for a in slugs],
        [[float(r.counts.get(a, 0)) for a in slugs] for r in shown],
        ctx.chart_dir / f"gaps-{focus}", title=f"{title}: links per cooperation area")
    table = Table(
        columns=["country", "areas covered", "areas with no link"],
        rows=[[r.label, r.areas_covered,
               ", ".join(names[a] for a in slugs if not r.counts.get(a, 0))]
              for r in focus_rows],
        numeric=(1,), caption=f"{title}: gaps by country", csv=f"gaps-{focus}.csv")
    section.charts.append(ChartRef(
        chart.png, chart.svg,
        sentence(f"{title}: number of links in each area, fewest areas covered first (",
                 stated(table, f"head:{_SHOWN_GAPS}"), " of ", stated(table, "rows"),
                 " countries; dots are gaps)."), chart.alt))
    section.tables.append(table)


def recommendations(ctx: Context) -> Section:
    """Recommended partners of the focus country or group, with why."""
    from stigraph.analytics import api

    section = Section(id="recommendations", title="Recommended partners and why")
    group = ctx.group or "ldc"
    per_country = ctx.recommendations if ctx.country else 3
    try:
        recs = api.recommend_report(ctx.inputs, country=ctx.country,
                                    group=None if ctx.country else group, top=per_country,
                                    kinds=("actor", "initiative"), seed=ctx.seed)
    except StigraphError as exc:
        section.paragraphs = [f"No recommendation could be made: {exc}"]
        return section
    who = _label(ctx, ctx.country) if ctx.country else GROUP_NAMES.get(group, group)
    section.paragraphs = [
        f"For {who}, the organisations and initiatives each country is not yet linked to on "
        f"{ctx.as_of}, ranked by an ensemble of five link-prediction indices (Adamic–Adar, "
        "resource allocation, Jaccard, preferential attachment and a community-aware index; "
        "the ensemble is their mean percentile rank). Each recommendation names the countries "
        "and organisations that connect the two, and the cooperation areas it would add.",
        "These are predictions, not facts: they are kept apart from the asserted graph and "
        "should be read as leads to examine, with the evaluation below in mind.",
    ]
    table = Table(
        columns=["country", "rank", "recommended partner", "score", "why", "areas it adds"],
        rows=[[r.country_label, r.rank, r.target_label, r.score, r.explanation,
               ", ".join(r.new_areas) or None] for r in recs],
        numeric=(1, 3), caption=f"Recommended partners for {who} (ensemble score)",
        csv="recommendations.csv",
        note="The score is the ensemble's (mean percentile rank of the five indices); "
             "`stigraph recommend --method` gives each index's own ranking.")
    section.callout = [sentence(counted(stated(table, "rows"), "recommendation",
                                        "recommendations"), " for ",
                                counted(stated(table, "distinct:country"), "country",
                                        "countries"), ", at most ",
                                setting("per-country", per_country), " each; the CSV holds "
                                "the same rows.")]
    section.tables.append(table)
    return section


def evaluation(ctx: Context) -> Section:
    """How the recommendations were evaluated: hold-out and time split against baselines."""
    from stigraph.analytics import api, defaults

    section = Section(id="evaluation", title="How the recommendations were evaluated")
    fraction = setting("holdout", defaults.HOLDOUT_FRACTION, f"{defaults.HOLDOUT_FRACTION:.0%}")
    section.paragraphs = [sentence(
        "Two tests. Hold-out: ", fraction, " of the country–organisation links, drawn at "
        "random with seed ", setting("seed", ctx.seed), ", are removed; each method scores "
        "every pair of a country and an organisation it is not linked to, and should rank the "
        "removed links first. Time split: the graph as of a cutoff date predicts the links "
        "that started after it. Scores are AUC-PR (average precision; a random ranking "
        "scores about the share of positives) and precision among the top ",
        setting("precision-at", _PRECISION_AT), ", against two baselines measured in the "
        "same run: random scores and popularity (preferential attachment).")]
    try:
        cutoff = api.choose_cutoff(ctx.inputs)
        rows = api.evaluation_report(ctx.inputs, cutoff=cutoff, seed=ctx.seed,
                                     fraction=defaults.HOLDOUT_FRACTION)
    except StigraphError as exc:
        section.callout = [f"The evaluation could not run on this graph: {exc}"]
        return section
    section.paragraphs.append(sentence(
        "Settings: seed ", setting("seed", ctx.seed), ", hold-out fraction ",
        setting("holdout", defaults.HOLDOUT_FRACTION, f"{defaults.HOLDOUT_FRACTION:g}"),
        f", time-split cutoff {cutoff} (about ",
        setting("cutoff-share", defaults.CUTOFF_SHARE, f"{defaults.CUTOFF_SHARE:.0%}"),
        f" of the dated country memberships start after it), end {ctx.as_of}. "
        f"`stigraph evaluate --as-of {ctx.as_of}` with the same graph options gives the same "
        "figures (its defaults are these)."))
    table = Table(
        columns=["test", "method", "positives", "candidates", "AUC-PR",
                 f"precision@{_PRECISION_AT}", "beats random", "beats popularity"],
        rows=[[r.split, r.method, r.positives, r.candidates, r.auc_pr,
               r.precision_at.get(_PRECISION_AT), "yes" if r.beats_random else "no",
               "yes" if r.beats_popularity else "no"] for r in rows],
        numeric=(2, 3, 4, 5), caption="Evaluation of the link-prediction methods",
        csv="evaluation.csv")
    section.tables.append(table)
    splits = list(dict.fromkeys(r.split for r in rows))
    counted = [part for i, split in enumerate(splits) for part in
               ((", " if i else ""), stated(table, f"cell:positives|test={split}"),
                f" in the {split.split()[0].replace('time', 'time-split')} test")]
    section.callout = [sentence(
        "Limits: the graph is small and curated, so the number of links to predict is small (",
        *counted, ") and the scores vary with the seed and the cutoff. Missing links in the "
        "seeds count as negatives even when the cooperation exists. Many memberships have no "
        "start date and cannot enter the time split. A method that does not beat popularity "
        "adds little beyond pointing at the largest organisations.")]
    return section


#: The rank up to which the evaluation reports precision.
_PRECISION_AT = 10

#: The analytic sections, in report order (the report places them among its own sections).
SECTIONS = (key_actors, communities, gaps, recommendations, evaluation)
