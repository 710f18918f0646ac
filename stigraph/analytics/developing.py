"""Which countries count as "developing": three definitions an analyst can choose from.

- ``dac`` (default): the rule of the OECD DAC List of ODA Recipients — all low- and
  middle-income countries by the World Bank's classification, except G8 members, EU members and
  countries with a firm date of entry into the EU, plus every least developed country (UN); a
  country leaves the List once it has been high income for three consecutive years (OECD, "DAC
  List of ODA Recipients",
  https://www.oecd.org/en/topics/sub-issues/oda-eligibility-and-conditions/dac-list-of-oda-recipients.html).
  Applied here to the graph on the date: the World Bank groups of the three latest fiscal years
  up to the year, EU membership on the date (seeds/memberships-eu.csv), the LDC group, and
  :data:`G8`. It is the rule, not the List as published: the OECD reviews the List every three
  years, so a country that just crossed a line may differ for up to three years.
- ``m49``: the UN M49 developed/developing flag, a 2020 snapshot the UN no longer maintains.
- ``income``: World Bank low, lower-middle and upper-middle income in the latest fiscal year
  up to the year.

:func:`developing_countries` returns the IRIs and a sentence naming the definition, which the
report and ``compare`` print.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from stigraph.errors import ParameterError
from stigraph.projection import groups as groups_mod
from stigraph.vocab.namespaces import SKOS, STIG, actor_iri

__all__ = ["DEFINITIONS", "G8", "Developing", "developing_countries"]

DEFINITIONS = ("dac", "m49", "income")

#: The G8 as the DAC rule names it: the G7 (CA, FR, DE, IT, JP, GB, US) and Russia.
G8 = frozenset({"CA", "FR", "DE", "IT", "JP", "GB", "US", "RU"})

_EU = "european-union"
_DAC_SOURCE = ("https://www.oecd.org/en/topics/sub-issues/oda-eligibility-and-conditions/"
               "dac-list-of-oda-recipients.html")


@dataclass(frozen=True)
class Developing:
    """The countries a definition counts as developing on a date, and how to say it."""

    definition: str
    members: frozenset[str]
    statement: str
    source: str


def _income_years(graph: Graph, year: int) -> dict[str, dict[int, str]]:
    """Country IRI -> {fiscal year: income code} for fiscal years up to ``year``."""
    found: dict[str, dict[int, str]] = {}
    for group in graph.subjects(STIG.groupKind, None):
        if str(graph.value(group, STIG.groupKind)) != "wb-income":
            continue
        fy, code = graph.value(group, STIG.fiscalYear), graph.value(group, STIG.incomeGroup)
        if fy is None or code is None or int(str(fy)[:4]) > year:
            continue
        for member in graph.objects(group, SKOS.member):
            found.setdefault(str(member), {})[int(str(fy)[:4])] = str(code)
    return found


def _eu_members(graph: Graph, as_of: str) -> set[str]:
    """Countries that are EU members on ``as_of`` (memberships of the european-union actor)."""
    eu = actor_iri(_EU)
    members = set()
    for membership in graph.subjects(STIG.organisation, eu):
        member = graph.value(membership, STIG.member)
        start = graph.value(membership, STIG.startDate)
        end = graph.value(membership, STIG.endDate)
        if member is None or "/country/" not in str(member):
            continue
        if start is not None and str(start) > as_of[: len(str(start))]:
            continue
        if end is not None and str(end) < as_of[: len(str(end))]:
            continue
        members.add(str(member))
    return members


def _dac(graph: Graph, infos: dict[str, groups_mod.CountryInfo],
         incomes: dict[str, dict[int, str]], as_of: str) -> frozenset[str]:
    eu = _eu_members(graph, as_of)
    chosen = set()
    for iri, info in infos.items():
        years = incomes.get(iri, {})
        last_three = [years[y] for y in sorted(years)[-3:]]
        if "ldc" in info.groups or (last_three and info.iso2 not in G8 and iri not in eu and \
                any(code != "H" for code in last_three)):
            chosen.add(iri)
    return frozenset(chosen)


def developing_countries(graph: Graph, definition: str = "dac", *,
                         as_of: str) -> Developing:
    """The developing countries of ``definition`` (dac, m49 or income) on ``as_of``."""
    if definition not in DEFINITIONS:
        raise ParameterError(f"--developing {definition!r}: use {', '.join(DEFINITIONS)}")
    year = int(as_of[:4])
    infos = groups_mod.countries(graph, year=year)
    if definition == "m49":
        members = frozenset(k for k, i in infos.items() if "developing" in i.groups)
        return Developing("m49", members, "Developing countries are those of the UN M49 "
                          "developing regions (the 2020 flag, no longer maintained by the UN).",
                          "https://unstats.un.org/unsd/methodology/m49/")
    incomes = _income_years(graph, year)
    if definition == "income":
        members = frozenset(k for k, years in incomes.items()
                            if years and years[max(years)] in ("L", "LM", "UM"))
        latest = max((max(y) for y in incomes.values() if y), default=year)
        return Developing("income", members, "Developing countries are those the World Bank "
                          f"classifies as low, lower-middle or upper-middle income (FY{latest} "
                          "or the latest fiscal year before).",
                          "https://datahelpdesk.worldbank.org/knowledgebase/articles/906519")
    return Developing("dac", _dac(graph, infos, incomes, as_of), "Developing countries follow "
                      "the rule of the OECD DAC List of ODA Recipients: low- and middle-income "
                      "countries (World Bank), less G8 and EU members, plus the least developed "
                      "countries; a country leaves after three consecutive years of high "
                      "income.", _DAC_SOURCE)
