"""Assemble the analyst's report: build, validate, analyse, draw, and gather sections as data.

:func:`build_report` is the library function behind ``stigraph report``. It builds the graph on
the embedded store, validates it, writes the graph files, runs the analytics on the
projections, draws the charts and network pages and writes ``report.html`` with the CSV tables
next to it. Every number in the report comes with the query or analysis it comes from, and
every fact with its source (a paragraph of the UN report or a web page).

Output folder::

    report.html           the report (self-contained: inline CSS, embedded charts, no script)
    networks/*.html       pyvis network pages (self-contained, offline)
    charts/*.png|svg      the charts
    tables/*.csv          every table of the report
    graph/stigraph.ttl    the graph as built (Turtle), and the projections as GraphML
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from stigraph.analytics import defaults
from stigraph.build.builder import BuildResult, GraphSource, open_graph, table_counts
from stigraph.errors import ParameterError, StigraphError, ValidationError
from stigraph.outputs import aggregate, charts, worldmap
from stigraph.outputs import network as viz
from stigraph.outputs.exports import write_analyst_files
from stigraph.outputs.facets import Facets, add_facets, read_facets
from stigraph.outputs.report import analysis
from stigraph.outputs.report.attribution import attribution_table
from stigraph.outputs.report.claims import counted, sentence, stated
from stigraph.outputs.report.model import Cell, ChartRef, Figure, Link, Num, Section, Table, Text
from stigraph.outputs.report.parallel import Background, Forked
from stigraph.outputs.report.render import ReportPage, format_number, write_report
from stigraph.outputs.report.side_by_side import side_by_side
from stigraph.outputs.report.sources import (
    REPORT_CITATION,
    cited_paragraphs,
    cited_sites,
    notice_table,
    provenance_counts,
    source_links,
)
from stigraph.projection.inputs import AnalysisInputs
from stigraph.queries.sparql import resolve_in_graph, run_sparql
from stigraph.resources import seeds_dir
from stigraph.store.files import write_turtle
from stigraph.validate.shacl import kept_validation
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import STIG, iri_key
from stigraph.writing.folders import replaced_folder

__all__ = ["HUBS", "ReportResult", "ReportSettings", "build_report"]

#: The organisations the report looks at one by one (slug, why).
HUBS: tuple[tuple[str, str], ...] = (
    ("cern", "para 11"),
    ("cgiar", "para 11"),
    ("eureka", "para 26"),
    ("gcf", "para 25"),
    ("horizon-europe", "para 24"),
)

#: ``progress(step)`` as each step starts; ``progress(step, done, total)`` as it goes on
#: (sections done, network pages drawn).
Progress = Callable[..., None]


@dataclass(frozen=True)
class ReportSettings:
    """What to put in the report. The defaults give the full report on the project's seeds."""

    source: GraphSource = field(default_factory=GraphSource)
    as_of: dt.date | None = None
    country: str | None = None
    group: str | None = None
    top: int = 15
    recommendations: int = 10
    seed: int = defaults.SEED
    developing: str = "dac"
    strict: bool = False
    networks: bool = True
    #: ``--evidence`` (layer names, ``all``) and ``--counting`` of the networks; ``None``:
    #: every layer the graph has, each network's default counting.
    evidence: str | None = None
    counting: str | None = None
    title: str = "Actors of international STI cooperation for development"


@dataclass
class ReportResult:
    """What :func:`build_report` wrote and how long each step took."""

    path: Path
    out_dir: Path
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    conforms: bool = True
    violations: int = 0
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    networks: dict[str, int] = field(default_factory=dict)


class _Clock:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.steps: dict[str, float] = {}
        self._name: str | None = None
        self._start = time.perf_counter()
        self.begin = self._start

    def step(self, name: str | None) -> None:
        now = time.perf_counter()
        if self._name is not None:
            self.steps[self._name] = round(now - self._start, 3)
        self._name, self._start = name, now
        if self.progress is not None and name is not None:
            self.progress(name)

    def tick(self, done: int, total: int | None) -> None:
        """How far the current step is."""
        if self.progress is not None and self._name is not None:
            self.progress(self._name, done, total)

    def done(self) -> float:
        self.step(None)
        return round(time.perf_counter() - self.begin, 3)


def _label(graph: Graph, node: str) -> str:
    return label_of(graph, node)


def _sources(text: str | None) -> list[str]:
    return [s for s in (text or "").split() if s]


# -- Section 1: what is in the graph ---------------------------------------------------------


def _overview(result: BuildResult, validation: Any, as_of: str) -> Section:
    graph = result.graph
    counts = result.counts()
    prov = provenance_counts(graph)
    files = table_counts(result.files)
    paragraphs = cited_paragraphs(graph)
    section = Section(id="overview", title="What is in the graph and where it comes from")
    section.paragraphs = [
        "stigraph is a knowledge graph of the actors of international cooperation in science, "
        "technology and innovation (STI): organisations, the programmes they run, the countries "
        "that take part, and the cooperation areas they work in. It starts from the UN report "
        + REPORT_CITATION + " Every actor, programme and initiative the report names is a node, "
        "and every fact carries its source: the paragraph of the report, or the public web page "
        "or data set that states it.",
        f"This report looks at the graph as it stands on {as_of}: memberships that started "
        "later or ended earlier are left out, and so are those in an event or project that "
        "had ended; a membership without dates counts as valid.",
    ]
    section.figures = [
        Figure(format_number(counts.get("Actor", 0)), "actors"),
        Figure(format_number(counts.get("Initiative", 0)), "programmes and initiatives"),
        Figure(format_number(counts.get("Country", 0)), "countries and areas (UN M49)"),
        Figure(format_number(counts.get("Membership", 0)), "memberships and participations"),
        Figure(format_number(len(paragraphs.rows)), "report paragraphs cited"),
        Figure(format_number(counts.get("triples", 0)), "RDF triples"),
    ]
    rows: list[list[Cell]] = [
        ["Actors (organisations)", counts.get("Actor", 0)],
        ["Programmes, projects and other initiatives", counts.get("Initiative", 0)],
        ["Countries and areas", counts.get("Country", 0)],
        ["Country groups (LDC, LLDC, SIDS, developing, income groups by year)",
         counts.get("CountryGroup", 0)],
        ["Memberships (of which participations in initiatives)",
         f"{format_number(counts.get('Membership', 0))} "
         f"({format_number(counts.get('Participation', 0))})"],
        ["Cooperation areas", counts.get("CooperationArea", 0)],
        ["Figures (budgets, counts, shares) from the sources", counts.get("Figure", 0)],
        ["Direct relations with their own source (reified statements)",
         counts.get("statements", 0)],
    ]
    section.tables.append(Table(
        columns=["what", "how many"], rows=rows, numeric=(1,),
        caption="Contents of the graph", csv="graph-contents.csv",
    ))
    prov_rows: list[list[Cell]] = [[kind, n] for kind, n in prov.items()]
    section.tables.append(Table(
        columns=["provenance", "facts"], rows=prov_rows, numeric=(1,),
        caption="Facts by provenance",
        note="Curated: entered by hand from a cited source. Imported: read from a public data "
             "set. Predicted: proposed by link prediction — never mixed with asserted facts.",
        csv="provenance.csv",
    ))
    section.tables.append(Table(
        columns=["seed table", "files"], rows=[[t, n] for t, n in sorted(files.items())],
        numeric=(1,), caption="Seed files read", csv="seed-files.csv",
    ))
    if validation.conforms:
        section.paragraphs.append(
            "The graph was validated against the project's SHACL shapes "
            "(ontology/shapes.ttl) and conforms: every node has its required properties, "
            "every membership its member, organisation, role and source."
        )
    else:
        section.callout = [
            f"The graph does not conform to the SHACL shapes: {len(validation.violations)} "
            "violations. The numbers below are computed on it anyway; fix the seed rows listed "
            "(file:line) and run the report again.",
        ]
        section.tables.append(Table(
            columns=["seed row", "node", "property", "problem"],
            rows=[[v.origin or "—", iri_key(v.focus), iri_key(v.path), v.message]
                  for v in validation.violations[:50]],
            caption="Validation problems (first 50)", csv="validation.csv",
        ))
    return section


# -- Section 4: who cooperates with whom around the hubs -------------------------------------


def _year(date_text: str) -> int | None:
    return int(date_text[:4]) if date_text[:4].isdigit() else None


def _spans(history: Sequence[dict[str, Any]]) -> list[tuple[str, int, int | None]]:
    """(member, start year, end year or None) of the memberships with a start date."""
    spans: list[tuple[str, int, int | None]] = []
    for r in history:
        start = _year(r["start"]) if r.get("start") else None
        if start is not None:
            spans.append((str(r.get("member", "")), start,
                          _year(r["end"]) if r["end"] else None))
    return spans


def _timeline(history: Sequence[dict[str, Any]], last_year: int) -> list[tuple[int, int]]:
    """(year, distinct members valid at the end of that year) for dated memberships, from the
    first: a country with several dated participations (GCF projects) counts once."""
    spans = _spans(history)
    if not spans:
        return []
    points: list[tuple[int, int]] = []
    for year in range(min(s for _, s, _ in spans), last_year + 1):
        count = len({m for m, s, e in spans if s <= year and (e is None or e >= year)})
        if not points or points[-1][1] != count or year == last_year:
            points.append((year, count))
    return points


@dataclass(frozen=True)
class _HubRows:
    """What the graph records about one hub on the date."""

    iri: str
    label: str
    name: str
    members: list[dict[str, Any]]
    history: list[dict[str, Any]]
    shared: list[dict[str, Any]]
    partners: list[dict[str, Any]]


def _hub_rows(graph: Graph, slug: str, as_of: str,
              relations: Sequence[dict[str, Any]]) -> _HubRows:
    iri = str(resolve_in_graph(graph, slug))
    label = _label(graph, iri)
    acronym = graph.value(URIRef(iri), STIG.acronym)
    return _HubRows(
        iri=iri, label=label,
        name=f"{label} ({acronym})" if acronym and str(acronym) != label else label,
        members=run_sparql(graph, "members", {"organisation": slug, "as_of": as_of}),
        history=run_sparql(graph, "membership-history", {"organisation": slug}),
        shared=run_sparql(graph, "shared-members", {"organisation": slug, "as_of": as_of}),
        partners=[r for r in relations if iri in (str(r["a"]), str(r["b"]))])


def _member_rows(members: Sequence[dict[str, Any]]) -> list[list[Cell]]:
    """One row per member and role: memberships, first start, last end, sources."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in members:
        grouped[(r["memberLabel"], r["role"])].append(r)
    rows: list[list[Cell]] = []
    for (member, role), items in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        starts = sorted(r["start"] for r in items if r["start"])
        ends = sorted(r["end"] for r in items if r["end"])
        rows.append([member, role.replace("-", " "), len(items), starts[0] if starts else None,
                     ends[-1] if ends and len(ends) == len(items) else None,
                     source_links(s for r in items for s in _sources(r["sources"]))])
    return rows


def _hub_text(hub: _HubRows, members: Table, as_of: str, developing: set[str],
              ldc: set[str], cite: str) -> tuple[list[Figure], list[Text]]:
    """Key figures and the sentence about the members table (its numbers read from it)."""
    countries = {r["member"] for r in hub.members if "/country/" in r["member"]}
    figures = [
        Figure(format_number(len({r["member"] for r in hub.members})),
               f"members and participants on {as_of}"),
        Figure(format_number(len(countries & developing)), "of them developing countries"),
        Figure(format_number(len(countries & ldc)), "least developed countries"),
        Figure(format_number(len(hub.shared)), "organisations sharing members"),
    ]
    roles = sorted({str(row[1]) for row in members.rows})
    by_role: list[str | Num] = [part for i, role in enumerate(roles) for part in
                                (", " if i else " (",
                                 stated(members, f"sum:memberships|role={role}"), f" {role}")]
    return figures, [sentence(
        f"{hub.name} is named in the UN report ({cite}). On {as_of} the graph records ",
        counted(stated(members, "sum:memberships"), "membership or participation",
                "memberships or participations"), " in it",
        *by_role, ")" if roles else "", "; ", stated(members, "nonempty:since"), " of the ",
        counted(stated(members, "rows"), "member", "members"), " listed (one row per member "
        "and role) with a start date.")]


def _hub(graph: Graph, slug: str, cite: str, as_of: str, developing: set[str],
         ldc: set[str], network: Path | None, root: Path,
         relations: Sequence[dict[str, Any]]) -> tuple[Section, _HubRows]:
    hub = _hub_rows(graph, slug, as_of, relations)
    label = hub.label
    sub = Section(id=f"hub-{slug}", title=hub.name)
    members = Table(
        columns=["member", "role", "memberships", "since", "until", "source"],
        rows=_member_rows(hub.members),
        numeric=(2,), caption=f"Members and participants of {label} on {as_of}",
        csv=f"members-{slug}.csv", empty=f"The graph records no member of {label} on {as_of}.",
        note="One row per member and role; \u201cmemberships\u201d counts the dated entries "
             "(for the GCF: projects). Query: members.",
    )
    sub.figures, sub.paragraphs = _hub_text(hub, members, as_of, developing, ldc, cite)
    sub.tables.append(members)
    if hub.shared:
        sub.tables.append(Table(
            columns=["organisation or initiative", "members shared"],
            rows=[[r["otherLabel"], int(r["shared"])] for r in hub.shared[:10]], numeric=(1,),
            caption=f"Where the members of {label} also cooperate"
                    + (f" (top 10 of {len(hub.shared)})" if len(hub.shared) > 10 else ""),
            note="Two organisations share a member when the same country or organisation is a "
                 "member of (or takes part in) both on the date. Query: shared-members.",
            csv=f"shared-members-{slug}.csv",
        ))
    if hub.partners:
        sub.tables.append(Table(
            columns=["subject", "relation", "object", "source"],
            rows=[[_label(graph, str(r["a"])), str(r["relation"]), _label(graph, str(r["b"])),
                   source_links(_sources(r["sources"]))] for r in hub.partners],
            caption=f"Direct relations of {label}", csv=f"relations-{slug}.csv",
        ))
    if network is not None:
        sub.links.append(Link(f"Network around {label}: its members, partners and their links",
                              network.relative_to(root).as_posix()))
    return sub, hub


# -- Sources ---------------------------------------------------------------------------------


def _sources_section(graph: Graph) -> Section:
    section = Section(id="sources", title="Sources and licences")
    section.paragraphs = [
        "Main source: " + REPORT_CITATION + " Paragraph numbers (\u201cpara 26\u201d) refer to "
        "it. Facts not in the report cite the public web page that states them; country codes, "
        "groups and income classifications come from the data sets below.",
        "Where a date or a fact could not be confirmed, it was left out rather than guessed "
        "(see seeds/NOTES-memberships.md). Numbers in this report are counts over the graph; "
        "the CSV next to each table holds the full rows with their sources.",
        worldmap.SOURCES_NOTE + " " + worldmap.DISCLAIMER,
    ]
    section.tables = [notice_table(seeds_dir() / "NOTICE.md"), cited_paragraphs(graph),
                      cited_sites(graph)]
    imported = attribution_table(graph)
    if imported is not None:  # credit every imported data set the graph holds
        section.tables.insert(0, imported)
        section.paragraphs.append("This graph includes imported data; the first table below "
                                  "credits each data set as its licence asks.")
    return section


# -- The whole report ------------------------------------------------------------------------


@dataclass
class _Report:
    """What the sections of one report share: the settings, the built and validated graph, the
    analysis (its inputs built once) and the files written so far."""

    settings: ReportSettings
    root: Path
    as_of: str
    build: BuildResult
    #: the SHACL validation, running in the background (:class:`~.parallel.Background`)
    validated: Future[Any]
    analysis: analysis.Context
    files: list[Path] = field(default_factory=list)
    pages: dict[str, Path] = field(default_factory=dict)
    networks: dict[str, int] = field(default_factory=dict)
    clock: _Clock | None = None

    @property
    def graph(self) -> Graph:
        return self.build.graph

    @property
    def validation(self) -> Any:
        """The validation report (waits for the background check if it is still running)."""
        return self.validated.result()

    @functools.cached_property
    def facets(self) -> Facets:
        """Region, income group and evidence layers for the network pages' filters."""
        return read_facets(self.build.graph)

    @property
    def net_dir(self) -> Path:
        return self.root / "networks"

    @functools.cached_property
    def headquarters(self) -> tuple[dict[Any, str], dict[str, str]]:
        """Actor -> its country, country -> label: how large networks are grouped."""
        return aggregate.headquarters(self.build.graph)

    def write_pages(self, name: str, graph: Any, *, title: str, description: str,
                    size_by: Any = None) -> Path:
        """The network page ``name`` (as groups with a page per group when it is large)."""
        countries, labels = self.headquarters
        clock = self.clock
        pages = aggregate.write_network_pages(
            graph, self.net_dir / f"{name}.html", title=title, description=description,
            countries=countries, country_labels=labels, size_by=size_by,
            size_name="PageRank" if size_by else "centrality", seed=self.settings.seed,
            assets=self.net_dir, progress=(lambda _what, done, total: clock.tick(done, total))
            if clock is not None else None)
        self.networks[name] = pages[0].nodes
        self.files.extend(page.path for page in pages)
        shared = [self.net_dir / f for f in (viz.VIS_JS, viz.VIS_CSS, viz.PAGE_JS)]
        self.files.extend(f for f in shared if f not in self.files)  # vis-network, once
        return pages[0].path


SectionBuilder = Callable[[_Report], Section]


def _overview_section(report: _Report) -> Section:
    section = _overview(report.build, report.validation, report.as_of)
    section.links.extend(
        Link(f"Network page: {title}", report.pages[name].relative_to(report.root).as_posix())
        for name, _projection, title in analysis.VIEWS  # names only: no decorated copies
        if name in report.pages)
    return section


def _hub_page(report: _Report, slug: str) -> tuple[Path | None, str]:
    """The hub's network page, or None and the sentence saying why there is none."""
    if not report.settings.networks:
        return None, ""
    iri = str(resolve_in_graph(report.graph, slug))
    # by IRI: a slug or acronym can match several nodes once imported data is in the graph
    ego_graph = analysis.hub_graph(report.analysis, iri)
    label = _label(report.graph, iri)
    if ego_graph is None or ego_graph.number_of_edges() == 0:
        return None, (f"No network page for {label}: it has no member, partner or other link "
                      f"in force on {report.as_of}, so there is nothing to draw.")
    return report.write_pages(
        f"hub-{slug}", add_facets(ego_graph, facets=report.facets),
        title=f"Around {_label(report.graph, ego_graph.graph['ego'])}",
        description=f"Members, partners and their links, one step out; as of {report.as_of}."
    ), ""


def _hubs_section(report: _Report) -> Section:
    graph, as_of = report.graph, report.as_of
    developing = analysis.group_members(report.analysis.inputs, "developing")
    ldc = analysis.group_members(report.analysis.inputs, "ldc")
    hubs = Section(id="hubs", title="Who cooperates with whom around CERN, CGIAR, EUREKA, "
                   "the Green Climate Fund and Horizon Europe")
    hubs.paragraphs = [
        "For each of the five organisations the report discusses at length: who is a member "
        "or takes part on the date, since when, on whose word; where else its members "
        "cooperate; and its direct relations.",
    ]
    timelines: dict[str, list[tuple[int, int]]] = {}
    relations = [r for rows in report.analysis.details.values() for r in rows
                 if str(r["relation"]) in analysis.RELATIONS]
    for slug, cite in HUBS:
        try:
            resolve_in_graph(graph, slug)
        except StigraphError:
            hubs.subsections.append(Section(id=f"hub-{slug}", title=slug, paragraphs=[
                f"{slug} is not in this graph (no seed defines it)."]))
            continue
        page, why_not = _hub_page(report, slug)
        sub, hub = _hub(graph, slug, cite, as_of, developing, ldc, page, report.root, relations)
        if why_not:
            sub.paragraphs.append(why_not)
        hubs.subsections.append(sub)
        series = _timeline(hub.history, int(as_of[:4]))
        if series:
            timelines[hub.label] = series
    if timelines:
        chart = charts.memberships_over_time(timelines,
                                             report.root / "charts" / "memberships-over-time",
                                             title="Members over time (dated memberships)")
        hubs.charts.append(ChartRef(chart.png, chart.svg,
                                    "Members over time: distinct members with a dated membership "
                                    "or participation in force at the end of each year (a "
                                    "country in several GCF projects counts once; query: "
                                    "membership-history).", chart.alt))
    return hubs


def _analytic(build: Callable[[analysis.Context], Section]) -> SectionBuilder:
    """A section of :mod:`~stigraph.outputs.report.analysis` as a report section builder."""
    def section(report: _Report) -> Section:
        return build(report.analysis)
    section.__name__ = build.__name__
    return section


def _sources_of(report: _Report) -> Section:
    return _sources_section(report.graph)


def _profiles_of(report: _Report) -> Section:
    from stigraph.outputs.report import profiles

    section, files = profiles.report_section(
        report.analysis.inputs, report.root, developing=report.settings.developing,
        seed=report.settings.seed, focus=report.analysis.country, title=report.settings.title)
    report.files.extend(files)
    return section


#: The report's sections, in order; each takes the shared report state and renders one part.
SECTIONS: tuple[SectionBuilder, ...] = (
    _overview_section,
    _analytic(analysis.key_actors),
    _analytic(analysis.communities),
    _hubs_section,
    _analytic(analysis.gaps),
    _analytic(side_by_side),
    _analytic(analysis.recommendations),
    _analytic(analysis.evaluation),
    _profiles_of,
    _sources_of,
)


@dataclass
class _Drawn:
    """What the drawing wrote: each network's page and node count, and every file."""

    pages: dict[str, Path] = field(default_factory=dict)
    networks: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def _graphml(context: analysis.Context, root: Path, projection: str) -> _Drawn:
    """The projection ``projection`` as GraphML in graph/ (in a forked process, as
    :func:`_draw`)."""
    path = root / "graph" / f"{projection}.graphml"
    return _Drawn(files=[analysis.write_graphml(context.projections[projection], path)])


def _draw(report: _Report, projection: str) -> _Drawn:
    """The network pages of the views of ``projection`` (unless ``--no-networks``) and their
    GEXF and VOSviewer files in graph/: the work of a forked process (:class:`~.parallel.
    Forked`), which reads only the analysis already done — never the graph's store — and
    shows no progress (the display belongs to the parent)."""
    drawn = _Drawn()
    # a copy that keeps what the parent read (facets, headquarters) and collects only what
    # is drawn here; no clock: the progress display belongs to the parent
    report = copy.copy(report)
    report.clock, report.files, report.networks = None, drawn.files, drawn.networks
    projections = {view[0]: view[1] for view in analysis.VIEWS}
    for name, graph, size, title in analysis.network_views(report.analysis, projection):
        decorated = add_facets(graph, facets=report.facets)
        if report.settings.networks:
            drawn.pages[name] = report.write_pages(
                name, decorated, size_by=size, title=title,
                description=f"stigraph, graph as of {report.as_of}. Hover for details and "
                            "sources; click a node to highlight its links. The whole network "
                            "is in the report's graph/ folder (GraphML).")
        proj = projections[name]
        drawn.files.extend(write_analyst_files(
            decorated, report.root / "graph" / proj, pagerank=size,
            seed=report.settings.seed, same=report.analysis.projections[proj],
            description=f"stigraph {proj} projection as of {report.as_of}."))
    return drawn


def _page_paths(report: _Report) -> dict[str, Path]:
    """Where :func:`_draw` writes each network's page (the sections link to them before
    they are written)."""
    if not report.settings.networks:
        return {}
    return {name: report.net_dir / f"{name}.html" for name, _proj, _title in analysis.VIEWS}


def _check_conforms(validation: Any) -> None:
    """``--strict``: a graph that does not conform stops the report."""
    if not validation.conforms:
        raise ValidationError(
            f"the graph does not conform: {len(validation.violations)} violations; first: "
            + validation.violations[0].describe())


def _build(settings: ReportSettings, clock: _Clock) -> BuildResult:
    clock.step("Building the graph")
    return open_graph(settings.source)


def _focus_country(graph: Graph, country: str | None) -> str | None:
    if not country:
        return None
    focus = str(resolve_in_graph(graph, country))
    if "/country/" not in focus:
        raise ParameterError(f"--country {country!r} is not a country code")
    return focus


def build_report(
    out_dir: Path | str,
    settings: ReportSettings | None = None,
    *,
    progress: Progress | None = None,
) -> ReportResult:
    """Build the graph, analyse it and write the report under ``out_dir``.

    ``progress`` is called with the name of each step as it starts (for a progress display).
    Raises :class:`ValidationError` when ``settings.strict`` and the graph does not conform.
    The projections are computed once (:class:`~stigraph.projection.inputs.AnalysisInputs`)
    and shared by every section; the sections are :data:`SECTIONS`, in order.
    """
    final = Path(out_dir)
    with replaced_folder(final) as staging:
        result = _build_report_in(staging, settings or ReportSettings(), progress)
    moved = [final / p.relative_to(staging) for p in result.files]
    return dataclasses.replace(result, path=final / result.path.relative_to(staging),
                               out_dir=final, files=moved)


def _build_report_in(root: Path, settings: ReportSettings, progress: Progress | None
                     ) -> ReportResult:
    clock = _Clock(progress)
    result = _build(settings, clock)
    background = Background(result.graph)
    drawing: list[Forked[_Drawn]] = []
    try:
        return _report_on(root, settings, result, background, clock, drawing)
    finally:
        for forked in drawing:
            forked.close()
        background.close()


def _report_on(root: Path, settings: ReportSettings, result: BuildResult,
               background: Background, clock: _Clock, drawing: list[Forked[_Drawn]]
               ) -> ReportResult:
    as_of = (settings.as_of or dt.date.today()).isoformat()
    focus_country = _focus_country(result.graph, settings.country)
    if settings.strict:
        clock.step("Validating against the SHACL shapes")
    # a kept graph's validation and Turtle file are kept beside it (stigraph.store.memo),
    # read ahead by the build that kept it (stigraph.build.read_ahead): 60 s of CPU on the
    # default graph, once per graph
    validated = background.submit("validation",
                                  lambda: kept_validation(result.graph, result.origins))
    if settings.strict:  # stop before anything else is done
        _check_conforms(validated.result())
    graph_file = background.submit("graph file", lambda: write_turtle(
        result.graph, root / "graph" / "stigraph.ttl"))
    files: list[Path] = []

    clock.step("Projecting and analysing the networks; each network's files and pages are "
               "written in a process of its own as soon as it is projected")
    inputs = AnalysisInputs(result.graph, as_of=as_of, evidence=settings.evidence,
                            counting=settings.counting)
    started: list[_Report] = []

    def draw(context: analysis.Context, projection: str, ranked: bool) -> None:
        """Start writing ``projection`` (now in ``context``) as GraphML in a child, and once
        it is ``ranked`` (its centrality known), its views in another."""
        if not ranked:
            drawing.append(Forked(functools.partial(_graphml, context, root, projection),
                                  what=f"the {projection} GraphML file"))
            return
        if not started:
            report = _Report(settings=settings, root=root, as_of=as_of, build=result,
                             validated=validated, analysis=context, files=files, clock=clock)
            # read from the graph here: the drawing processes must not touch the store
            _ = report.facets, report.headquarters
            started.append(report)
        drawing.append(Forked(functools.partial(_draw, started[0], projection),
                              what=f"the {projection} pages and files"))

    context = analysis.run(inputs, group=settings.group,
                           country=focus_country, top=settings.top,
                           recommendations=settings.recommendations, seed=settings.seed,
                           chart_dir=root / "charts", developing=settings.developing,
                           ready=draw)
    report = started[0]
    report.pages.update(_page_paths(report))

    clock.step("Key actors, communities, gaps, recommendations and their evaluation, the "
               "cooperation around CERN, CGIAR, EUREKA, GCF and Horizon Europe, the profiles "
               "(the network pages are drawn meanwhile)")
    sections: dict[SectionBuilder, Section] = {}
    # the overview (which shows the validation) last: the validation has until then
    for number, build in enumerate(sorted(SECTIONS, key=lambda b: b is _overview_section),
                                   start=1):
        sections[build] = build(report)
        clock.tick(number, len(SECTIONS))

    clock.step("Waiting for the network files and pages (other processes), the validation "
               "and the graph file (second thread)")
    pages: dict[str, Path] = {}
    for forked in drawing:
        drawn = forked.result()
        pages.update(drawn.pages)
        report.networks.update(drawn.networks)
        files.extend(drawn.files)
    if pages != report.pages:  # the sections linked to the pages where they are
        raise StigraphError(f"the network pages were written as {sorted(pages)}, not "
                            f"as the report links them: {sorted(report.pages)}")
    files.insert(0, graph_file.result())
    validation = report.validation
    steps = {f"{name} (in the background)": seconds
             for name, seconds in background.seconds.items()}
    steps.update({f"{forked.what} (in a process of its own)": forked.seconds
                  for forked in drawing})
    clock.step("Writing report.html and the tables")
    report_page = ReportPage(
        title=settings.title,
        subtitle="Who cooperates with whom, where developing countries have partnership gaps, "
                 "and which partners could close them.",
        as_of=as_of,
        generated=dt.date.today().isoformat(),
        sections=[sections[build] for build in SECTIONS],
        summary=context.summary,
        focus=", ".join(x for x in (settings.country or "", settings.group or "") if x),
        footer=[
            "Made with stigraph from the curated seeds and public data sets listed under "
            "Sources and licences. Predicted links are recommendations, not facts.",
            "Files: graph/stigraph.ttl (the graph), graph/*.graphml (projections), "
            "graph/*.gexf (for Gephi), graph/*_map.txt and *_network.txt (for VOSviewer), "
            "tables/*.csv and tables/report.xlsx, charts/*.png|svg, networks/*.html.",
        ],
    )
    path = write_report(report_page, root)
    files.append(path)
    seconds = clock.done()
    return ReportResult(path=path, out_dir=root, files=files, counts=result.counts(),
                        conforms=validation.conforms, violations=len(validation.violations),
                        seconds=seconds, steps={**clock.steps, **steps},
                        networks=report.networks)
