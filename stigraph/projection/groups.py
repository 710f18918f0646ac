"""Country groups as of a year: LDC, LLDC, SIDS, developed/developing, World Bank income, region.

Group membership is read from the RDF graph (``stig:CountryGroup`` with ``skos:member``). World
Bank income groups are per fiscal year; "as of a year" takes the classification of that fiscal
year, or the latest earlier one the graph holds.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix stig: <https://w3id.org/stigraph/ontology/> .
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... <https://w3id.org/stigraph/id/country/UG> a stig:Country ; stig:iso2 "UG" .
... <https://w3id.org/stigraph/id/group/ldc> stig:groupKind "ldc" ;
...     skos:member <https://w3id.org/stigraph/id/country/UG> .
... ''', format="turtle")
>>> [c.iso2 for c in members_of(g, "LDC")]
['UG']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.term import Node

from stigraph.errors import ParameterError
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import RDF, RDFS, SKOS, STIG, iri_key
from stigraph.vocab.terms import INCOME_GROUPS
from stigraph.vocab.terms import STATIC_GROUPS as STATIC_GROUP_LABELS

__all__ = ["STATIC_GROUPS", "CountryInfo", "countries", "group_names", "is_developing",
           "members_of", "peers"]

#: Group codes a user may name (case-insensitive), besides income codes and region names.
STATIC_GROUPS = tuple(STATIC_GROUP_LABELS)
INCOME_CODES = tuple(INCOME_GROUPS)


@dataclass(frozen=True)
class CountryInfo:
    """A country and the groups it belongs to in one year."""

    iri: str
    iso2: str
    label: str
    groups: frozenset[str] = field(default_factory=frozenset)
    income: str | None = None
    region: str | None = None
    subregion: str | None = None

    def group_labels(self) -> list[str]:
        """Every group name this country answers to, in a stable order."""
        names = sorted(self.groups)
        if self.income:
            names.append(f"income:{self.income}")
        if self.region:
            names.append(f"region:{self.region}")
        if self.subregion:
            names.append(f"subregion:{self.subregion}")
        return names


def _label(graph: Graph, node: URIRef) -> str:
    return label_of(graph, node, (SKOS.prefLabel, RDFS.label))


def countries(graph: Graph, *, year: int | None = None) -> dict[str, CountryInfo]:
    """Every country in the graph with its groups, keyed by IRI (as text).

    Parameters
    ----------
    graph
        The stigraph RDF graph.
    year
        The year for the World Bank income group (its fiscal year; the latest earlier one if
        that year is missing). ``None`` takes the latest fiscal year in the graph.
    """
    static, income = _group_memberships(graph, year)
    result: dict[str, CountryInfo] = {}
    for node in graph.subjects(RDF.type, STIG.Country):
        if not isinstance(node, URIRef):
            continue
        key = str(node)
        iso2 = graph.value(node, STIG.iso2)
        region = graph.value(node, STIG.inRegion)
        subregion = graph.value(node, STIG.inSubregion)
        result[key] = CountryInfo(
            iri=key,
            iso2=str(iso2) if iso2 is not None else iri_key(key),
            label=_label(graph, node),
            groups=frozenset(static.get(key, ())),
            income=income[key][1] if key in income else None,
            region=_label(graph, region) if isinstance(region, URIRef) else None,
            subregion=_label(graph, subregion) if isinstance(subregion, URIRef) else None,
        )
    return dict(sorted(result.items()))


def _group_memberships(graph: Graph, year: int | None
                       ) -> tuple[dict[str, set[str]], dict[str, tuple[int, str]]]:
    """Country IRI -> its static groups, and -> (fiscal year, income code) as of ``year``."""
    static: dict[str, set[str]] = {}
    income: dict[str, tuple[int, str]] = {}
    for group in graph.subjects(STIG.groupKind, None):
        kind = str(graph.value(group, STIG.groupKind))
        if kind in STATIC_GROUPS:
            for member in graph.objects(group, SKOS.member):
                static.setdefault(str(member), set()).add(kind)
        elif kind == "wb-income":
            _income_group(graph, group, year, income)
    return static, income


def _income_group(graph: Graph, group: Node, year: int | None,
                  income: dict[str, tuple[int, str]]) -> None:
    """Record the members of one World Bank income group (one fiscal year) in ``income`` when
    it is the latest fiscal year up to ``year`` seen for them."""
    fy_node, code_node = graph.value(group, STIG.fiscalYear), graph.value(group, STIG.incomeGroup)
    if fy_node is None or code_node is None:
        return
    fy = int(str(fy_node)[:4])
    if year is not None and fy > year:
        return
    for member in graph.objects(group, SKOS.member):
        best = income.get(str(member))
        if best is None or fy > best[0]:
            income[str(member)] = (fy, str(code_node))


def group_names(infos: dict[str, CountryInfo]) -> list[str]:
    """All group names that :func:`members_of` accepts for these countries."""
    names: set[str] = set(STATIC_GROUPS) | set(INCOME_CODES)
    for info in infos.values():
        names.update(n.split(":", 1)[-1] for n in info.group_labels())
    return sorted(names)


def _matches(info: CountryInfo, group: str) -> bool:
    text = group.strip()
    low = text.lower()
    kind, _, value = low.partition(":")
    if not value:
        kind, value = "", low
    if kind in ("", "group") and value in STATIC_GROUPS:
        return value in info.groups
    if kind in ("", "income") and value.upper() in INCOME_CODES:
        return info.income == value.upper()
    if kind in ("", "region") and info.region and info.region.lower() == value:
        return True
    return kind in ("", "subregion") and bool(info.subregion) and \
        (info.subregion or "").lower() == value


def members_of(graph: Graph, group: str, *, year: int | None = None,
               infos: dict[str, CountryInfo] | None = None) -> list[CountryInfo]:
    """Countries in ``group`` as of ``year``, sorted by ISO code.

    ``group`` is ``LDC``, ``LLDC``, ``SIDS``, ``developing``, ``developed``, a World Bank income
    code (``L``, ``LM``, ``UM``, ``H``, or ``income:LM``) or an M49 region or sub-region name
    (``Africa``, ``region:Africa``, ``subregion:Eastern Africa``). Case does not matter.

    Raises
    ------
    ParameterError
        If no country in the graph answers to that group name.
    """
    infos = infos if infos is not None else countries(graph, year=year)
    found = [info for info in infos.values() if _matches(info, group)]
    if not found:
        raise ParameterError(
            f"unknown or empty country group {group!r}; use LDC, LLDC, SIDS, developing, "
            "developed, an income code (L, LM, UM, H) or a region name such as Africa")
    return sorted(found, key=lambda c: c.iso2)


def is_developing(info: CountryInfo) -> bool:
    """Developing (UN M49 2020), or an LDC/LLDC/SIDS, or not high income when ungrouped."""
    if info.groups & {"developing", "ldc", "lldc", "sids"}:
        return True
    if "developed" in info.groups:
        return False
    return info.income in ("L", "LM", "UM")


def peers(info: CountryInfo, infos: dict[str, CountryInfo], *, by: str = "income") -> list[str]:
    """IRIs of the other countries in the same income group (``by="income"``) or region.

    Falls back to the region when the country has no income group.
    """
    if by == "income" and info.income:
        return sorted(k for k, o in infos.items() if o.income == info.income and k != info.iri)
    if by in ("income", "region") and info.region:
        return sorted(k for k, o in infos.items() if o.region == info.region and k != info.iri)
    if by not in ("income", "region"):
        raise ParameterError(f"peers by {by!r}: use income or region")
    return []
