"""Countries side by side: one row per indicator, one column per country, each row with its
source and date (the library behind ``stigraph compare``).

Indicators, all on the date ``as_of`` (memberships and participations valid then; undated
ones count as always valid):

- region and subregion (UN M49), World Bank income group (its fiscal year), membership of
  the LDC, LLDC, SIDS groups, and developing by the OECD DAC List's rule
  (:mod:`stigraph.analytics.developing`) and by the M49 2020 flag;
- **memberships**: actors (organisations, funds, networks…) the country is a member of, from
  the country–organisation projection;
- **participations**: initiatives (programmes, projects, platforms, agreements, events) it
  takes part in;
- **partner countries**: countries linked to it in the country–country projection (shared
  organisations or initiatives, or direct links), and the three strongest;
- **co-authorship**: works co-authored with other countries (OpenAlex) up to the year, and with
  how many countries;
- **area gaps**: cooperation areas where it has no link (or a weak one) while its income-group
  peers have some (:func:`stigraph.analytics.gaps.area_gaps`).

Rows look like ``{"indicator": "memberships", "KE": 4, "NG": 2, "source": "…", "date":
"2024-06-30", "meaning": "actors it is a member of"}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Graph

from stigraph.analytics import gaps as gaps_mod
from stigraph.analytics.developing import developing_countries
from stigraph.errors import ParameterError
from stigraph.projection import groups as groups_mod
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.networks import node_kind, organisation_areas, project
from stigraph.projection.reads import reads_of
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import RDF, SKOS, STIG

__all__ = ["INDICATORS", "compare"]

#: Indicator -> (source, what it counts).
INDICATORS: dict[str, tuple[str, str]] = {
    "name": ("UN M49 (countries seed)", "the country's name"),
    "region": ("UN M49", "M49 region"),
    "subregion": ("UN M49", "M49 subregion"),
    "income group": ("World Bank country classification", "income group of the fiscal year"),
    "LDC": ("UN-OHRLLS country groups (seed)", "least developed country"),
    "LLDC": ("UN-OHRLLS country groups (seed)", "land-locked developing country"),
    "SIDS": ("UN-OHRLLS country groups (seed)", "small island developing State"),
    "developing (OECD DAC rule)": ("OECD DAC List of ODA Recipients, its rule (World Bank "
                                   "income, LDC, EU and G8 membership)",
                                   "developing by the DAC List's rule (the default)"),
    "developing (M49 2020)": ("UN M49 (2020 flag)", "developing region in the M49 flag"),
    "memberships": ("memberships (dct:source of each; projection-country-organisation)",
                    "actors it is a member of"),
    "participations": ("participations (dct:source of each; projection-country-organisation)",
                       "initiatives and projects it takes part in"),
    "partner countries": ("projection-country-country", "countries it shares an organisation, "
                          "initiative or direct link with"),
    "strongest partners": ("projection-country-country", "the three with the heaviest links"),
    "co-authored works": ("OpenAlex country co-authorship (query country-coauthorship)",
                          "works co-authored with other countries, summed up to the year"),
    "co-authorship partners": ("OpenAlex country co-authorship", "countries co-authored with"),
    "areas without a link": ("gaps vs income-group peers (stigraph gaps)",
                             "areas with no link where the peers' median is above 0"),
    "areas with a weak link": ("gaps vs income-group peers (stigraph gaps)",
                               "areas with fewer than half the peers' median"),
}

_ACTOR_KINDS = frozenset({"actor"})
_INITIATIVE_KINDS = frozenset({"initiative", "project"})


def _resolve(graph: Graph, code: str, infos: dict[str, groups_mod.CountryInfo]) -> str:
    wanted = code.strip().upper()
    for iri, info in infos.items():
        if info.iso2.upper() == wanted:
            return iri
    raise ParameterError(f"no country with ISO code {code!r} in this graph (use ISO 3166 "
                         "alpha-2 codes such as KE, NG, GH)")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


@dataclass(frozen=True)
class _Data:
    """What the indicators are read from, computed once for all the countries."""

    infos: dict[str, groups_mod.CountryInfo]
    fiscal: dict[str, int]
    dac: frozenset[str]
    bipartite: Any
    country_graph: Any
    coauthorship: dict[str, dict[str, Any]]
    gaps: list[Any]


def _groups(data: _Data, iri: str) -> dict[str, Any]:
    info = data.infos[iri]
    fy = data.fiscal.get(iri)
    income = f"{info.income} (FY{fy})" if info.income and fy else (info.income or "")
    return {"name": info.label, "region": info.region or "", "subregion": info.subregion or "",
            "income group": income, "LDC": _yes("ldc" in info.groups),
            "LLDC": _yes("lldc" in info.groups), "SIDS": _yes("sids" in info.groups),
            "developing (OECD DAC rule)": _yes(iri in data.dac),
            "developing (M49 2020)": _yes("developing" in info.groups)}


def _links(data: _Data, iri: str) -> dict[str, Any]:
    linked = list(data.bipartite[iri]) if iri in data.bipartite else []
    graph = data.country_graph
    partners = (sorted(graph[iri].items(),
                       key=lambda kv: (-float(kv[1].get("weight", 1.0)), str(kv[0])))
                if iri in graph else [])
    strongest = "; ".join(
        f"{data.infos[p].iso2 if p in data.infos else p} ({float(d.get('weight', 1.0)):g})"
        for p, d in partners[:3])
    co = data.coauthorship.get(iri)
    return {"memberships": sum(1 for n in linked if node_kind(n) in _ACTOR_KINDS),
            "participations": sum(1 for n in linked if node_kind(n) in _INITIATIVE_KINDS),
            "partner countries": len(partners), "strongest partners": strongest,
            "co-authored works": int(float(co["works"])) if co else 0,
            "co-authorship partners": int(co["partners"]) if co else 0}


def _gaps(data: _Data, iri: str) -> dict[str, Any]:
    mine = [r for r in data.gaps if r.country == data.infos[iri].iso2]
    return {"areas without a link": "; ".join(r.area_label for r in mine if r.status == "none"),
            "areas with a weak link": "; ".join(r.area_label for r in mine
                                                if r.status == "weak")}


def _dates(data: _Data, as_of: str) -> dict[str, str]:
    dates: dict[str, str] = dict.fromkeys(INDICATORS, as_of)
    years = [str(r["lastYear"]) for r in data.coauthorship.values() if r.get("lastYear")]
    if years:
        span = (f"{min(years)}–{max(years)} (up to {as_of[:4]})" if min(years) != max(years)
                else max(years))
        dates["co-authored works"] = dates["co-authorship partners"] = span
    fy = sorted({str(v) for v in data.fiscal.values() if v})
    if fy:
        dates["income group"] = "FY" + "/".join(fy)
    return dates


def _read(graph: Graph, iris: Sequence[str], infos: dict[str, groups_mod.CountryInfo],
          as_of: str, inputs: AnalysisInputs | None = None) -> _Data:
    def projected(name: str) -> Any:
        return inputs.projection(name) if inputs is not None else project(graph, name,
                                                                           as_of=as_of)

    bipartite = projected("country-organisation")
    areas = inputs.organisation_areas if inputs is not None else organisation_areas(graph)
    return _Data(
        infos=infos, fiscal=_fiscal_years(graph, iris, int(as_of[:4])),
        dac=developing_countries(graph, "dac", as_of=as_of).members, bipartite=bipartite,
        country_graph=projected("country-country"),
        coauthorship={str(r["country"]): r  # query country-coauthorship's rows
                      for r in reads_of(graph).country_coauthorship(as_of)},
        gaps=gaps_mod.area_gaps(bipartite, areas, infos,
                                _area_labels(graph), list(iris)))


def compare(graph: Graph, codes: Sequence[str], *, as_of: str,
            inputs: AnalysisInputs | None = None) -> list[dict[str, Any]]:
    """Rows ``indicator``, one column per ISO code (as given, upper case), ``source``,
    ``date``, ``meaning``. ``inputs``: the projections of ``graph`` on ``as_of`` already made
    (the report's), used instead of projecting again."""
    if not codes:
        raise ParameterError("name at least one country (ISO alpha-2 code)")
    infos = groups_mod.countries(graph, year=int(as_of[:4]))
    iris = [_resolve(graph, c, infos) for c in codes]
    columns = [infos[i].iso2 for i in iris]
    if len(set(columns)) != len(columns):
        raise ParameterError("a country is named twice")
    data = _read(graph, iris, infos, as_of, inputs)
    per_country = [_groups(data, i) | _links(data, i) | _gaps(data, i) for i in iris]
    dates = _dates(data, as_of)
    rows = []
    for name, (source, meaning) in INDICATORS.items():
        row: dict[str, Any] = {"indicator": name}
        row.update(zip(columns, (values[name] for values in per_country), strict=True))
        row.update({"source": source, "date": dates[name], "meaning": meaning})
        rows.append(row)
    return rows


def _fiscal_years(graph: Graph, iris: Sequence[str], year: int) -> dict[str, int]:
    """Country -> the World Bank fiscal year its income group is taken from (≤ ``year``)."""
    best: dict[str, int] = {}
    wanted = set(iris)
    for group in graph.subjects(STIG.groupKind, None):
        if str(graph.value(group, STIG.groupKind)) != "wb-income":
            continue
        fy_node = graph.value(group, STIG.fiscalYear)
        if fy_node is None:
            continue
        fy = int(str(fy_node)[:4])
        if fy > year:
            continue
        for member in graph.objects(group, SKOS.member):
            key = str(member)
            if key in wanted and fy > best.get(key, 0):
                best[key] = fy
    return best


def _area_labels(graph: Graph) -> dict[str, str]:
    return dict(sorted((str(a), label_of(graph, str(a), (SKOS.prefLabel,)))
                       for a in graph.subjects(RDF.type, STIG.CooperationArea)))
