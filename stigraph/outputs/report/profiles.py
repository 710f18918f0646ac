"""Country profiles: one page per developing country, linked from an index and the report.

Each profile shows, as of the report's date and with the source and years of every figure:
the country's memberships over time (a timeline by role: full member, associate member,
observer), its Horizon Europe participations by year, role, programme part and field (CORDIS),
its top partner countries and organisations (the rows of ``stigraph partners``), its
co-authorship with other countries per year (OpenAlex), its GCF projects with amounts, its
gaps by cooperation area against its income-group peers (``stigraph gaps``) and the
recommendations with their explanations (``stigraph recommend --country``).

Everything is read once for all countries (:class:`ProfileData`): one query per source, then
indexed by country, so ~140 profiles cost a few queries, not one per country and section.
The pages are rendered by ``templates/profile.html`` (autoescape on, no script, no request)
with inline SVG charts (:mod:`stigraph.outputs.svg`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from rdflib import Graph

from stigraph import __version__
from stigraph.analytics import api
from stigraph.analytics import gaps as gaps_mod
from stigraph.analytics.developing import Developing, developing_countries
from stigraph.analytics.records import AreaGap, Recommendation
from stigraph.outputs import svg
from stigraph.outputs.report import profile_maps
from stigraph.outputs.report.claims import sentence, stated
from stigraph.outputs.report.model import Cell, Figure, Link, Section, Table, Text
from stigraph.outputs.report.render import _table, format_number, write_table_csv
from stigraph.outputs.report.sources import source_links
from stigraph.projection.evidence import EvidenceOptions
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.partners import (
    PartnerSources,
    partners,
    project_facets,
    ranked_rows,
)
from stigraph.queries.sparql import run_sparql
from stigraph.store import store_of
from stigraph.vocab.namespaces import DCTERMS, ID_BASE, RDF, SKOS, STIG
from stigraph.writing.atomic import atomic_open

__all__ = ["FOLDER", "CountryProfile", "ProfileData", "country_memberships", "profile",
           "report_section", "write_profiles"]

#: The profiles' folder inside the report folder.
FOLDER = "profiles"
TOP = 10
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

CORDIS = "CORDIS Horizon Europe projects and participants (EU open data portal)"
OPENALEX = "OpenAlex country co-authorship counts"
GCF = "Green Climate Fund open data (projects and beneficiary countries)"
MEMBERSHIPS = ("the curated seeds (each row with its source) and the Correlates of War IGO "
               "data v3 (Pevehouse et al. 2020)")


@dataclass
class Part:
    """One section of a profile: text, inline SVG charts (escaped markup) and tables."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Markup] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class CountryProfile:
    """A country's profile as data (what the page shows) and its headline counts."""

    iri: str
    iso2: str
    label: str
    as_of: str
    figures: list[Figure]
    parts: list[Part]
    counts: dict[str, float]

    @property
    def file(self) -> str:
        return f"{self.iso2}.html"


def _year(text: Any) -> int | None:
    value = str(text or "")
    return int(value[:4]) if value[:4].isdigit() else None


class ProfileData:
    """What every profile needs, read once from the analysis inputs of the report's date."""

    def __init__(self, inputs: AnalysisInputs, *, developing: str = "dac", seed: int = 0,
                 top: int = TOP) -> None:
        self.inputs = inputs
        self.rdf = inputs.rdf
        self.as_of = str(inputs.as_of or dt.date.today().isoformat())
        self.year = int(self.as_of[:4])
        self.seed = seed
        self.top = top
        self.definition: Developing = developing_countries(self.rdf, developing,
                                                           as_of=self.as_of)
        # the consortia, membership facts and OpenAlex layer the analysis inputs read anyway
        layers = inputs.evidence_layers or {}
        self.sources = PartnerSources(self.rdf, EvidenceOptions(as_of=self.as_of),
                                      projects=inputs.consortia, facts=inputs.facts,
                                      coauthorship=layers.get("openalex"))

    def countries(self, focus: str | None = None) -> list[str]:
        """The developing countries of the definition, by label (or just ``focus``)."""
        infos = self.inputs.infos
        chosen = [focus] if focus else [c for c in self.definition.members if c in infos]
        return sorted(chosen, key=lambda c: (infos[c].label if c in infos else c, c))

    def iso(self, country: str) -> str:
        info = self.inputs.infos.get(country)
        return info.iso2 if info else country.rsplit("/", 1)[-1]

    def label(self, node: str) -> str:
        return str(self.inputs.node_attributes([node])[node]["label"])

    @cached_property
    def memberships(self) -> dict[str, list[dict[str, Any]]]:
        """Country -> its memberships that had started by the date (any role)."""
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        rows = country_memberships(self.rdf)
        if rows is None:  # a membership node that is a blank node: the query reads it
            rows = run_sparql(self.rdf, "country-memberships", {})
        for row in rows:
            if not row["start"] or str(row["start"]) <= self.as_of:
                out[str(row["member"])].append(row)
        return out

    @cached_property
    def facets(self) -> dict[str, list[tuple[str, str]]]:
        """CORDIS project -> its (facet, value): programme part and fields (any level)."""
        if not self.sources.projects:
            return {}
        return project_facets(self.rdf)  # the query's rows, by triple patterns

    @cached_property
    def gcf(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in run_sparql(self.rdf, "country-gcf-projects", {"as_of": self.as_of}):
            out[str(row["country"])].append(row)
        return out

    def gaps(self, countries: Sequence[str]) -> dict[str, list[AreaGap]]:
        """Country -> every area with its links and its income-group peers' median, as
        ``stigraph gaps --country`` computes them (all areas, not only the gaps)."""
        inputs = self.inputs
        rows = gaps_mod.area_gaps(inputs.country_organisation, inputs.organisation_areas,
                                  inputs.infos, inputs.area_labels,
                                  [c for c in countries if c in inputs.infos], include_ok=True)
        out: dict[str, list[AreaGap]] = defaultdict(list)
        iso = {info.iso2: iri for iri, info in inputs.infos.items()}
        for r in rows:
            out[iso.get(r.country, r.country)].append(r)
        return out

    def recommendations(self, countries: Sequence[str]) -> dict[str, list[Recommendation]]:
        """Country -> ``stigraph recommend --country --method ensemble`` for it."""
        known = [c for c in countries if c in self.inputs.cooperation]
        return api.recommend_each(self.inputs, known, top=10, seed=self.seed,
                                  kinds=("actor", "initiative", "country"))


def country_memberships(graph: Graph) -> list[dict[str, Any]] | None:
    """The rows of ``country-memberships``, read by triple patterns: the membership nodes
    whose member is a country (one scan), then each node's own triples. The query groups
    every membership of the graph (7 s on the kept default graph); this reads the countries'
    ~20,000 nodes. ``sources`` lists each source once, sorted (the query's order within the
    list is the engine's; the profiles sort them). ``None`` when a node is a blank node."""
    store = store_of(graph)
    countries = {s for s, _o in store.pairs(str(RDF.type), str(STIG.Country))}
    nodes = sorted({node for node, member in store.pairs(str(STIG.member)) if member in countries})
    if not all(":" in node for node in nodes):
        return None
    notations: dict[str, list[str]] = {}

    def notation(role: str) -> list[str]:
        if role not in notations:
            notations[role] = ([o for p, o in store.about(role) if p == str(SKOS.notation)]
                               if ":" in role else [])
        return notations[role]

    groups: dict[tuple[str, str, str, str, str], set[str]] = {}
    for node in nodes:
        values: dict[str, list[str]] = defaultdict(list)
        for predicate, obj in store.about(node):
            values[predicate].append(obj)
        roles = [n for role in values[str(STIG.role)] for n in notation(role)]
        for key in _membership_keys(values, roles, countries):
            groups.setdefault(key, set()).update(values[str(DCTERMS.source)])
    return [{"member": member, "organisation": organisation, "role": role, "start": start,
             "end": end, "sources": " ".join(sorted(sources))}
            for (member, organisation, role, start, end), sources in sorted(
                groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][3], kv[0][2],
                                                kv[0][4]))]


_PROJECTS = ID_BASE + "project/"


def _membership_keys(values: dict[str, list[str]], roles: list[str], countries: set[str]
                     ) -> Iterator[tuple[str, str, str, str, str]]:
    """A membership node's groups ``(member, organisation, role, start, end)`` of the query:
    one per combination of its values (start and end empty when unbound)."""
    for member in values[str(STIG.member)]:
        if member not in countries:
            continue
        for organisation in values[str(STIG.organisation)]:
            if organisation.startswith(_PROJECTS):
                continue
            for role in roles:
                for start in values[str(STIG.startDate)] or [""]:
                    for end in values[str(STIG.endDate)] or [""]:
                        yield member, organisation, role, start, end


def _sources(row: dict[str, Any]) -> list[str]:
    """A membership row's sources (an empty list comes back from Oxigraph's query as None)."""
    return str(row["sources"] or "").split()


# -- the parts of one profile ----------------------------------------------------------------


def _span_years(row: dict[str, Any], as_of: str) -> tuple[int | None, int | None]:
    start, end = _year(row["start"]), _year(row["end"])
    if end is not None and str(row["end"]) > as_of:
        end = None  # ends after the date (ISO texts compare as dates): in force on it
    return start, end


def _memberships_part(data: ProfileData, country: str, label: str) -> Part:
    rows = data.memberships.get(country, [])
    part = Part("memberships", "Memberships over time")
    spans: list[svg.Span] = []
    table_rows: list[list[Cell]] = []
    for r in sorted(rows, key=lambda r: (str(r["start"]) or "9999", data.label(r["organisation"]))):
        org = data.label(str(r["organisation"]))
        start, end = _span_years(r, data.as_of)
        if start is not None:
            spans.append(svg.Span(org, str(r["role"]), start, end))
        table_rows.append([org, str(r["role"]).replace("-", " "), r["start"] or None,
                           r["end"] if r["end"] and end is not None else None,
                           source_links(_sources(r))])
    dated = sorted({s.label for s in spans})
    roles = Counter(str(r["role"]) for r in rows)
    years = [s.start for s in spans]
    part.paragraphs.append(
        f"The graph records {len(rows)} memberships and participations of {label} in "
        f"organisations and programmes that had started by {data.as_of} ("
        + (", ".join(f"{n} {role.replace('-', ' ')}" for role, n in sorted(roles.items()))
           or "none") + f"); {len(spans)} of them are dated, in {len(dated)} "
        + ("body" if len(dated) == 1 else "bodies")
        + (f", from {min(years)} to {data.as_of[:4]}" if years else "")
        + f". Sources: {MEMBERSHIPS}. The COW IGO data end in 2014: a spell still running "
        "then has no end in the graph and is drawn as in force up to the date.")
    if spans:
        part.charts.append(Markup(svg.timeline(
            spans, last_year=data.year,
            title=f"{label}: dated memberships by role, {min(years)}\u2013{data.year}")))
    part.tables.append(Table(
        columns=["organisation or programme", "role", "from", "until", "source"],
        rows=table_rows, caption=f"Memberships of {label} (started by {data.as_of})",
        csv="memberships.csv",
        note="\u201cuntil\u201d is empty while the membership is in force on the date; a "
             "membership that ends after the date is shown as in force. Query: "
             "country-memberships."))
    return part


def _cordis_rows(data: ProfileData, country: str) -> tuple[dict[int | None, list[float]],
                                                           Counter[str], Counter[str], int]:
    """Per year: [projects, participations, coordinated, EU contribution]; programme parts;
    fields; projects in all."""
    years: dict[int | None, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    programmes: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    projects = data.sources.projects_of(country)
    for c in projects:
        mine = [p for p in c.participants if p.country == country]
        if not mine:
            continue
        slot = years[c.year]
        slot[0] += 1
        slot[1] += len(mine)
        slot[2] += sum(1 for p in mine if p.coordinator)
        slot[3] += sum(p.amount for p in mine)
        for facet, value in data.facets.get(c.project, []):
            (programmes if facet == "programme" else fields)[value] += 1
    return years, programmes, fields, sum(int(v[0]) for v in years.values())


def _cordis_part(data: ProfileData, country: str, label: str) -> Part:
    part = Part("horizon-europe", "Horizon Europe participations")
    years, programmes, fields, total = _cordis_rows(data, country)
    if not total:
        part.paragraphs.append(f"No organisation of {label} takes part in a CORDIS project "
                               f"started by {data.as_of} in this graph (source: {CORDIS}).")
        return part
    dated = sorted(y for y in years if y is not None)
    coordinated = sum(int(v[2]) for v in years.values())
    part.paragraphs.append(
        f"Organisations of {label} take part in {total} Horizon Europe projects started "
        f"from {dated[0] if dated else '?'} to {dated[-1] if dated else '?'} (by "
        f"{data.as_of}), coordinating {coordinated} of the participations. Source: {CORDIS}; "
        "the year is the project's start.")
    part.charts.append(Markup(svg.bars([(y, years[y][0]) for y in dated],
                                       title=f"{label}: Horizon Europe projects by start year",
                                       unit="projects")))
    part.tables.append(Table(
        columns=["start year", "projects", "participations", "as coordinator",
                 "EU contribution (EUR)"],
        rows=[[str(y) if y is not None else "undated", int(v[0]), int(v[1]), int(v[2]),
               round(v[3])]
              for y, v in sorted(years.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))],
        numeric=(1, 2, 3, 4), caption=f"{label}: Horizon Europe participations by year and role",
        csv="horizon-europe-years.csv",
        note="A participation is one organisation of the country in one project (several roles "
             "or identifiers of one organisation count once); \u201cas coordinator\u201d: "
             "participations in the coordinator role, the rest are participants, associated "
             "partners or third parties. EU contribution: to the country's organisations."))
    part.tables.append(Table(
        columns=["programme part (CORDIS legal basis)", "projects"],
        rows=[[k, n] for k, n in programmes.most_common(TOP)], numeric=(1,),
        caption=f"{label}: projects by programme part (top {TOP})",
        csv="horizon-europe-programmes.csv"))
    part.tables.append(Table(
        columns=["field of science (EuroSciVoc, any level)", "projects"],
        rows=[[k, n] for k, n in fields.most_common(TOP)], numeric=(1,),
        caption=f"{label}: projects by field (top {TOP})",
        csv="horizon-europe-fields.csv",
        note="A project counts in each of its fields and in every broader field of them."))
    return part


def _partner_tables(data: ProfileData, country: str, label: str) -> Part:
    part = Part("partners", "Top partners")
    name: Callable[[str], str] = data.label
    countries = ranked_rows(partners(data.rdf, country, sources=data.sources), name,
                            top=TOP)
    orgs = ranked_rows(partners(data.rdf, country, kind="organisations", sources=data.sources),
                       name, top=TOP)
    part.charts.append(profile_maps.partner_map(data, data.iso(country), label, countries))
    part.paragraphs.append(
        f"The partners of {label} on {data.as_of}, as `stigraph partners {data.iso(country)}` "
        "ranks them: each evidence layer (CORDIS projects, OpenAlex works, GCF projects, "
        "shared memberships) divided by its largest value among the partners, summed. "
        f"Sources: {CORDIS}; {OPENALEX}; {GCF}; {MEMBERSHIPS}.")
    part.tables.append(Table(
        columns=["partner country", "weight", "projects", "works", "GCF projects",
                 "shared memberships", "years"],
        rows=[[r["label"], r["weight"], r["projects"], r["works"], r["gcf_projects"],
               r["shared_memberships"], _years_text(r)] for r in countries],
        numeric=(1, 2, 3, 4, 5), caption=f"{label}: top {TOP} partner countries",
        csv="partner-countries.csv"))
    part.tables.append(Table(
        columns=["partner organisation", "weight", "shared projects", "shared memberships",
                 "years"],
        rows=[[r["label"], r["weight"], r["projects"], r["shared_memberships"],
               _years_text(r)] for r in orgs],
        numeric=(1, 2, 3), caption=f"{label}: top {TOP} partner organisations (other than its "
                                   "own)", csv="partner-organisations.csv"))
    return part


def _years_text(row: dict[str, Any]) -> str | None:
    first, last = row.get("first_year"), row.get("last_year")
    if first is None:
        return None
    return str(first) if first == last else f"{first}\u2013{last}"


def _coauthorship_part(data: ProfileData, country: str, label: str) -> Part:
    part = Part("coauthorship", "Co-authorship with other countries")
    per_year: Counter[int] = Counter()
    per_partner: Counter[str] = Counter()
    for row in data.sources.works_of(country):
        other = str(row["b"]) if str(row["a"]) == country else str(row["a"])
        works = float(row["works"] or 0.0)
        if row["year"] is not None:
            per_year[int(row["year"])] += int(works)
        per_partner[other] += int(works)
    if not per_year:
        part.paragraphs.append(f"No OpenAlex co-authorship counts for {label} in this graph "
                               f"(source: {OPENALEX}).")
        return part
    years = sorted(per_year)
    part.paragraphs.append(
        f"Works co-authored by authors of {label} and of another country, {years[0]}\u2013"
        f"{years[-1]}: {per_year[years[0]]:,} in {years[0]}, {per_year[years[-1]]:,} in "
        f"{years[-1]}, with {len(per_partner)} partner countries. Each partner's works are "
        "counted once for that partner, so a work with three countries counts for two "
        f"partners. Source: {OPENALEX}; the year is the publication year.")
    part.charts.append(Markup(svg.bars([(y, per_year[y]) for y in years],
                                       title=f"{label}: co-authored works by year, summed "
                                             "over partner countries", unit="works")))
    part.tables.append(Table(
        columns=["partner country", "co-authored works"],
        rows=[[data.label(k), n] for k, n in sorted(per_partner.items(),
                                                    key=lambda kv: (-kv[1], kv[0]))[:TOP]],
        numeric=(1,), caption=f"{label}: top {TOP} co-authorship partners, {years[0]}\u2013"
                              f"{years[-1]}", csv="coauthorship.csv"))
    return part


def _gcf_part(data: ProfileData, country: str, label: str) -> Part:
    part = Part("gcf", "Green Climate Fund projects")
    rows = data.gcf.get(country, [])
    if not rows:
        part.paragraphs.append(f"{label} is the beneficiary of no GCF project approved by "
                               f"{data.as_of} in this graph (source: {GCF}).")
        return part
    amounts = [float(r["amount"]) for r in rows if r["amount"]]
    dates = sorted(str(r["start"]) for r in rows if r["start"])
    part.paragraphs.append(
        f"{label} is a beneficiary of {len(rows)} GCF projects approved "
        + (f"from {dates[0][:4]} to {dates[-1][:4]}" if dates else "(no approval date)")
        + f", with USD {format_number(round(sum(amounts)))} of GCF funding attributed to it. "
        f"Source: {GCF}.")
    part.tables.append(Table(
        columns=["project", "approved", "GCF amount for the country (USD)",
                 "project's total GCF funding (USD)"],
        rows=[[data.label(str(r["project"])), r["start"] or None,
               round(float(r["amount"])) if r["amount"] else None,
               round(float(r["total"])) if r["total"] else None] for r in rows],
        numeric=(2, 3), caption=f"{label}: GCF projects", csv="gcf.csv"))
    return part


def _gaps_part(data: ProfileData, label: str, rows: Sequence[AreaGap]) -> Part:
    part = Part("gaps", "Gaps by cooperation area against peers")
    if not rows:
        part.paragraphs.append("No cooperation area or no peer in this graph.")
        return part
    missing = [r for r in rows if r.status != "ok"]
    part.paragraphs.append(
        f"{label} has no or weak links in {len(missing)} of the {len(rows)} cooperation areas "
        f"compared with its {rows[0].peers} peers ({rows[0].peer_group}) on {data.as_of}, as "
        "`stigraph gaps` computes them: a link is a membership of or participation in an "
        "organisation that addresses the area (curated in the seeds with its source); weak = "
        "under half the peers' median.")
    part.tables.append(Table(
        columns=["cooperation area", "links", "peers' median", "status"],
        rows=[[r.area_label, r.links, r.peer_median, r.status]
              for r in sorted(rows, key=lambda r: (-r.gap, r.area_label))],
        numeric=(1, 2), caption=f"{label}: links per cooperation area against its peers",
        csv="gaps.csv"))
    return part


def _recommendations_part(data: ProfileData, label: str, iso2: str,
                          recs: Sequence[Recommendation]) -> Part:
    part = Part("recommendations", "Recommended partners and why")
    part.paragraphs.append(
        f"What `stigraph recommend --method ensemble --country {iso2} --as-of {data.as_of}` "
        "gives (the accession model, `stigraph recommend --method model`, is the command's "
        "default for organisations): the "
        "organisations and partner countries not yet linked to it, ranked separately by the "
        f"ensemble of link-prediction indices (seed {data.seed}); predictions, not facts.")
    part.tables.append(Table(
        columns=["group", "rank", "recommended partner", "score", "why", "areas it adds"],
        rows=[[r.target_group, r.rank, r.target_label, r.score, r.explanation,
               ", ".join(r.new_areas) or None] for r in recs],
        numeric=(1, 3), caption=f"Recommended partners for {label}",
        csv="recommendations.csv", empty="No recommendation for this country."))
    return part


def profile(data: ProfileData, country: str, *, gaps: Sequence[AreaGap] = (),
            recommendations: Sequence[Recommendation] = ()) -> CountryProfile:
    """The profile of one country (an IRI) from the shared data."""
    info = data.inputs.infos.get(country)
    label = info.label if info else data.label(country)
    iso2 = data.iso(country)
    parts = [_memberships_part(data, country, label), _cordis_part(data, country, label),
             _partner_tables(data, country, label), _coauthorship_part(data, country, label),
             _gcf_part(data, country, label), _gaps_part(data, label, gaps),
             _recommendations_part(data, label, iso2, recommendations)]
    he = _cordis_rows(data, country)[3]
    works = sum(int(float(r["works"] or 0)) for r in data.sources.works_of(country))
    counts = {"memberships": float(len(data.memberships.get(country, []))),
              "projects": float(he), "works": float(works),
              "gcf": float(len(data.gcf.get(country, [])))}
    groups = ", ".join(info.group_labels()) if info else ""
    figures = [Figure(format_number(int(counts["memberships"])), "memberships"),
               Figure(format_number(he), "Horizon Europe projects"),
               Figure(format_number(works), "co-authored works (sum over partners)"),
               Figure(format_number(int(counts["gcf"])), "GCF projects")]
    if groups:
        parts[0].paragraphs.insert(0, f"Groups of {label} in {data.year}: {groups}. "
                                   + data.definition.statement)
    return CountryProfile(country, iso2, label, data.as_of, figures, parts, counts)


# -- pages -----------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def _page(env: jinja2.Environment, p: CountryProfile, title: str) -> str:
    return env.get_template("profile.html").render(
        title=f"{p.label}: country profile", report_title=title, as_of=p.as_of,
        version=__version__, figures=p.figures, index="index.html", report="../report.html",
        parts=[{"id": part.id, "title": part.title, "paragraphs": part.paragraphs,
                "charts": part.charts, "tables": [_table(t, "tables") for t in part.tables]}
               for part in p.parts])


def _index_table(profiles: Sequence[CountryProfile], prefix: str) -> Table:
    return Table(
        columns=["country", "ISO", "memberships", "Horizon Europe projects",
                 "co-authored works", "GCF projects"],
        rows=[[Link(p.label, prefix + p.file), p.iso2, int(p.counts["memberships"]),
               int(p.counts["projects"]), int(p.counts["works"]), int(p.counts["gcf"])]
              for p in profiles],
        numeric=(2, 3, 4, 5), caption="Country profiles", csv="country-profiles.csv")


def _gather(combined: dict[str, Table], p: CountryProfile) -> None:
    """Add a profile's tables to the CSV of all profiles (one file per table, a ``country``
    column first): a few files for ~140 countries, not a thousand."""
    for part in p.parts:
        for t in part.tables:
            if not t.csv:
                continue
            into = combined.get(t.csv)
            if into is None:
                into = combined[t.csv] = Table(columns=["country", *t.columns], rows=[])
            into.rows.extend([p.iso2, *row] for row in t.rows)


def write_profiles(data: ProfileData, folder: Path, *, focus: str | None = None,
                   title: str = "stigraph report") -> tuple[list[CountryProfile], list[Path]]:
    """Write one page per country (``focus``: that one only) and ``index.html`` under
    ``folder``; returns the profiles and the files written."""
    countries = data.countries(focus)
    gaps = data.gaps(countries)
    recs = data.recommendations(countries)
    env = _environment()
    profiles: list[CountryProfile] = []
    files: list[Path] = []
    combined: dict[str, Table] = {}
    for country in countries:
        p = profile(data, country, gaps=gaps.get(country, []),
                    recommendations=recs.get(country, []))
        profiles.append(p)
        _gather(combined, p)
        path = folder / p.file
        with atomic_open(path) as handle:
            handle.write(_page(env, p, title))
        files.append(path)
    index = _index_table(profiles, "")
    files.extend(write_table_csv(t, folder / "tables" / name) for name, t in combined.items())
    files.append(write_table_csv(index, folder / "tables" / "country-profiles.csv"))
    path = folder / "index.html"
    with atomic_open(path) as handle:
        handle.write(env.get_template("profile-index.html").render(
            title="Country profiles", report="../report.html", as_of=data.as_of,
            version=__version__, statement=data.definition.statement,
            definition=data.definition.definition, source=data.definition.source,
            index_table=_table(index, "tables"), maps=profile_maps.index_maps(data, profiles)))
    files.append(path)
    return profiles, files


def report_section(inputs: AnalysisInputs, root: Path, *, developing: str = "dac",
                   seed: int = 0, focus: str | None = None,
                   title: str = "stigraph report") -> tuple[Section, list[Path]]:
    """Write the profiles under ``root/profiles`` and return the report's section that links
    them (``focus``: one country's profile only), with the files written."""
    data = ProfileData(inputs, developing=developing, seed=seed)
    profiles, files = write_profiles(data, root / FOLDER, focus=focus, title=title)
    section = Section(id="profiles", title="Country profiles")
    index = _index_table(profiles, f"{FOLDER}/")
    index.csv = "country-profiles.csv"
    who: Text = (f"the focus country ({profiles[0].label})" if focus and profiles
                 else sentence("each of the ", stated(index, "rows"), " developing countries"))
    section.paragraphs = [sentence(
        "One page for ", who, ": memberships over time, Horizon Europe participations, top "
        "partner countries and organisations, co-authorship, GCF projects, gaps by cooperation "
        f"area and recommended partners, each with its source and years, as of {data.as_of}. "
        + data.definition.statement)]
    section.links = [Link("Index of the country profiles", f"{FOLDER}/index.html")]
    section.tables = [index]
    return section, files
