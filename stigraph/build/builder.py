"""Build the graph: ontology + seed tables (+ extra RDF files) -> one rdflib graph.

Seeds are read in two passes: first every file is parsed and every actor, initiative and
country is registered, so rows may refer to things defined later or in another file; then each
row becomes triples. Any problem raises :class:`~stigraph.errors.SeedError` with its file and
line before anything is written.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from stigraph import resources
from stigraph.build.cache import DEFAULT_KEEP
from stigraph.build.lifetimes import LifetimeIssue, LifetimeReport, add_validity
from stigraph.build.seedtables import (
    Row,
    parse_date,
    parse_decimal,
    parse_sources,
    read_table,
    table_of,
)
from stigraph.errors import OntologyError, SeedError
from stigraph.store import Store, copy_store, new_graph, open_store, resolve_store, store_of
from stigraph.store.files import parse_rdf_file
from stigraph.store.memo import remember_in
from stigraph.vocab.namespaces import (
    DCTERMS,
    PREFIXES,
    RDF,
    RDFS,
    REPORT_IRI,
    SCHEMA,
    SKOS,
    STIG,
    XSD,
    actor_iri,
    area_iri,
    country_iri,
    group_iri,
    income_group_iri,
    initiative_iri,
    instance_iri,
    region_iri,
    role_iri,
    sdg_iri,
)
from stigraph.vocab.terms import (
    INCOME_GROUPS,
    STATIC_GROUPS,
    actor_kinds,
    initiative_kinds,
    relation_predicates,
    roles,
)

__all__ = ["BuildResult", "GraphSource", "build_graph", "open_graph"]

# Order in which tables are turned into triples (things before what refers to them).
_TABLE_ORDER = ("countries", "country-groups", "income-groups", "actors", "initiatives",
                "memberships", "relations", "figures")


@dataclass
class BuildResult:
    """The built graph and where each seeded node came from (``file:line``)."""

    graph: Graph
    origins: dict[Node, str] = field(default_factory=dict)
    #: the dated facts bounded by their dates and lifetimes, and those dated out of lifetime
    lifetimes: LifetimeReport = field(default_factory=LifetimeReport)
    files: list[Path] = field(default_factory=list)

    #: the last counts and the triple count they were made at (a report asks twice)
    _counted: tuple[int, dict[str, int]] | None = field(default=None, repr=False,
                                                        compare=False)

    def counts(self) -> dict[str, int]:
        """Triples and instances per main class (subclasses included)."""
        triples = len(store_of(self.graph))
        if self._counted is None or self._counted[0] != triples:
            self._counted = (triples, class_counts(self.graph))
        return dict(self._counted[1])


COUNTED_CLASSES = ("Actor", "Initiative", "Programme", "Project", "Country", "CountryGroup",
                   "Membership", "Participation", "CooperationArea", "Figure", "PredictedLink")


def class_counts(graph: Graph) -> dict[str, int]:
    """Triples, instances per main class (subclasses included) and reified statements."""
    # One aggregate query; the class IRIs are constants of the ontology, not user input.
    values = " ".join(STIG[name].n3() for name in COUNTED_CLASSES)
    query = (f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} "
             f"?s a/{RDFS.subClassOf.n3()}* ?c }} GROUP BY ?c")
    found = {str(row[0]): int(str(row[1])) for row in graph.query(query)}  # type: ignore[index]
    counts = {"triples": len(store_of(graph))}
    counts.update({name: found.get(str(STIG[name]), 0) for name in COUNTED_CLASSES})
    statements = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {RDF.Statement.n3()} }}"
    counts["statements"] = int(str(next(iter(graph.query(statements)))[0]))  # type: ignore[index]
    return counts


def _key(*parts: str) -> str:
    """A short stable hash, so re-builds give the same IRIs for the same facts."""
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


class _Builder:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.origins: dict[Node, str] = {}
        self.slugs: dict[str, tuple[URIRef, Row]] = {}
        self.countries: set[str] = set()
        self.areas: set[str] = set()
        self.sdgs: set[str] = set()
        self.report_sources: set[URIRef] = set()
        self.groups: dict[URIRef, set[str]] = {}

    # -- references ------------------------------------------------------------------------

    def country(self, row: Row, code: str) -> URIRef:
        if code not in self.countries:
            raise row.error(f"unknown country code {code!r}; use an ISO 3166-1 alpha-2 code "
                            "listed in seeds/countries.csv")
        return country_iri(code)

    def ref(self, row: Row, text: str) -> URIRef:
        """Resolve a cell reference: ``KE``, a slug, ``area:slug`` or ``sdg:N``."""
        if text.startswith("area:"):
            return self.area(row, text[5:])
        if text.startswith("sdg:"):
            return self.sdg(row, text[4:])
        if len(text) == 2 and text.isalpha() and text.isupper():
            return self.country(row, text)
        if text in self.slugs:
            return self.slugs[text][0]
        raise row.error(f"unknown reference {text!r}: not a country code, not a slug defined "
                        "in an actors or initiatives table, not area:… or sdg:…")

    def area(self, row: Row, slug: str) -> URIRef:
        if slug not in self.areas:
            raise row.error(f"unknown cooperation area {slug!r}; known areas: "
                            f"{', '.join(sorted(self.areas))}")
        return area_iri(slug)

    def sdg(self, row: Row, number: str) -> URIRef:
        if number not in self.sdgs:
            raise row.error(f"unknown SDG {number!r}; use a number from 1 to 17")
        return sdg_iri(number)

    # -- common attributes -----------------------------------------------------------------

    def cite(self, node: URIRef, row: Row, provenance: URIRef = STIG.Curated) -> None:
        for source in parse_sources(row):
            self.g.add((node, DCTERMS.source, source))
            if str(source).startswith(str(REPORT_IRI)):
                self.report_sources.add(source)
        self.g.add((node, STIG.provenance, provenance))
        self.g.add((node, STIG.seedFile, Literal(f"{row.path.parent.name}/{row.where()}")))
        self.origins.setdefault(node, f"{row.path}:{row.line}")

    def add_literal(self, node: URIRef, predicate: URIRef, value: Literal | str | None) -> None:
        if value:
            self.g.add((node, predicate, value if isinstance(value, Literal) else Literal(value)))

    # -- tables ----------------------------------------------------------------------------

    def register(self, table: str, row: Row) -> None:
        """First pass: remember what each row defines."""
        if table in ("actors", "initiatives"):
            slug = row.get("id")
            if slug != slug.lower() or not slug.replace("-", "").isalnum() or not slug.isascii():
                raise row.error(f"id {slug!r} is not a slug (lower-case a-z, 0-9 and '-')")
            if slug in self.slugs:
                raise row.error(f"id {slug!r} is already defined at {self.slugs[slug][1].where()}")
            iri = actor_iri(slug) if table == "actors" else initiative_iri(slug)
            self.slugs[slug] = (iri, row)
        elif table == "countries":
            code = row.get("iso2")
            if len(code) != 2 or not code.isalpha() or not code.isupper():
                raise row.error(f"iso2 {code!r} is not a two-letter upper-case code")
            if code in self.countries:
                raise row.error(f"country {code!r} is listed twice")
            self.countries.add(code)

    def add_country(self, row: Row) -> None:
        node = country_iri(row.get("iso2"))
        self.g.add((node, RDF.type, STIG.Country))
        self.g.add((node, RDFS.label, Literal(row.get("name"))))
        self.g.add((node, STIG.iso2, Literal(row.get("iso2"))))
        self.g.add((node, STIG.iso3, Literal(row.get("iso3"))))
        in_m49, m49 = row.get("in_m49") or "yes", row.get("m49")
        if in_m49 not in ("yes", "no"):
            raise row.error(f"in_m49 {in_m49!r} is neither 'yes' nor 'no' (empty means yes)")
        if in_m49 == "yes" and not m49:
            raise row.error("empty m49 code; an area that is not in UN M49 has in_m49 = no")
        if in_m49 == "no" and m49:
            raise row.error(f"m49 {m49!r} given although in_m49 is 'no'")
        if m49:
            self.g.add((node, STIG.m49, Literal(m49)))
        else:
            self.g.add((node, STIG.notInM49, Literal(True)))
        for level, prop in (("region", STIG.inRegion), ("subregion", STIG.inSubregion)):
            code, name = row.get(f"{level}_m49"), row.get(level)
            if code and name:
                region = region_iri(code)
                self.g.add((node, prop, region))
                self.g.add((region, RDF.type, STIG.Region))
                self.g.add((region, RDF.type, SKOS.Concept))
                self.g.add((region, SKOS.prefLabel, Literal(name)))
                self.g.add((region, STIG.m49, Literal(code)))
        self.cite(node, row, STIG.Imported)

    def _group(self, node: URIRef, label: str, kind: str, row: Row) -> None:
        # Thousands of rows share a few groups and sources: describe each group once.
        if node not in self.groups:
            self.groups[node] = set()
            self.g.add((node, RDF.type, STIG.CountryGroup))
            self.g.add((node, RDFS.label, Literal(label)))
            self.g.add((node, STIG.groupKind, Literal(kind)))
            self.g.add((node, STIG.provenance, STIG.Imported))
        cell = row.get("source")
        if cell not in self.groups[node]:
            self.groups[node].add(cell)
            for source in parse_sources(row):
                self.g.add((node, DCTERMS.source, source))

    def add_country_group(self, row: Row) -> None:
        group = row.get("group")
        if group not in STATIC_GROUPS:
            raise row.error(f"group {group!r} unknown; use one of {', '.join(STATIC_GROUPS)}")
        node = group_iri(group)
        self._group(node, STATIC_GROUPS[group], group, row)
        self.g.add((node, SKOS.member, self.country(row, row.get("iso2"))))

    def add_income_group(self, row: Row) -> None:
        code, year = row.get("income_group"), row.get("fiscal_year")
        if code not in INCOME_GROUPS:
            raise row.error(f"income_group {code!r} unknown; use L, LM, UM or H")
        if not (year.isdigit() and len(year) == 4):
            raise row.error(f"fiscal_year {year!r} is not a four-digit year")
        node = income_group_iri(code, int(year))
        if node not in self.groups:
            self.g.add((node, STIG.incomeGroup, Literal(code)))
            self.g.add((node, STIG.fiscalYear, Literal(year, datatype=XSD.gYear)))
        self._group(node, f"World Bank {INCOME_GROUPS[code]}, FY{year}", "wb-income", row)
        self.g.add((node, SKOS.member, self.country(row, row.get("iso2"))))

    def _describe(self, node: URIRef, row: Row, kinds: frozenset[str]) -> None:
        kind = row.get("kind")
        if kind not in kinds:
            raise row.error(f"kind {kind!r} unknown; use one of {', '.join(sorted(kinds))}")
        self.g.add((node, RDF.type, STIG[kind]))
        self.g.add((node, RDFS.label, Literal(row.get("name"))))
        self.add_literal(node, STIG.acronym, row.get("acronym"))
        self.add_literal(node, DCTERMS.description, row.get("description"))
        url = row.get("url")
        if url:
            if not url.startswith(("https://", "http://")) or " " in url:
                raise row.error(f"url {url!r} is not an http(s) URL")
            self.g.add((node, SCHEMA.url, URIRef(url)))
        for slug in row.split("areas"):
            self.g.add((node, STIG.addressesArea, self.area(row, slug)))
        for number in row.split("sdgs"):
            self.g.add((node, STIG.contributesTo, self.sdg(row, number)))
        self.cite(node, row)

    def add_actor(self, row: Row) -> None:
        node = actor_iri(row.get("id"))
        self._describe(node, row, actor_kinds())
        if row.get("hq_country"):
            self.g.add((node, STIG.headquarteredIn, self.country(row, row.get("hq_country"))))
        self.add_literal(node, STIG.foundingDate, parse_date(row, "founded"))

    def add_initiative(self, row: Row) -> None:
        node = initiative_iri(row.get("id"))
        self._describe(node, row, initiative_kinds())
        for slug in row.split("run_by"):
            runner = self.ref(row, slug)
            self.g.add((runner, STIG.runs, node))
        if row.get("part_of"):
            self.g.add((node, STIG.partOfProgramme, self.ref(row, row.get("part_of"))))
        for code in row.split("countries"):
            self.g.add((node, STIG.activeIn, self.country(row, code)))
        self.add_literal(node, STIG.startDate, parse_date(row, "start"))
        self.add_literal(node, STIG.endDate, parse_date(row, "end"))

    def add_membership(self, row: Row, seen: dict[str, Row]) -> None:
        member = self.ref(row, row.get("member"))
        organisation = self.ref(row, row.get("organisation"))
        role = row.get("role")
        if role not in roles():
            raise row.error(f"role {role!r} unknown; use one of {', '.join(sorted(roles()))}")
        start, end = parse_date(row, "start"), parse_date(row, "end")
        if start and end and str(end) < str(start)[: len(str(end))]:
            raise row.error(f"end {end} is before start {start}")
        decided = parse_date(row, "decided")
        if decided and end and str(end) < str(decided)[: len(str(end))]:
            raise row.error(f"end {end} is before the decision of {decided}")
        # The source is part of the identity: one country can receive two GCF projects
        # approved on the same day, each its own fact with its own page.
        key = _key(str(member), str(organisation), role, str(start or ""), row.get("source"))
        if key in seen:
            raise row.error(f"duplicate of the membership at {seen[key].where()} (same member, "
                            "organisation, role, start and source)")
        seen[key] = row
        node = self._membership_node(row, member, organisation, role, key)
        self.add_literal(node, STIG.startDate, start)
        self.add_literal(node, STIG.endDate, end)
        self.add_literal(node, STIG.decisionDate, decided)
        self.add_literal(node, STIG.amount, parse_decimal(row, "amount"))
        currency = row.get("currency")
        if currency and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
            raise row.error(f"currency {currency!r} is not an ISO 4217 code such as USD or EUR")
        self.add_literal(node, STIG.currency, currency)

    def _membership_node(self, row: Row, member: URIRef, organisation: URIRef, role: str,
                         key: str) -> URIRef:
        """The n-ary membership node and its direct edge (memberOf or participatesIn)."""
        node = instance_iri("membership", key)
        is_initiative = str(organisation).startswith(str(initiative_iri("")))
        self.g.add((node, RDF.type, STIG.Participation if is_initiative else STIG.Membership))
        self.g.add((node, STIG.member, member))
        self.g.add((node, STIG.organisation, organisation))
        self.g.add((node, STIG.role, role_iri(role)))
        self.add_literal(node, RDFS.comment, row.get("note"))
        self.cite(node, row)
        direct = STIG.participatesIn if is_initiative else STIG.memberOf
        self.g.add((member, direct, organisation))
        return node

    def add_relation(self, row: Row) -> None:
        predicate = row.get("predicate")
        if predicate not in relation_predicates():
            raise row.error(f"predicate {predicate!r} unknown; use one of "
                            f"{', '.join(sorted(relation_predicates()))}")
        subject, obj = self.ref(row, row.get("subject")), self.ref(row, row.get("object"))
        if predicate in ("memberOf", "participatesIn"):
            # Kept n-ary like the memberships table, so every query sees one shape.
            role = "member" if predicate == "memberOf" else "participant"
            self._membership_node(row, subject, obj, role, _key(str(subject), str(obj), role, ""))
            return
        self.g.add((subject, STIG[predicate], obj))
        statement = instance_iri("statement", _key(str(subject), predicate, str(obj)))
        self.g.add((statement, RDF.type, RDF.Statement))
        self.g.add((statement, RDF.subject, subject))
        self.g.add((statement, RDF.predicate, STIG[predicate]))
        self.g.add((statement, RDF.object, obj))
        self.add_literal(statement, RDFS.comment, row.get("note"))
        self.cite(statement, row)

    def add_figure(self, row: Row) -> None:
        subject = self.ref(row, row.get("subject"))
        measure = row.get("measure")
        node = instance_iri("figure", _key(str(subject), measure, row.get("year"),
                                           row.get("value")))
        self.g.add((node, RDF.type, STIG.Figure))
        self.g.add((node, STIG.about, subject))
        self.g.add((node, STIG.measure, Literal(measure)))
        value = parse_decimal(row, "value")
        assert value is not None  # required column, checked when read
        self.g.add((node, STIG.value, value))
        self.add_literal(node, STIG.unit, row.get("unit"))
        year = row.get("year")
        if year:
            if not (year.isdigit() and len(year) == 4):
                raise row.error(f"year {year!r} is not a four-digit year")
            self.g.add((node, STIG.year, Literal(year, datatype=XSD.gYear)))
        self.add_literal(node, RDFS.comment, row.get("note"))
        self.cite(node, row)

    def add_report_paragraphs(self) -> None:
        """Give every cited report paragraph a node with its number and a readable label."""
        for source in self.report_sources:
            key = str(source).rsplit("/", 1)[-1]  # para-26, fn-1, para-32-box
            kind, _, number = key.partition("-")
            self.g.add((source, RDF.type, STIG.ReportParagraph))
            self.g.add((source, DCTERMS.isPartOf, REPORT_IRI))
            self.g.add((source, STIG.paragraph, Literal(number)))
            text = {"para": "para", "fn": "footnote"}[kind] + " " + number.replace("-", " ")
            self.g.add((source, RDFS.label, Literal(f"E/CN.16/2024/2, {text}")))


def _add_turtle_seed(graph: Graph, path: Path, origins: dict[Node, str]) -> None:
    """Add a Turtle seed, remembering which file each of its subjects came from."""
    part = Graph()
    parse_rdf_file(part, path, error=OntologyError)
    for subject in set(part.subjects()):
        origins.setdefault(subject, str(path))
    for triple in part:
        graph.add(triple)


def seed_files(seed_dirs: Iterable[Path]) -> list[Path]:
    """Seed files (CSV tables and Turtle) in the given folders, in a stable order."""
    files: list[Path] = []
    for folder in seed_dirs:
        if not folder.is_dir():
            raise SeedError(folder, None, "is not a folder of seed files")
        files += sorted(p for p in folder.iterdir()
                        if p.suffix == ".ttl" or table_of(p) is not None)
    return files


def load_ontology(graph: Graph) -> None:
    for path in resources.ontology_files():
        parse_rdf_file(graph, path, error=OntologyError)


def build_graph(
    seed_dirs: Sequence[Path] = (),
    *,
    store: str = "memory",
    include: Sequence[Path] = (),
    default_seeds: bool = True,
    membership_files: Sequence[Path] = (),
    default_data: bool = False,
    into: Store | None = None,
    twin: Store | None = None,
) -> BuildResult:
    """Build the graph from the ontology, the seed folders, the shipped data and extra RDF
    files.

    Parameters
    ----------
    seed_dirs
        Extra seed folders, read after the project's own ``seeds/``.
    store
        ``"memory"`` (rdflib) or ``"oxigraph"`` (needs the ``fast`` extra).
    include
        RDF files (Turtle, N-Triples, JSON-LD) added as they are, e.g. importer output.
    default_seeds
        Read the project's own ``seeds/`` folder first.
    membership_files
        Extra CSV files in the memberships format, whatever their names.
    default_data
        Import the shipped real data (:mod:`stigraph.build.defaultdata`) after the seeds.
    into
        An empty Oxigraph store to build into instead of a new one (a store on disk that
        the cache keeps: :func:`stigraph.build.cache.keep_built`).
    twin
        An empty Oxigraph store in memory that gets the same triples as the graph (no
        ``include`` files then): what the cache worker reads ahead from
        (:mod:`stigraph.build.read_ahead`), as reading a store in memory is several times
        faster than reading one on disk.
    """
    if twin is not None and include:
        raise ValueError("a twin store is built without include files")
    # Seeds are many small adds, which rdflib's memory store takes fastest; other stores get
    # the result in one bulk load, then the (large) include files through their own parser.
    graph = new_graph("memory")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    load_ontology(graph)
    builder = _Builder(graph)
    builder.areas = {str(a).rsplit("/", 1)[-1]
                     for a in graph.subjects(RDF.type, STIG.CooperationArea)}
    builder.sdgs = {str(s).rsplit("/", 1)[-1] for s in graph.subjects(RDF.type, STIG.SDG)}

    folders = ([resources.seeds_dir()] if default_seeds else []) + [Path(d) for d in seed_dirs]
    tables = _seed_tables(folders, membership_files)
    files = list(tables)
    rows: dict[str, list[Row]] = defaultdict(list)
    for path, table in tables.items():
        if table is None:
            _add_turtle_seed(graph, path, builder.origins)
            continue
        for row in read_table(path, table):
            builder.register(table, row)
            rows[table].append(row)

    adders = {
        "countries": builder.add_country,
        "country-groups": builder.add_country_group,
        "income-groups": builder.add_income_group,
        "actors": builder.add_actor,
        "initiatives": builder.add_initiative,
        "relations": builder.add_relation,
        "figures": builder.add_figure,
    }
    seen_memberships: dict[str, Row] = {}
    adders["memberships"] = lambda row: builder.add_membership(row, seen_memberships)
    for table in _TABLE_ORDER:
        for row in rows[table]:
            adders[table](row)
    builder.add_report_paragraphs()
    graph = _moved(graph, resolve_store(store), into, twin)
    if default_data:
        from stigraph.build.defaultdata import load_shipped_data, shipped_files

        load_shipped_data(store_of(graph), seed_dirs=seed_dirs, twin=twin)
        files += shipped_files()
    for path in include:
        parse_rdf_file(graph, Path(path), error=OntologyError)
    return BuildResult(graph=graph, origins=builder.origins, files=files + list(include),
                       lifetimes=_bounded(graph, twin))


def _bounded(graph: Graph, twin: Store | None) -> LifetimeReport:
    """The date bounds added to ``graph`` (and to ``twin``, which has the same triples)."""
    if twin is not None:
        add_validity(twin.graph)
    return add_validity(graph)


def _moved(seeds: Graph, store: str, into: Store | None, twin: Store | None) -> Graph:
    """The seeds' graph (rdflib's memory store) on the store the build ends on: ``into``, a
    new store of kind ``store``, or itself; copied into ``twin`` too."""
    if twin is not None:
        copy_store(seeds, "oxigraph", into=twin)
    if store != "memory" or into is not None:
        return copy_store(seeds, store, into=into).graph
    return seeds


def _seed_tables(folders: Sequence[Path], membership_files: Sequence[Path]
                 ) -> dict[Path, str | None]:
    """Each seed file with its table (``None``: a Turtle seed), extra membership files last."""
    tables = {path: table_of(path) for path in seed_files(folders)}
    for path in membership_files:
        if not Path(path).is_file():
            raise SeedError(path, None, "no such membership file")
        tables[Path(path)] = "memberships"
    return tables


def table_counts(files: Iterable[Path]) -> Counter[str]:
    """How many seed files of each table there are (for messages)."""
    return Counter(table_of(p) or "turtle" for p in files)


@dataclass(frozen=True)
class GraphSource:
    """Where a graph comes from: a built graph file, or a build of the ontology and seeds
    and (``default_data``) the shipped real data; either way plus extra RDF files
    (``include``), on the chosen embedded store.

    ``cache_dir``: where the built graph (without ``include``) is kept between runs, keyed by
    a hash of its inputs (:mod:`stigraph.build.cache`); ``None`` builds it every time. Only
    an Oxigraph store is kept, and a built graph file is never cached.
    """

    graph_file: Path | None = None
    seed_dirs: tuple[Path, ...] = ()
    include: tuple[Path, ...] = ()
    membership_files: tuple[Path, ...] = ()
    default_seeds: bool = True
    store: str = "auto"
    #: import the shipped data (``data/``) after the seeds; needs the project's own seeds,
    #: which its organisations and countries are matched to. The CLI turns it on by default
    #: (``--no-default-data``: off); library callers ask for it.
    default_data: bool = False
    cache_dir: Path | None = None
    #: how many kept graphs (keys) the cache holds at most, the most recently used
    cache_keep: int = DEFAULT_KEEP


def open_graph(source: GraphSource) -> BuildResult:
    """The graph that ``source`` describes."""
    if source.graph_file is None:
        return _open_build(source)
    from stigraph.build.graphfile import check_graph_file, check_triples

    graph = new_graph(source.store)
    expected = check_graph_file(Path(source.graph_file))
    parse_rdf_file(graph, Path(source.graph_file), error=OntologyError)
    check_triples(Path(source.graph_file), expected, len(store_of(graph)))
    for path in source.include:
        parse_rdf_file(graph, Path(path), error=OntologyError)
    # included files may add facts to the built graph's organisations: bound them all again
    return BuildResult(graph=graph, files=[Path(source.graph_file), *source.include],
                       lifetimes=add_validity(graph))


def _with_data(source: GraphSource) -> bool:
    return source.default_data and source.default_seeds


def _open_build(source: GraphSource) -> BuildResult:
    """A build of ``source`` (without its graph file): from the cache when kept there."""
    from stigraph.build import cache
    from stigraph.store.persistent import can_persist

    keep = (source.cache_dir is not None and resolve_store(source.store) == "oxigraph"
            and can_persist())
    key = ""
    if keep:
        assert source.cache_dir is not None
        key = cache.source_key(source)
        kept = _kept(source, key)
        if kept is not None:
            return kept
        if _with_data(source) and _kept_by_worker(source, key):
            kept = _kept(source, key)
            if kept is not None:
                return kept
    result = _fresh_build(source)
    if keep and _keep(source, key, result):
        # the rest of the run reads the kept store on disk: the memory of the build is freed
        kept = _kept(source, key)
        if kept is not None:
            return kept
    return _finish(source, result, again=False)


def _fresh_build(source: GraphSource) -> BuildResult:
    """A build of ``source``'s seeds (and shipped data), without the cache or include files."""
    return build_graph(source.seed_dirs, store=source.store, include=(),
                       default_seeds=source.default_seeds,
                       membership_files=source.membership_files,
                       default_data=_with_data(source))


def _meta(source: GraphSource, result: BuildResult) -> dict[str, Any]:
    """What the cache keeps beside a graph: what :func:`_kept` needs besides the triples."""
    return {"default_data": _with_data(source),
            "origins": {str(k): v for k, v in result.origins.items()},
            "files": [str(f) for f in result.files],
            "lifetime_facts": result.lifetimes.facts,
            "lifetime_issues": [i.as_row() for i in result.lifetimes.issues]}


def _keep(source: GraphSource, key: str, result: BuildResult) -> bool:
    from stigraph.build import cache

    assert source.cache_dir is not None
    return cache.keep_graph(source.cache_dir, key, store_of(result.graph),
                            _meta(source, result), keep=source.cache_keep)


def _build_and_keep(source: GraphSource, key: str) -> bool:
    """In the worker process: build ``source`` straight into a store on disk and keep it
    under ``key`` (no copy of 5 million triples from a store in memory to one on disk)."""
    from stigraph.build import cache

    assert source.cache_dir is not None

    # the same triples in memory too, to compute what the first report reads from them there
    # (stigraph.build.read_ahead); freed when the worker exits
    twin = open_store("oxigraph")
    origins: dict[Node, str] = {}

    def build_into(store: Store) -> dict[str, Any]:
        result = build_graph(source.seed_dirs, store=source.store, include=(),
                             default_seeds=source.default_seeds,
                             membership_files=source.membership_files,
                             default_data=_with_data(source), into=store, twin=twin)
        origins.update(result.origins)
        return _meta(source, result)

    def ahead(store: Store, reads: Path) -> None:
        from stigraph.build.read_ahead import read_ahead

        read_ahead(twin, store, reads, origins=origins)

    return cache.keep_built(source.cache_dir, key, build_into, keep=source.cache_keep,
                            read_ahead=ahead)


def _kept_by_worker(source: GraphSource, key: str) -> bool:
    """Build the graph with the shipped data in a worker process that keeps it in the cache
    and exits; ``False`` when it could not keep it (another run was writing that key, or the
    cache cannot be written), and the caller builds it itself.

    Why a process: the build holds the whole graph in Oxigraph's memory store (5 million
    triples with the shipped data) before writing it to disk, and freed, that memory stays
    with the process that allocated it — in one process the cold report ran 2.6 GB above the
    warm one to its end. A worker gives it all back when it exits, so the run that follows
    reads the kept store on disk like any later run. Errors (a bad seed row) come back as the
    same exception with the same message.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the parent may already run threads (a progress display, a server)
    with ProcessPoolExecutor(max_workers=1,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_build_and_keep, source, key).result()


def _kept(source: GraphSource, key: str) -> BuildResult | None:
    from stigraph.build import cache

    assert source.cache_dir is not None
    found = cache.kept_graph(source.cache_dir, key)
    if found is None:
        return None
    store, meta = found
    for prefix, namespace in PREFIXES.items():
        store.graph.bind(prefix, namespace, override=True)
    if not source.include:  # else its triples are no longer the key's
        remember_in(store.graph, cache.reads_folder(source.cache_dir, key))
    return _finish(source, BuildResult(
        graph=store.graph, origins={URIRef(k): v for k, v in meta["origins"].items()},
        files=[Path(f) for f in meta["files"]],
        lifetimes=LifetimeReport(facts=meta["lifetime_facts"], issues=[
            LifetimeIssue(i["fact"], i["problem"]) for i in meta["lifetime_issues"]])),
        again=False)


def _finish(source: GraphSource, result: BuildResult, *, again: bool) -> BuildResult:
    """Add ``source``'s include files; bound the dated facts again when there were any."""
    for path in source.include:
        parse_rdf_file(result.graph, Path(path), error=OntologyError)
    if source.include or again:
        result.lifetimes = add_validity(result.graph)
        result.files = [*result.files, *source.include]
    return result
