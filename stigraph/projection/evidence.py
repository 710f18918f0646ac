"""Evidence layers: who cooperates with whom, read from each source separately, per year.

Each layer holds, for pairs of countries or pairs of organisations, what one source says
about their cooperation, year by year:

=============  ======================================================================  ========
layer          one unit of cooperation                                                 year
=============  ======================================================================  ========
cordis         a CORDIS project in which organisations of both take part (all roles)  start
openalex       a work co-authored by authors of both countries (OpenAlex)              publ.
gcf            a Green Climate Fund project of which both countries are beneficiaries  approval
memberships    an organisation or programme both are members of on the date            —
=============  ======================================================================  ========

Counting (CORDIS and GCF):

- **full**: a project counts once per pair, however many organisations each side has in it
  (``projects``);
- **fractional** (Perianes-Rodriguez, Waltman & van Eck 2016, *J. Informetrics* 10(4),
  1178–1195): each project spreads one unit over its participants: every pair of
  participating organisations gets ``1 / (n - 1)`` (``n`` distinct organisations), so each
  organisation's links in one project sum to 1. Two countries with ``n_a`` and ``n_b``
  organisations in the project get ``n_a · n_b / (n - 1)`` (``projects_fractional``).

OpenAlex gives country-pair counts of works only (no authors per work), so it has full
counting only; memberships are counted in full.

Special cases, handled here and documented in the README:

- **self-links**: two organisations of the same country in one project link the two
  organisations, never the country to itself; at country level such pairs are left out (their
  fractional share is not redistributed, so a country's fractional links sum to its
  organisations' share of links to other countries);
- **one organisation under several identifiers**: the CORDIS importer gives an organisation
  that is a seed actor the seed's IRI (several PICs can match one seed actor) and keeps each
  PIC as its ``dct:identifier``; an imported ``id/actor/pic-N`` whose PIC ``N`` is also an
  identifier of another actor (an import made without the seed matching, beside one made
  with it) is read as that actor (:func:`identifier_aliases`). Participations are keyed by
  the resulting IRI, so such an organisation is one participant of a project, once, whatever
  its PICs and roles (coordinator if any of them coordinates, contributions summed);
- **huge consortia** (Horizon Europe has projects with up to ~200 participants): in full
  counting a 200-participant project makes 19,900 organisation pairs of weight 1, as many as
  19,900 two-partner projects; fractional counting gives each of its pairs 1/199. Nothing is
  cut off: :attr:`Layer.largest` reports the largest consortium so an analyst sees it, and
  the association strength (below) or fractional counting are the remedies.

Association strength (van Eck & Waltman 2009, *JASIST* 60(8), 1635–1651):
``AS(a, b) = 2m · c_ab / (s_a · s_b)``, ``c_ab`` the pair's count, ``s_a`` the sum of a's
counts, ``m`` the sum over all pairs: observed over expected co-occurrences, for comparing
pairs of very different sizes (:func:`association_strength`; counting ``association``: the
association strength of the full counts).

Everything is read with a few named SPARQL queries (``queries/sparql/evidence-*.rq``) and
aggregated in Python: on the full Horizon Europe import (~119k participations, ~1.07M
organisation pair incidences) one pass over the rows sorted by project.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rdflib import Graph

from stigraph.errors import ParameterError
from stigraph.projection.facts import Facts
from stigraph.projection.reads import reads_of
from stigraph.queries.sparql import run_sparql
from stigraph.vocab.namespaces import ID_BASE

__all__ = [
    "CONSORTIA_QUERIES",
    "COUNTINGS",
    "KINDS",
    "LAYERS",
    "NETWORK_COUNTINGS",
    "NO_FILTERS",
    "Consortium",
    "EvidenceOptions",
    "Layer",
    "PairCount",
    "add_participation",
    "association_strength",
    "available_layers",
    "coauthorship_layer",
    "combined_weights",
    "consortia",
    "cordis_layer",
    "evidence_layers",
    "evidence_network",
    "gcf_layer",
    "identifier_aliases",
    "layer_weights",
    "membership_layer",
    "parse_layers",
    "resolve_evidence",
]

Kind = Literal["countries", "organisations"]
KINDS: tuple[str, ...] = ("countries", "organisations")
COUNTINGS: tuple[str, ...] = ("full", "fractional")
#: What the networks of the analyses take: full, fractional, or the association strength of
#: the full counts.
NETWORK_COUNTINGS: tuple[str, ...] = ("full", "fractional", "association")
#: The evidence layers, in the order they are reported.
LAYERS: tuple[str, ...] = ("cordis", "openalex", "gcf", "memberships")
#: Layers that have organisation pairs (OpenAlex and GCF are country-level sources).
ORGANISATION_LAYERS: tuple[str, ...] = ("cordis", "memberships")

COUNTRY_BASE = ID_BASE + "country/"
COORDINATOR = ID_BASE + "role/coordinator"

Pair = tuple[str, str]


@dataclass(slots=True)
class PairCount:
    """What one layer says about a pair in one year (``year`` None: undated, memberships)."""

    full: float = 0.0
    fractional: float = 0.0
    #: EU contribution (EUR) the two sides received in their shared projects (CORDIS).
    amount: float = 0.0
    #: Shared projects that one of the two coordinates (CORDIS).
    coordinated: int = 0

    def add(self, other: PairCount) -> None:
        self.full += other.full
        self.fractional += other.fractional
        self.amount += other.amount
        self.coordinated += other.coordinated

    def value(self, counting: str) -> float:
        return self.fractional if counting == "fractional" else self.full


@dataclass
class Layer:
    """One source's cooperation counts: ``pairs[(a, b)][year]`` with ``a < b`` (IRI texts)."""

    name: str
    kind: str
    unit: str
    pairs: dict[Pair, dict[int | None, PairCount]] = field(default_factory=dict)
    #: Consortia read (projects) and the largest one, for the report of huge consortia.
    projects: int = 0
    largest: int = 0
    #: Each consortium's size (distinct participants), in the order read (CORDIS).
    sizes: list[int] = field(default_factory=list)
    #: Every participant seen, paired or not (CORDIS, organisation level).
    members: set[str] = field(default_factory=set)

    def count(self, a: str, b: str, year: int | None, delta: PairCount) -> None:
        key = (a, b) if a < b else (b, a)
        years = self.pairs.get(key)
        if years is None:
            years = self.pairs[key] = {}
        slot = years.get(year)
        if slot is None:
            years[year] = PairCount(delta.full, delta.fractional, delta.amount,
                                    delta.coordinated)
        else:
            slot.add(delta)

    def totals(self, *, since: int | None = None) -> dict[Pair, PairCount]:
        """Each pair's counts summed over the years (from ``since`` on; undated always)."""
        out: dict[Pair, PairCount] = {}
        for pair, years in self.pairs.items():
            total = PairCount()
            for year, value in years.items():
                if since is None or year is None or year >= since:
                    total.add(value)
            if total.full or total.fractional:
                out[pair] = total
        return out

    def weights(self, counting: str = "full", *, since: int | None = None) -> dict[Pair, float]:
        """Pair -> full or fractional count summed over the years (``association``: the
        association strength of the full counts, :func:`association_strength`)."""
        if counting == "association":
            return association_strength(self.weights("full", since=since))
        return {pair: value.value(counting)
                for pair, value in self.totals(since=since).items()}


# ---- CORDIS ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Participant:
    """One organisation in one project (several PICs of one seed actor merged)."""

    actor: str
    country: str | None
    coordinator: bool
    amount: float


@dataclass(slots=True)
class Consortium:
    """One project's participants, merged per organisation."""

    project: str
    year: int | None
    participants: list[Participant]


@dataclass(frozen=True)
class EvidenceOptions:
    """Which evidence to read: the date (nothing after it), and CORDIS filters."""

    as_of: str | None = None
    #: A CORDIS programme part (legal basis) or its prefix, e.g. ``HORIZON.2.5`` or ``HORIZON.1``.
    programme: str | None = None
    #: A EuroSciVoc field label (any level, e.g. ``climatology``), case-insensitive.
    field: str | None = None


#: No filters: everything up to today.
NO_FILTERS = EvidenceOptions()


def _year(value: object) -> int | None:
    text = str(value) if value is not None else ""
    return int(text[:4]) if text[:4].isdigit() else None


def _params(options: EvidenceOptions) -> dict[str, str]:
    return {"as_of": options.as_of} if options.as_of else {}


def _facet_filter(graph: Graph, options: EvidenceOptions) -> set[str] | None:
    """The CORDIS projects that pass the programme/field filters; None without filters."""
    if not options.programme and not options.field:
        return None
    programme = (options.programme or "").strip().upper()
    field_label = (options.field or "").strip().casefold()
    by_project: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in run_sparql(graph, "evidence-project-facets", {}):
        by_project[str(row["project"])].add((str(row["facet"]), str(row["value"])))
    return {project for project, facets in by_project.items()
            if _passes(facets, programme, field_label)}


def _passes(facets: set[tuple[str, str]], programme: str, field_label: str) -> bool:
    """Whether a project's facets match the programme part (or a part of it) and field."""
    if programme and not any(f == "programme" and (v.upper() == programme
                                                   or v.upper().startswith(programme + "."))
                             for f, v in facets):
        return False
    return not field_label or any(f == "field" and v.casefold() == field_label
                                  for f, v in facets)


PIC_BASE = ID_BASE + "actor/pic-"


def identifier_aliases(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``id/actor/pic-N`` -> the other actor that carries PIC ``N`` as its identifier.

    ``rows`` are ``(actor, identifier)`` rows (query ``evidence-identifiers``). A PIC carried
    by several other actors is ambiguous and left alone.

    >>> a = "https://w3id.org/stigraph/id/actor/"
    >>> identifier_aliases([{"actor": a + "pic-9", "identifier": "9"},
    ...                     {"actor": a + "unep", "identifier": "9"},
    ...                     {"actor": a + "pic-7", "identifier": "7"}])
    {'https://w3id.org/stigraph/id/actor/pic-9': 'https://w3id.org/stigraph/id/actor/unep'}
    """
    holders: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        holders[str(row["identifier"])].add(str(row["actor"]))
    aliases: dict[str, str] = {}
    for identifier, actors in holders.items():
        own = PIC_BASE + identifier
        others = sorted(actors - {own})
        if own in actors and len(others) == 1:
            aliases[own] = others[0]
    return aliases


def add_participation(members: dict[str, Participant], actor: str, role: Any, amount: Any,
                      countries: dict[str, str]) -> None:
    """One participation row of a project into its participants (``members``): the same
    organisation again is the same participant, coordinator if any of its rows is, with the
    contributions summed."""
    value = float(amount) if amount else 0.0
    coordinator = role == COORDINATOR
    seen = members.get(actor)
    if seen is None:
        members[actor] = Participant(actor, countries.get(actor), coordinator, value)
    else:
        seen.coordinator = seen.coordinator or coordinator
        seen.amount += value


#: The queries :func:`consortia` runs.
CONSORTIA_QUERIES = ("evidence-identifiers", "evidence-headquarters", "evidence-participations")


def consortia(graph: Graph, options: EvidenceOptions = EvidenceOptions()
              ) -> Iterator[Consortium]:
    """The CORDIS projects of ``graph`` with their participants, project by project.

    The same organisation in one project several times (several roles, several PICs of one
    seed actor, or an ``id/actor/pic-N`` read as the seed actor carrying PIC ``N``:
    :func:`identifier_aliases`) is one participant: coordinator if any of its rows is,
    contributions summed.
    """
    keep = _facet_filter(graph, options)
    aliases = identifier_aliases(run_sparql(graph, "evidence-identifiers", {}))
    countries: dict[str, str] = {}
    for row in run_sparql(graph, "evidence-headquarters", {}):
        countries.setdefault(str(row["actor"]), str(row["country"]))
    by_project: dict[str, tuple[int | None, dict[str, Participant]]] = {}
    for row in run_sparql(graph, "evidence-participations", _params(options)):
        project = row["project"]
        entry = by_project.get(project)
        if entry is None:
            entry = by_project[project] = (_year(row["year"]), {})
        add_participation(entry[1], aliases.get(row["actor"], row["actor"]), row["role"],
                          row["amount"], countries)
    for project in sorted(by_project):
        if keep is None or project in keep:
            year, members = by_project[project]
            yield Consortium(project, year, list(members.values()))


def _country_pairs(layer: Layer, c: Consortium, involving: frozenset[str] | None) -> None:
    """One project's country pairs: a project once per pair; fractional n_a·n_b/(n-1)."""
    n = len(c.participants)
    by_country: dict[str, list[Participant]] = defaultdict(list)
    for p in c.participants:
        if p.country is not None:
            by_country[p.country].append(p)
    countries = sorted(by_country)
    for i, a in enumerate(countries):
        for b in countries[i + 1:]:
            if involving is not None and a not in involving and b not in involving:
                continue
            pa, pb = by_country[a], by_country[b]
            layer.count(a, b, c.year, PairCount(
                full=1.0, fractional=len(pa) * len(pb) / (n - 1),
                amount=sum(p.amount for p in pa) + sum(p.amount for p in pb),
                coordinated=int(any(p.coordinator for p in pa + pb))))


def _organisation_pairs(layer: Layer, c: Consortium, involving: frozenset[str] | None) -> None:
    """One project's organisation pairs: 1 each (full), 1/(n-1) each (fractional)."""
    members = sorted(c.participants, key=lambda p: p.actor)
    n = len(members)
    share = 1.0 / (n - 1)
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            if involving is not None and a.actor not in involving and b.actor not in involving:
                continue
            layer.count(a.actor, b.actor, c.year, PairCount(
                full=1.0, fractional=share, amount=a.amount + b.amount,
                coordinated=int(a.coordinator or b.coordinator)))


def cordis_layer(graph: Graph, kind: str = "countries",
                 options: EvidenceOptions = EvidenceOptions(), *,
                 involving: Iterable[str] | None = None,
                 projects: Iterable[Consortium] | None = None) -> Layer:
    """Shared CORDIS projects per pair of countries or organisations and start year.

    ``involving``: only pairs with one of these IRIs (the partners of an entity), much faster
    on the organisation level than every pair. ``projects``: the consortia already read with
    :func:`consortia` for ``options`` (both levels of one date read them once).
    """
    _check_kind(kind)
    layer = Layer("cordis", kind, "projects")
    wanted = frozenset(involving) if involving is not None else None
    for c in consortia(graph, options) if projects is None else projects:
        layer.projects += 1
        layer.largest = max(layer.largest, len(c.participants))
        layer.sizes.append(len(c.participants))
        if kind == "organisations" and wanted is None:
            layer.members.update(p.actor for p in c.participants)
        if len(c.participants) < 2:
            continue
        if wanted is not None and not any(
                (p.actor if kind == "organisations" else p.country) in wanted
                for p in c.participants):
            continue
        if kind == "countries":
            _country_pairs(layer, c, wanted)
        else:
            _organisation_pairs(layer, c, wanted)
    return layer


# ---- GCF, OpenAlex, memberships ---------------------------------------------------------------


def gcf_layer(graph: Graph, options: EvidenceOptions = EvidenceOptions()) -> Layer:
    """Multi-country GCF projects per pair of beneficiary countries and approval year."""
    layer = Layer("gcf", "countries", "projects")
    projects: dict[str, tuple[int | None, set[str]]] = {}
    for row in run_sparql(graph, "evidence-gcf-beneficiaries", _params(options)):
        year, countries = projects.setdefault(str(row["project"]), (_year(row["start"]), set()))
        countries.add(str(row["country"]))
    for year, countries in projects.values():
        layer.projects += 1
        layer.largest = max(layer.largest, len(countries))
        ordered = sorted(countries)
        n = len(ordered)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                layer.count(a, b, year, PairCount(full=1.0, fractional=1.0 / (n - 1)))
    return layer


def coauthorship_layer(graph: Graph, options: EvidenceOptions = EvidenceOptions()) -> Layer:
    """OpenAlex co-authored works per country pair and year (full counting only)."""
    layer = Layer("openalex", "countries", "works")
    # the rows of query evidence-coauthorship, from the statements read once per graph
    for a, b, year, works in reads_of(graph).coauthorship_rows(options.as_of):
        if a != b:
            layer.count(a, b, _year(year), PairCount(full=works, fractional=works))
    return layer


def membership_layer(graph: Graph, kind: str = "countries",
                     options: EvidenceOptions = EvidenceOptions(), *,
                     facts: Facts | None = None) -> Layer:
    """Organisations and programmes both members belong to on the date (undated counts).

    ``facts``: the graph's memberships read once (:mod:`stigraph.projection.facts`), which
    give the rows of query ``evidence-memberships`` without running it."""
    _check_kind(kind)
    layer = Layer("memberships", kind, "organisations")
    members: dict[str, set[str]] = defaultdict(set)
    pairs = (facts.valid_memberships(options.as_of) if facts is not None else
             ((str(row["member"]), str(row["organisation"]))
              for row in run_sparql(graph, "evidence-memberships", _params(options))))
    for member, organisation in pairs:
        if member.startswith(COUNTRY_BASE) == (kind == "countries"):
            members[organisation].add(member)
    for group in members.values():
        ordered = sorted(group)
        n = len(ordered)
        layer.projects += 1
        layer.largest = max(layer.largest, n)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                layer.count(a, b, None, PairCount(full=1.0, fractional=1.0 / (n - 1)))
    return layer


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ParameterError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")


def parse_layers(text: str | Iterable[str], kind: str = "countries") -> tuple[str, ...]:
    """``cordis,openalex`` or ``all`` as layer names, checked (for ``--source``/``--evidence``).

    >>> parse_layers("all", "organisations")
    ('cordis', 'memberships')
    >>> parse_layers("gcf, cordis")
    ('cordis', 'gcf')
    """
    names = [t.strip() for t in (text.split(",") if isinstance(text, str) else text)
             if t.strip()]
    available = LAYERS if kind == "countries" else ORGANISATION_LAYERS
    if not names or "all" in names:
        return available
    unknown = [n for n in names if n not in LAYERS]
    if unknown:
        raise ParameterError(f"unknown evidence layer {', '.join(unknown)}; use "
                             f"{', '.join(LAYERS)} or all")
    country_only = [n for n in names if n not in available]
    if country_only:
        raise ParameterError(f"{', '.join(country_only)}: country-level evidence only; use "
                             f"--kind countries or one of {', '.join(available)}")
    return tuple(n for n in LAYERS if n in names)


def evidence_layers(graph: Graph, layers: Iterable[str] = LAYERS, kind: str = "countries",
                    options: EvidenceOptions = EvidenceOptions(), *,
                    involving: Iterable[str] | None = None,
                    projects: Iterable[Consortium] | None = None,
                    facts: Facts | None = None) -> dict[str, Layer]:
    """The requested layers of ``graph``, by name (a source not imported gives an empty
    layer); ``projects`` as :func:`cordis_layer` takes them; ``facts``: the graph's
    memberships already read (for the memberships layer)."""
    wanted = set(involving) if involving is not None else None
    out: dict[str, Layer] = {}
    for name in parse_layers(list(layers), kind):
        if name == "cordis":
            out[name] = cordis_layer(graph, kind, options, involving=wanted, projects=projects)
        elif name == "gcf":
            out[name] = gcf_layer(graph, options)
        elif name == "openalex":
            out[name] = coauthorship_layer(graph, options)
        else:
            out[name] = membership_layer(graph, kind, options, facts=facts)
    return out


def association_strength(weights: Mapping[Pair, float]) -> dict[Pair, float]:
    """van Eck & Waltman's association strength of every pair: ``2m·c_ab / (s_a·s_b)``.

    Here m = 4, s_a = s_b = 3, s_c = 2: AS(a, b) = 2·4·2 / (3·3) = 16/9.

    >>> s = association_strength({("a", "b"): 2.0, ("a", "c"): 1.0, ("b", "c"): 1.0})
    >>> {pair: round(v, 3) for pair, v in sorted(s.items())}
    {('a', 'b'): 1.778, ('a', 'c'): 1.333, ('b', 'c'): 1.333}
    """
    strength: dict[str, float] = defaultdict(float)
    total = 0.0
    for (a, b), w in weights.items():
        strength[a] += w
        strength[b] += w
        total += w
    return {(a, b): 2 * total * w / (strength[a] * strength[b])
            for (a, b), w in weights.items() if w > 0}


def layer_weights(layer: Layer, counting: str = "full", *, since: int | None = None
                  ) -> dict[Pair, float]:
    """``layer``'s pair values in ``counting`` (one of :data:`NETWORK_COUNTINGS`)."""
    if counting not in NETWORK_COUNTINGS:
        raise ParameterError(f"unknown counting {counting!r}; use one of "
                             f"{', '.join(NETWORK_COUNTINGS)}")
    return layer.weights(counting, since=since)


def combined_weights(layers: Mapping[str, Layer], counting: str = "full", *,
                     since: int | None = None) -> dict[Pair, dict[str, float]]:
    """Each pair's value per layer and the combined ``weight``.

    Layers count different things (projects, works, organisations), so each is divided by its
    largest pair value (its strongest pair gets 1) and the quotients are summed: every layer
    weighs the same however big its numbers, and a pair strong in several layers is strong.
    CORDIS and GCF use ``counting`` (``association``: every layer's association strength).
    """
    out: dict[Pair, dict[str, float]] = defaultdict(dict)
    for name, layer in layers.items():
        weights = layer_weights(layer, counting, since=since)
        largest = max(weights.values(), default=0.0)
        if largest <= 0:
            continue
        for pair, w in weights.items():
            slot = out[pair]
            slot[name] = w
            slot["weight"] = slot.get("weight", 0.0) + w / largest
    return dict(out)


def evidence_network(layers: Mapping[str, Layer], counting: str = "full", *,
                     nodes: Iterable[str] = (), since: int | None = None) -> Any:
    """The layers as one weighted undirected NetworkX graph (:func:`combined_weights`):
    edge ``weight`` (combined), one attribute per layer, ``distance`` = 1 / weight."""
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(sorted(nodes))
    for (a, b), values in sorted(combined_weights(layers, counting, since=since).items()):
        if values.get("weight", 0.0) > 0:
            G.add_edge(a, b, **values, distance=1.0 / values["weight"])
    G.graph.update(evidence=",".join(layers), counting=counting)
    return G


def available_layers(graph: Graph) -> tuple[str, ...]:
    """The layers ``graph`` has data for, in :data:`LAYERS` order (memberships always)."""
    found = {str(row["layer"]) for row in run_sparql(graph, "evidence-sources", {})}
    return tuple(name for name in LAYERS if name in found or name == "memberships")


def resolve_evidence(graph: Graph, text: str | Iterable[str] | None) -> tuple[str, ...]:
    """``--evidence``: ``None``/``all`` = every layer the graph has data for; else the
    named layers (checked)."""
    if text is None or text == "all" or (not isinstance(text, str) and list(text) == ["all"]):
        return available_layers(graph)
    return parse_layers(text, "countries")
