"""Real accessions as training data: country → organisation join events with their years.

The source is the Correlates of War IGO v3.0 membership spells (``igos.csv`` and
``igo_membership_spells.csv``, plain or ``.gz``: the files the COW importer reads), read here
directly with :mod:`csv` — training does not need the RDF graph. A *spell* is a maximal run of
years in which a state held one status (full, associate, observer) in an IGO; COW gives years
only, so every date here is a year and "as of the origin ``c``" means *at the end of year
``c - 1``*: a spell counts if it started by ``c - 1`` and had not ended before ``c - 1``.

**Join events.** A country *joins* an organisation in year ``y`` when a full-membership spell
starts in ``y`` with COW's start context ``joined`` (the year before it was not a member),
``status_change`` (an associate or observer became a full member) or ``after_igo_year_gap``.
Other starts are not accessions a ministry decides: ``igo_first_year`` (founders: the
organisation did not exist the year before), ``state_entered_system`` (the state did not exist)
and ``after_missing_data`` (the year before is unknown: COW's -9). A pair whose only start in a
window is ``after_missing_data`` is *ambiguous* and left out of both positives and negatives.

**The labelled pairs of an origin** ``c`` with horizon ``h`` (:func:`labelled_pairs`): every
pair of a country in the system at ``c - 1`` (it held some IGO status that year) and an
organisation that existed at ``c - 1`` (founded by then, not dissolved, at least one member),
the country not then a full member. Label 1 when it joined within ``[c, c + h - 1]``, 0 when
it did not (the *negatives*: open and not joined), the window ending by the data's last year.

**Eligibility** (:func:`eligible`) is a filter, not a feature: a candidate organisation must
exist at the origin and the country must not belong to it; two rules then remove bodies a
ministry cannot simply join:

- *treaty accession* (:data:`TREATY_ACCESSION`): the European communities and Union, the ECB,
  NATO, the WEU and the OECD admit members by an accession treaty or an invitation decided by
  the existing members, not by the applicant;
- *regional bodies*: an organisation whose members (three or more) all lie in one UN M49
  region at the origin is offered only to countries of that region (regional charters — the
  African Union's, ASEAN's, the OAS's — restrict membership so);
- *the curated bodies' own rules*: the OECD DAC admits OECD members only
  (:data:`REQUIRES`); EU member states take part in Horizon 2020 and Horizon Europe as
  members, so association is offered to others only (:data:`EXCLUDED_FOR_MEMBERS`); Green
  Climate Fund projects are for developing countries (:data:`DEVELOPING_ONLY`, UNSD's 2020
  developing/developed split, the only one the seeds have).

The back-test reports how many real joins these rules remove (they are real accessions that
the filters would never recommend).

Source: Correlates of War Project, IGO data v3.0 (Pevehouse, Nordstrom, McManus & Jamison
2020, doi:10.1177/0022343319881175). The four known errors that the COW importer corrects
(Spain in CERN, West Germany in the UN, North Korea in the IAEA, Angola in OPEC) are read as
published here; none of them changes a join count by more than one event.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stigraph.errors import DataImportError

__all__ = ["DEVELOPING_ONLY", "EXCLUDED_FOR_MEMBERS", "JOIN_CONTEXTS", "REQUIRES",
           "TREATY_ACCESSION", "CountryInfo", "JoinData", "Organisation", "Snapshot", "Spell",
           "covered_sources", "eligible", "labelled_pairs", "load_countries", "load_cow",
           "load_join_data", "snapshot"]

#: COW start contexts of a full-membership spell that are accessions.
JOIN_CONTEXTS = frozenset({"joined", "status_change", "after_igo_year_gap"})
#: Starts that are new memberships but not accessions (founders, new states).
NEW_CONTEXTS = frozenset({"igo_first_year", "state_entered_system"})
AMBIGUOUS_CONTEXT = "after_missing_data"
#: A curated full spell that continues another (associate member → member): not a join.
CONTINUED_CONTEXT = "continued"

#: COW IGO numbers of bodies joined by accession treaty or invitation, never recommended.
TREATY_ACCESSION: Mapping[str, str] = {
    "1585": "European Coal and Steel Community: accession treaty",
    "1653": "European Economic Community: accession treaty",
    "1565": "EURATOM: accession treaty",
    "1830": "European Union: accession treaty (Art. 49 TEU)",
    "1580": "European Central Bank: follows euro-area membership",
    "3700": "NATO: invitation by the members (Art. 10)",
    "4510": "Western European Union: invitation by the members",
    "3750": "OECD: accession process opened by the Council",
    "stig:european-union": "European Union: accession treaty (Art. 49 TEU)",
}
#: Curated bodies open only to members of another body (COW number or curated key).
REQUIRES: Mapping[str, tuple[str, str]] = {
    "stig:oecd-dac": ("3750", "the DAC admits OECD members only"),
}
#: Curated bodies that members of another body take part in without joining.
EXCLUDED_FOR_MEMBERS: Mapping[str, tuple[str, str]] = {
    "stig:horizon-2020": ("stig:european-union", "EU member states take part as members, "
                          "not by association"),
    "stig:horizon-europe": ("stig:european-union", "EU member states take part as members, "
                            "not by association"),
}
#: Curated bodies open to developing countries only.
DEVELOPING_ONLY: Mapping[str, str] = {
    "stig:gcf": "Green Climate Fund projects are in developing countries",
}

INCOME_CODES = {"L": 1.0, "LM": 2.0, "UM": 3.0, "H": 4.0}


@dataclass(frozen=True)
class Spell:
    """A run of years ``start..end`` (``end`` None: still so in the data's last year)."""

    country: str
    org: str
    status: str
    start: int
    end: int | None
    context: str

    def covers(self, year: int) -> bool:
        return self.start <= year and (self.end is None or self.end >= year)


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    acronym: str
    founded: int | None
    dissolved: int | None
    kind: str  # political | social | economic | "" (COW's type dummies, first that is set)
    #: ``cow`` (COW IGO) or ``curated`` (the seed memberships: :mod:`.curated`)
    source: str = "cow"

    def exists(self, year: int) -> bool:
        return ((self.founded is None or self.founded <= year)
                and (self.dissolved is None or self.dissolved > year))


@dataclass(frozen=True)
class CountryInfo:
    iso2: str
    name: str
    region: str
    subregion: str
    lldc: bool
    sids: bool
    income: Mapping[int, str] = field(default_factory=dict)  # fiscal year -> L/LM/UM/H
    developing: bool = False  # UNSD's developing/developed split (a 2020 snapshot)

    def income_as_of(self, origin: int) -> str | None:
        """The World Bank group known at the start of ``origin``: FY ``origin`` (released in
        July of ``origin - 1``); None before FY1989 or where the country was unclassified."""
        return self.income.get(origin)


@dataclass
class JoinData:
    spells: list[Spell]
    organisations: dict[str, Organisation]
    countries: dict[str, CountryInfo]
    last_year: int
    rejected: dict[str, int] = field(default_factory=dict)
    #: the last year each source (``cow``, ``curated``) is complete to
    last_year_of: dict[str, int] = field(default_factory=dict)
    #: co-authorship and shared-project counts (:mod:`.activity`), when loaded
    activity: Any = None

    def last_of(self, source: str | None) -> int:
        return self.last_year_of.get(source or "", self.last_year)

    def by_pair(self) -> dict[tuple[str, str], list[Spell]]:
        out: dict[tuple[str, str], list[Spell]] = defaultdict(list)
        for s in self.spells:
            out[(s.country, s.org)].append(s)
        return out


def _open(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _find(folder: Path, name: str) -> Path:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise DataImportError(f"{folder}: no {name} or {name}.gz; give the folder of the COW IGO "
                          "files (igos.csv, igo_membership_spells.csv)")


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    with _open(path) as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise DataImportError(f"{path}: missing column(s) {', '.join(missing)}")
        yield from enumerate(reader, start=2)


def _year(text: str, path: Path, line: int, column: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not (len(text) == 4 and text.isdigit()):
        raise DataImportError(f"{path}, line {line}: {column} {text!r} is not a year")
    return int(text)


def load_cow(folder: Path | str) -> tuple[dict[str, Organisation], list[Spell], dict[str, int]]:
    """The organisations and spells of the COW files in ``folder``; spells of states without
    an ISO code (historical states) are dropped and counted in the third value."""
    root = Path(folder)
    if not root.is_dir():
        raise DataImportError(f"{root}: not a folder (the COW IGO data)")
    igos_path = _find(root, "igos.csv")
    orgs: dict[str, Organisation] = {}
    for line, row in _rows(igos_path, ("igo_code", "igo_short_name", "igo_long_name",
                                       "founding_year", "dissolution_year")):
        kind = next((k for k in ("political", "social", "economic")
                     if (row.get(k) or "").strip() == "1"), "")
        code = row["igo_code"].strip()
        orgs[code] = Organisation(
            code, row["igo_long_name"].strip(), row["igo_short_name"].strip(),
            _year(row["founding_year"], igos_path, line, "founding_year"),
            _year(row["dissolution_year"], igos_path, line, "dissolution_year"), kind)
    spells_path = _find(root, "igo_membership_spells.csv")
    spells: list[Spell] = []
    rejected: dict[str, int] = defaultdict(int)
    for line, row in _rows(spells_path, ("igo_code", "iso2", "status", "start_year",
                                         "end_year", "start_context")):
        iso2 = row["iso2"].strip().upper()
        code = row["igo_code"].strip()
        if not iso2:
            rejected["historical-state"] += 1
            continue
        if code not in orgs:
            raise DataImportError(f"{spells_path}, line {line}: IGO {code} is not in "
                                  f"{igos_path.name}")
        start = _year(row["start_year"], spells_path, line, "start_year")
        if start is None:
            raise DataImportError(f"{spells_path}, line {line}: no start_year")
        status = row["status"].strip().lower()
        if status not in ("full", "associate", "observer"):
            raise DataImportError(f"{spells_path}, line {line}: status {status!r} is not "
                                  "full, associate or observer")
        spells.append(Spell(iso2, code, status, start,
                            _year(row["end_year"], spells_path, line, "end_year"),
                            row["start_context"].strip()))
    return orgs, spells, dict(rejected)


def load_countries(seeds: Path | str) -> dict[str, CountryInfo]:
    """Countries from the seed tables: ``countries.csv`` (UN M49 region and sub-region),
    ``country-groups.csv`` (LLDC, SIDS: geographic, so not dated) and ``income-groups.csv``
    (World Bank historical classification by fiscal year)."""
    root = Path(seeds)
    groups: dict[str, set[str]] = defaultdict(set)
    for _, row in _rows(root / "country-groups.csv", ("iso2", "group")):
        groups[row["iso2"].strip()].add(row["group"].strip())
    income: dict[str, dict[int, str]] = defaultdict(dict)
    path = root / "income-groups.csv"
    for line, row in _rows(path, ("iso2", "fiscal_year", "income_group")):
        year = _year(row["fiscal_year"], path, line, "fiscal_year")
        code = row["income_group"].strip()
        if year is not None and code in INCOME_CODES:
            income[row["iso2"].strip()][year] = code
    out = {}
    for _, row in _rows(root / "countries.csv", ("iso2", "name", "region", "subregion")):
        iso2 = row["iso2"].strip()
        out[iso2] = CountryInfo(iso2, row["name"].strip(), row["region"].strip(),
                                row["subregion"].strip(), "lldc" in groups[iso2],
                                "sids" in groups[iso2], dict(income[iso2]),
                                "developing" in groups[iso2])
    return out


def load_join_data(cow: Path | str, seeds: Path | str) -> JoinData:
    """COW organisations and spells with the seed countries; spells of countries unknown to
    the seeds are dropped (counted in ``rejected['unknown-country']``)."""
    orgs, spells, rejected = load_cow(cow)
    countries = load_countries(seeds)
    kept = [s for s in spells if s.country in countries]
    if len(kept) < len(spells):
        rejected["unknown-country"] = len(spells) - len(kept)
    if not kept:
        raise DataImportError(f"{cow}: no membership spell of a known country")
    last = max(max(s.start, s.end or 0) for s in kept)
    return JoinData(kept, orgs, countries, last, rejected, {"cow": last})


@dataclass
class Snapshot:
    """The state at the end of year ``origin - 1``: who is in the system, which organisations
    exist, full members and other statuses, and the history of joins before ``origin``."""

    origin: int
    countries: list[str]
    orgs: list[str]
    full: set[tuple[str, str]]
    status: dict[tuple[str, str], str]      # associate / observer at origin - 1
    former: dict[tuple[str, str], int]      # a full spell that ended before: its last year
    joined: dict[tuple[str, str], int]      # last year a full membership started, < origin


def _state_at(data: JoinData, year: int) -> tuple[set[tuple[str, str]], dict[tuple[str, str], str],
                                                   dict[tuple[str, str], int],
                                                   dict[tuple[str, str], int], set[str]]:
    """Full members, other statuses, former members, last join years and present countries
    from the spells that started by ``year``."""
    full: set[tuple[str, str]] = set()
    status: dict[tuple[str, str], str] = {}
    former: dict[tuple[str, str], int] = {}
    joined: dict[tuple[str, str], int] = {}
    present: set[str] = set()
    for s in data.spells:
        if s.start > year:
            continue
        pair = (s.country, s.org)
        if s.covers(year):
            present.add(s.country)
            if s.status == "full":
                full.add(pair)
            else:
                status[pair] = s.status
        elif s.status == "full" and s.end is not None:
            former[pair] = max(former.get(pair, s.end), s.end)
        if s.status == "full" and s.context not in (AMBIGUOUS_CONTEXT, CONTINUED_CONTEXT):
            joined[pair] = max(joined.get(pair, s.start), s.start)
    return full, status, former, joined, present


def snapshot(data: JoinData, origin: int) -> Snapshot:
    """What was known at the start of ``origin``: nothing that started in or after it."""
    year = origin - 1
    full, status, former, joined, present = _state_at(data, year)
    members = {o for _, o in full}
    orgs = sorted(o for o, org in data.organisations.items()
                  if org.exists(year) and o in members)
    live = set(orgs)
    full = {p for p in full if p[1] in live}
    former = {p: y for p, y in former.items() if p not in full}
    return Snapshot(origin, sorted(present), orgs, full, status, former, joined)


def _window_starts(data: JoinData, first: int, last: int,
                   ) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Pairs that joined in ``first..last`` and pairs whose only start there is ambiguous."""
    joins: set[tuple[str, str]] = set()
    ambiguous: set[tuple[str, str]] = set()
    for s in data.spells:
        if s.status != "full" or not first <= s.start <= last:
            continue
        if s.context in JOIN_CONTEXTS:
            joins.add((s.country, s.org))
        elif s.context == AMBIGUOUS_CONTEXT:
            ambiguous.add((s.country, s.org))
    return joins, ambiguous - joins


def covered_sources(data: JoinData, last_needed: int) -> set[str]:
    """The sources whose data reach ``last_needed`` (a window's last year)."""
    sources = {o.source for o in data.organisations.values()}
    return {s for s in sources if data.last_of(s) >= last_needed}


def _labelled_sources(data: JoinData, origin: int, horizon: int,
                      source: str | None) -> set[str]:
    end = origin + horizon - 1
    covered = covered_sources(data, end)
    if (source is not None and source not in covered) or not covered:
        last = data.last_of(source) if source else data.last_year
        raise DataImportError(f"origin {origin} with a {horizon}-year horizon needs data "
                              f"to {end}; the {source + ' ' if source else ''}data end in {last}")
    return {source} if source is not None else covered


def labelled_pairs(data: JoinData, snap: Snapshot, horizon: int, *,
                   source: str | None = None) -> tuple[list[tuple[str, str]], list[int], int]:
    """The open pairs of ``snap`` with label 1 (joined within the horizon) or 0, and how many
    pairs were left out as ambiguous. ``source``: only organisations of that source (``cow``,
    ``curated``); None: of every source whose data cover the window. Raises when no (or not
    the named) source's data reach the window's end."""
    end = snap.origin + horizon - 1
    wanted = _labelled_sources(data, snap.origin, horizon, source)
    joins, ambiguous = _window_starts(data, snap.origin, end)
    orgs = [o for o in snap.orgs if data.organisations[o].source in wanted]
    pairs, labels = [], []
    for c in snap.countries:
        for o in orgs:
            p = (c, o)
            if p in snap.full or p in ambiguous:
                continue
            pairs.append(p)
            labels.append(1 if p in joins else 0)
    present, live = set(snap.countries), set(orgs)
    left_out = sum(1 for c, o in ambiguous
                   if c in present and o in live and (c, o) not in snap.full)
    return pairs, labels, left_out


def _admits(data: JoinData, snap: Snapshot, country: str, org: str) -> bool:
    """The curated bodies' own rules: :data:`REQUIRES`, :data:`EXCLUDED_FOR_MEMBERS`,
    :data:`DEVELOPING_ONLY`."""
    if org in REQUIRES and (country, REQUIRES[org][0]) not in snap.full:
        return False
    if org in EXCLUDED_FOR_MEMBERS and (country, EXCLUDED_FOR_MEMBERS[org][0]) in snap.full:
        return False
    return not (org in DEVELOPING_ONLY and not data.countries[country].developing)


def eligible(data: JoinData, snap: Snapshot, pairs: list[tuple[str, str]]) -> list[bool]:
    """Whether each open pair passes the eligibility rules (treaty accession, regional)."""
    regions: dict[str, set[str]] = defaultdict(set)
    size: dict[str, int] = defaultdict(int)
    for c, o in snap.full:
        regions[o].add(data.countries[c].region)
        size[o] += 1
    out = []
    for c, o in pairs:
        if o in TREATY_ACCESSION or not _admits(data, snap, c, o):
            out.append(False)
            continue
        rs = regions.get(o, set())
        regional = size[o] >= 3 and len(rs) == 1
        out.append(not regional or data.countries[c].region in rs)
    return out
