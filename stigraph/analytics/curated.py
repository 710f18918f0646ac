"""The curated STI bodies' memberships as join events, next to the COW IGO spells.

The seed tables ``memberships-{cern,eureka,horizon-2020,horizon-europe,oecd-dac,asean,gcf,
eu}.csv`` give each country's role in eight bodies with dates at the precision of their source
(day, month or year). :func:`curated_spells` turns them into the :class:`~.joins.Spell` s of
:mod:`.joins`, so that the model trains and is back-tested on them as on COW's:

- **Joining** is taking part with rights: the role ``member``, ``associate-member`` (for the
  framework programmes association is the only way in; for CERN and EUREKA associate
  membership is the step a ministry decides first) or ``beneficiary`` (the first Green
  Climate Fund project in the country). ``observer`` and ``partner`` are a prior status
  (the ``prior_observer`` feature). Becoming a full member after associate membership is
  *continued* (:data:`~.joins.CONTINUED_CONTEXT`), not a new join.
- **The year of a fact** is the year it was known: the later of its start and its
  ``decided`` date (Horizon Europe associations apply from 1 January 2021 but were decided in
  2021–2024; a 2022 decision is not known at the end of 2021).
- A member in the body's first year is a *founder* (``igo_first_year``), not a join; a row
  without a start is left out (counted in ``rejected['curated-undated']``).
- A body exists from its founding year (``actors.csv`` ``founded``, ``initiatives.csv``
  ``start``) to its end (``initiatives.csv`` ``end``: Horizon 2020 ends in 2020).

The curated data are taken as complete to the year of their latest dated fact
(``last_year_of['curated']``); COW's end in 2014, and after it COW memberships stand as of
2014 (spells COW gives as ongoing stay so): a feature at a later origin reads them, no label
does. The eligibility rules of :mod:`.joins` (treaty accession, regional bodies, the DAC's
OECD rule, association for non-EU states, the GCF's developing countries) apply to them.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from stigraph.analytics.joins import (
    CONTINUED_CONTEXT,
    CountryInfo,
    JoinData,
    Organisation,
    Spell,
)
from stigraph.errors import DataImportError

__all__ = ["CURATED_BODIES", "PREFIX", "add_curated", "curated_organisations",
           "curated_spells", "load_training_data"]

#: Curated body id (seed) -> its membership file.
CURATED_BODIES = {
    "cern": "memberships-cern.csv", "eureka": "memberships-eureka.csv",
    "horizon-2020": "memberships-horizon-2020.csv",
    "horizon-europe": "memberships-horizon-europe.csv",
    "oecd-dac": "memberships-oecd-dac.csv", "asean": "memberships-asean.csv",
    "gcf": "memberships-gcf.csv", "european-union": "memberships-eu.csv",
}
#: Organisation keys of curated bodies start so (COW's are numbers).
PREFIX = "stig:"
JOINING_ROLES = frozenset({"member", "associate-member", "beneficiary"})
PRIOR_ROLES = frozenset({"observer", "partner"})


def _year(text: str, path: Path, line: int, column: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if len(text) < 4 or not text[:4].isdigit():
        raise DataImportError(f"{path}, line {line}: {column} {text!r} is not a date")
    return int(text[:4])


def curated_organisations(seeds: Path | str) -> dict[str, Organisation]:
    """The curated bodies with their names, kinds and years of existence."""
    root = Path(seeds)
    out: dict[str, Organisation] = {}
    for name, founded_col, end_col in (("actors.csv", "founded", None),
                                       ("initiatives.csv", "start", "end")):
        path = root / name
        with open(path, encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                if row["id"] not in CURATED_BODIES:
                    continue
                end = _year(row.get(end_col) or "", path, line, end_col) if end_col else None
                out[PREFIX + row["id"]] = Organisation(
                    PREFIX + row["id"], row["name"].strip(), (row.get("acronym") or "").strip(),
                    _year(row.get(founded_col) or "", path, line, founded_col),
                    end + 1 if end is not None else None, row["kind"].strip(), "curated")
    missing = sorted(set(CURATED_BODIES) - {k[len(PREFIX):] for k in out})
    if missing:
        raise DataImportError(f"{root}: no actor or initiative row for {', '.join(missing)}")
    return out


def _read_rows(path: Path, org: str, countries: dict[str, CountryInfo],
               rejected: dict[str, int]) -> list[tuple[str, str, int, int | None]]:
    """(country, status, known year, end year) of each dated row of a country."""
    out = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for column in ("member", "role", "start", "end"):
            if column not in (reader.fieldnames or []):
                raise DataImportError(f"{path}: missing column {column}")
        for line, row in enumerate(reader, start=2):
            member, role = row["member"].strip(), row["role"].strip()
            if member not in countries:
                continue  # CGIAR centres and the like: not countries
            if role not in JOINING_ROLES | PRIOR_ROLES:
                raise DataImportError(f"{path}, line {line}: role {role!r} of {org} is not "
                                      f"one of {', '.join(sorted(JOINING_ROLES | PRIOR_ROLES))}")
            start = _year(row["start"], path, line, "start")
            if start is None:
                rejected["curated-undated"] += 1
                continue
            decided = _year(row.get("decided") or "", path, line, "decided")
            known = max(start, decided) if decided is not None else start
            end = _year(row["end"], path, line, "end")
            status = "full" if role in JOINING_ROLES else "observer"
            out.append((member, status, known, end))
    return out


def _merge(rows: list[tuple[str, str, int, int | None]]) -> list[tuple[str, str, int, int | None]]:
    """One spell per run of overlapping years of a country and status (GCF: many projects)."""
    by: dict[tuple[str, str], list[tuple[int, int | None]]] = defaultdict(list)
    for country, status, start, end in rows:
        by[(country, status)].append((start, end))
    out: list[tuple[str, str, int, int | None]] = []
    for (country, status), spans in sorted(by.items()):
        spans.sort(key=lambda s: s[0])
        cur_start, cur_end = spans[0]
        for start, end in spans[1:]:
            if cur_end is None or start <= cur_end + 1:
                cur_end = None if cur_end is None or end is None else max(cur_end, end)
            else:
                out.append((country, status, cur_start, cur_end))
                cur_start, cur_end = start, end
        out.append((country, status, cur_start, cur_end))
    return out


def _context(spell: tuple[str, str, int, int | None], earlier: list[tuple[int, int | None]],
             founded: int | None) -> str:
    _, status, start, _ = spell
    if status != "full":
        return "joined"
    if any(s < start and (e is None or e >= start - 1) for s, e in earlier):
        return CONTINUED_CONTEXT
    if founded is not None and start <= founded:
        return "igo_first_year"
    return "joined"


def curated_spells(seeds: Path | str, countries: dict[str, CountryInfo],
                   organisations: dict[str, Organisation],
                   rejected: dict[str, int]) -> list[Spell]:
    """The :class:`~.joins.Spell` s of the curated membership files (see the module text)."""
    root = Path(seeds)
    spells: list[Spell] = []
    for body, name in CURATED_BODIES.items():
        key = PREFIX + body
        merged = _merge(_read_rows(root / name, key, countries, rejected))
        full: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
        for country, status, start, end in merged:
            if status == "full":
                full[country].append((start, end))
        for spell in merged:
            country, status, start, end = spell
            context = _context(spell, full[country], organisations[key].founded)
            spells.append(Spell(country, key, status, start, end, context))
    return spells


def add_curated(data: JoinData, seeds: Path | str) -> JoinData:
    """``data`` with the curated bodies and their spells added (a new :class:`JoinData`)."""
    organisations = curated_organisations(seeds)
    rejected = defaultdict(int, data.rejected)
    spells = curated_spells(seeds, data.countries, organisations, rejected)
    last = max(max(s.start, s.end or 0) for s in spells)
    return JoinData([*data.spells, *spells], {**data.organisations, **organisations},
                    data.countries, max(data.last_year, last), dict(rejected),
                    {**data.last_year_of, "curated": last}, data.activity)


def load_training_data(cow: Path | str, seeds: Path | str, *, curated: bool = True,
                       openalex: Path | None = None, cordis: Path | None = None) -> JoinData:
    """The COW spells with (``curated``) the curated bodies' and (``openalex``, ``cordis``:
    folders) the activity counts the features read."""
    from stigraph.analytics.activity import load_activity
    from stigraph.analytics.joins import load_join_data

    data = load_join_data(cow, seeds)
    if curated:
        data = add_curated(data, seeds)
    if openalex is not None or cordis is not None:
        data.activity = load_activity(sorted(data.countries), openalex=openalex, cordis=cordis)
    return data
