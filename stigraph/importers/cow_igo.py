"""Correlates of War IGO importer: intergovernmental organisations and dated membership spells.

Reads the COW IGO v3.0 membership-spell layout (``igos.csv`` and
``igo_membership_spells.csv``, one row per maximal run of years in which a state held the same
status in an IGO, 1815–2014). Produces N-Triples lines:

- each IGO ``id/actor/cow-{ionum}`` (``stig:IntergovernmentalOrganisation``) with its name,
  acronym, COW number (``dct:identifier "COW IGO {ionum}"``), COW type (political, social,
  economic as ``schema:category``), ``stig:foundingDate`` and, for a dissolved IGO,
  ``stig:endDate`` — both ``xsd:gYear``: COW gives years only. An IGO that is a seed actor
  (CERN, OECD, ASEAN, the UN…) takes the seed's IRI instead and gets only its COW number;
  every match is reported with its rule (:meth:`~.matching.SeedMatcher.match_igo`);
- each spell a ``stig:Membership`` ``id/membership/cow-{ionum}-{ccode}-{start}`` with the
  member country, the role (full → ``role/member``, associate → ``role/associate-member``,
  observer → ``role/observer``), ``stig:startDate`` and ``stig:endDate`` as ``xsd:gYear``
  (no end: still a member in 2014, the last year of the data), provenance imported, and the
  direct edge ``country stig:memberOf igo``.

What the source's documentation warns about is handled, never silently:

- **Historical states without an ISO code** (Yugoslavia, Czechoslovakia, the GDR, the
  Republic of Vietnam, the two Yemens, Austria-Hungary, the German and Italian states before
  unification, Zanzibar, Kosovo: 21 COW codes) are rejected with the reason
  ``historical-state``: the graph's countries are ISO 3166-1 countries, and the source
  documents no successor mapping for them (COW's 345 is Serbia, Yugoslavia, Serbia and
  Montenegro and Serbia again; mapping it to Serbia would make Serbia a member of bodies
  Yugoslavia joined). Codes the source does map (West Germany → DE, the USSR → RU) are kept.
- **The 1964/65 seam** (pre-1965 years are archival or imputed, 1965 on mostly v2.1): a
  spell that ends with "left" in 1964 or starts with "joined" in 1965 is kept and marked
  (``rdfs:comment``, and a ``seam-1964-1965`` entry in the rejects file). A start year COW
  imputed from the Wallace–Singer five-year data is marked in the comment too.
- A spell that runs past its IGO's dissolution year (ACCT: dissolved 2005 in COW, rows to
  2014) is kept and marked (``after-dissolution``); the graph's time rules end it with the
  organisation.
- **Known errors** (:data:`KNOWN_ERRORS`, from the source's spot checks) are corrected by
  default, each citing the official page it was corrected from, or, with
  ``correct_known_errors=False``, kept as published and marked (rejects-file reasons
  ``known-error`` for a wrong spell, ``known-error-missing`` for a missing one).

Source: Correlates of War Project, IGO data v3.0. Cite: Pevehouse, J.C.W., Nordstrom, T.,
McManus, R.W. & Jamison, A.S. (2020). Tracking organizations in the world: The Correlates of
War IGO Version 3.0 datasets. Journal of Peace Research 57(3): 492–503.
doi:10.1177/0022343319881175.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from stigraph.errors import DataImportError
from stigraph.importers.common import (
    ImportStats,
    RejectLog,
    csv_file,
    iri,
    lit,
    read_csv,
    triple,
    typed,
)
from stigraph.importers.matching import SeedMatcher
from stigraph.importers.terms import (
    IMPORTED,
    LABEL,
    P_ACRONYM,
    P_CATEGORY,
    P_END,
    P_IDENT,
    P_MEMBER,
    P_ORGANISATION,
    P_PROV,
    P_ROLE,
    P_SOURCE,
    P_START,
    A,
)
from stigraph.vocab.namespaces import RDFS, STIG, actor_iri, country_iri, instance_iri, role_iri

__all__ = [
    "CITATION",
    "IGOS_FILE",
    "KNOWN_ERRORS",
    "ROLES",
    "SOURCE",
    "SPELLS_FILE",
    "Correction",
    "cow_igo_triples",
    "find_cow_files",
]

SOURCE = "https://correlatesofwar.org/data-sets/igos/"
CITATION = "https://doi.org/10.1177/0022343319881175"
IGOS_FILE = "igos.csv"
SPELLS_FILE = "igo_membership_spells.csv"

#: COW status -> role slug (ontology/roles.ttl).
ROLES = {"full": "member", "associate": "associate-member", "observer": "observer"}

IGO_COLUMNS = ("igo_code", "igo_short_name", "igo_long_name", "founding_year",
               "dissolution_year")
SPELL_COLUMNS = ("igo_code", "cow_ccode", "iso2", "status", "start_year", "end_year",
                 "cow_state_name")

#: COW type dummies of igos.csv -> the category written.
TYPES = ("political", "social", "economic")

_CODE = re.compile(r"^\d{1,6}$")
_YEAR = re.compile(r"^\d{4}$")
_ISO2 = re.compile(r"^[A-Z]{2}$")

P_MEMBER_OF = iri(str(STIG.memberOf))
P_FOUNDED = iri(str(STIG.foundingDate))
P_COMMENT = iri(str(RDFS.comment))
C_IGO = iri(str(STIG.IntergovernmentalOrganisation))
C_MEMBERSHIP = iri(str(STIG.Membership))
CURATED = iri(str(STIG.Curated))
SRC = iri(SOURCE)
CITE = iri(CITATION)


@dataclass(frozen=True)
class Correction:
    """A known error of COW IGO v3.0 and what the official source says instead.

    ``spells`` are the (start, end) years of the correct spells ("" = no end, a member in
    2014); ``replaces`` is the start year of the published spell they replace (``None``: COW
    has no spell, the membership is missing and is added).
    """

    igo_code: str
    ccode: str
    iso2: str
    what: str
    replaces: str | None
    spells: tuple[tuple[str, str], ...]
    source: str


#: The errors the data set's SOURCE.txt lists from its spot checks, with the official pages.
#: The UN's GDR spell (COW code 265) is rejected anyway: the GDR has no ISO code.
KNOWN_ERRORS: tuple[Correction, ...] = (
    Correction("1720", "230", "ES",
               "Spain was a CERN member 1961-1969 and again from 1983; COW has it continuous "
               "from 1961", "1961", (("1961", "1969"), ("1983", "")),
               "https://home.cern/about/who-we-are/our-governance/member-states"),
    Correction("4400", "260", "DE",
               "the Federal Republic of Germany was admitted to the UN on 18 September 1973; "
               "COW lists it from 1965", "1965", (("1973", "1989"),),
               "https://www.un.org/en/about-us/member-states"),
    Correction("2370", "731", "KP",
               "North Korea was an IAEA member from 1974 until it withdrew in 1994; COW "
               "never lists it", None, (("1974", "1994"),),
               "https://www.iaea.org/about/governance/list-of-member-states"),
    Correction("3840", "540", "AO",
               "Angola joined OPEC in January 2007 (and left on 1 January 2024); COW never "
               "lists it", None, (("2007", "2023"),),
               "https://www.opec.org/opec_web/en/about_us/25.htm"),
)


class CowFiles:
    """The two COW IGO files of a folder."""

    def __init__(self, igos: Path, spells: Path) -> None:
        self.igos = igos
        self.spells = spells


def find_cow_files(folder: Path | str) -> CowFiles:
    """Locate ``igos.csv`` and ``igo_membership_spells.csv`` (plain or ``.gz``) in ``folder``."""
    root = Path(folder)
    if not root.is_dir():
        raise DataImportError(f"{root}: not a folder; give the folder holding the COW IGO "
                              f"files {IGOS_FILE} and {SPELLS_FILE}")
    igos, spells = csv_file(root / IGOS_FILE), csv_file(root / SPELLS_FILE)
    if igos is None or spells is None:
        raise DataImportError(
            f"{root}: expected the COW IGO files {IGOS_FILE} and {SPELLS_FILE}; found "
            f"{', '.join(sorted(p.name for p in root.iterdir())) or 'nothing'}")
    return CowFiles(igos, spells)


@dataclass(frozen=True)
class _Igo:
    """An IGO as the spells need it: its IRI text, acronym and dissolution year."""

    node: str
    acronym: str
    dissolved: str


@dataclass
class _Spell:
    """A membership spell as written: from the file (``line``) or from a correction."""

    igo: str
    ccode: str
    iso2: str
    status: str
    start: str
    end: str
    comments: list[str]
    sources: list[str]
    curated: bool = False


def cow_igo_triples(
    folder: Path | str,
    *,
    log: RejectLog,
    stats: ImportStats,
    matcher: SeedMatcher | None = None,
    countries: Iterable[str] = (),
    correct_known_errors: bool = True,
) -> Iterator[str]:
    """N-Triples lines for the COW IGO files in ``folder``.

    ``countries`` are the ISO codes known to the graph; a spell of a state whose code is
    blank (a historical state) or outside them is rejected. Counts go to ``stats``
    (``igos``, ``matched_igos``, ``spells_read``, ``memberships`` by role…), bad rows to ``log``.
    """
    files = find_cow_files(folder)
    known = frozenset(countries)
    matcher = matcher or SeedMatcher(())
    igos = yield from _igos(files.igos, log, stats, matcher)
    corrections = {(c.igo_code, c.ccode): c for c in KNOWN_ERRORS}
    applied: set[tuple[str, str]] = set()

    info, rows = read_csv(files.spells, log, required=SPELL_COLUMNS)
    stats.files.append(info)
    path = files.spells
    seen: set[tuple[str, str, str]] = set()
    for line, row in rows:
        stats.counts["spells_read"] += 1
        raw = ",".join(row.values())
        problem = _spell_problem(row, igos, known, seen, files.igos.name)
        if problem is not None:
            log.add(path, line, problem[0], problem[1], raw=raw)
            continue
        code, ccode = row["igo_code"].strip(), row["cow_ccode"].strip()
        start, end = row["start_year"].strip(), row["end_year"].strip()
        seen.add((code, ccode, start))
        stats.counts["spells_kept"] += 1
        spell = _Spell(code, ccode, row["iso2"].strip().upper(), row["status"].strip().lower(),
                       start, end, [], [SOURCE])
        _mark_seam(spell, row, log, path, line, raw)
        _mark_after_dissolution(spell, igos[code], log, path, line, raw)
        correction = corrections.get((code, ccode))
        if correction is not None and correction.replaces == start:
            applied.add((code, ccode))
            note = functools.partial(_note, log, path, line, raw)
            spells = _correct(spell, correction, correct_known_errors, stats, note)
        else:
            spells = [spell]
        for kept in spells:
            yield from _membership(kept, igos, stats)
    yield from _add_missing(igos, applied, known, correct_known_errors, log, path, stats)


def _note(log: RejectLog, path: Path, line: int, raw: str, reason: str, message: str,
          action: str) -> None:
    log.add(path, line, reason, message, action=action, raw=raw)


def _spell_problem(row: dict[str, str], igos: dict[str, _Igo], known: frozenset[str],
                   seen: set[tuple[str, str, str]], igo_file: str) -> tuple[str, str] | None:
    """Why a spell row is rejected, as (reason, message); None for a good row."""
    code, ccode = row["igo_code"].strip(), row["cow_ccode"].strip()
    status = row["status"].strip().lower()
    start, end = row["start_year"].strip(), row["end_year"].strip()
    if not _CODE.match(code) or not _CODE.match(ccode):
        return ("missing-identifier",
                f"IGO code {code!r} or state code {ccode!r} is not a COW number")
    if code not in igos:
        return "unknown-igo", f"IGO {code} is not in {igo_file}"
    if status not in ROLES:
        return "unknown-status", f"status {status!r} is not full, associate or observer"
    if not _YEAR.match(start) or (end and not _YEAR.match(end)) or (end and end < start):
        return ("bad-year", f"years {start!r}-{end!r} are not a start year and an optional "
                "later end year")
    if (code, ccode, start) in seen:
        return "duplicate", f"spell of state {ccode} in IGO {code} from {start} already read"
    return _state_problem(row, igos[code], known)


def _state_problem(row: dict[str, str], igo: _Igo, known: frozenset[str]
                   ) -> tuple[str, str] | None:
    """Why the member state of a spell is not a country of the graph; None if it is one."""
    ccode, iso2 = row["cow_ccode"].strip(), row["iso2"].strip().upper()
    status, start, end = (row["status"].strip().lower(), row["start_year"].strip(),
                          row["end_year"].strip())
    state = row["cow_state_name"].strip() or f"COW state {ccode}"
    if not iso2:
        return ("historical-state", f"{state} (COW {ccode}) has no ISO 3166-1 code and no "
                f"documented successor; its {status} membership of {igo.acronym} "
                f"{start}-{end or '2014'} is left out")
    if not _ISO2.match(iso2) or (known and iso2 not in known):
        return ("unknown-country",
                f"{state} (COW {ccode}): ISO code {iso2!r} is not a country of the graph")
    return None


def _mark_after_dissolution(spell: _Spell, igo: _Igo, log: RejectLog, path: Path, line: int,
                            raw: str) -> None:
    if igo.dissolved and (spell.end or "2014") > igo.dissolved:
        spell.comments.append(f"COW lists this membership after the IGO's dissolution "
                              f"year {igo.dissolved}.")
        log.add(path, line, "after-dissolution",
                f"{igo.acronym} dissolved in {igo.dissolved}, the spell runs to "
                f"{spell.end or '2014'}", action="kept, marked", raw=raw)


def _correct(spell: _Spell, correction: Correction, apply: bool, stats: ImportStats,
             note: Callable[[str, str, str], None]) -> list[_Spell]:
    """The spells that stand for a published spell with a known error: the corrected ones,
    or the published one marked (``apply`` false, ``--as-published``)."""
    published = f"{spell.start}-{spell.end or '2014'}"
    if not apply:
        note("known-error", f"{correction.what} (kept as published)", "kept, marked")
        spell.comments.append("Known error of COW IGO v3.0: " + correction.what
                              + f" ({correction.source}).")
        return [spell]
    note("known-error", f"{correction.what}: corrected from {correction.source}", "corrected")
    stats.counts["spells_corrected"] += 1
    return [_Spell(spell.igo, spell.ccode, spell.iso2, spell.status, new_start, new_end,
                   [*spell.comments, "Corrected: " + correction.what
                    + f" (COW IGO v3.0 has {published})."],
                   [SOURCE, correction.source])
            for new_start, new_end in correction.spells]


def _add_missing(igos: dict[str, _Igo], applied: set[tuple[str, str]], known: frozenset[str],
                 apply: bool, log: RejectLog, path: Path, stats: ImportStats
                 ) -> Iterator[str]:
    """Memberships missing from COW that a known-error correction adds."""
    for correction in KNOWN_ERRORS:
        key = (correction.igo_code, correction.ccode)
        if key in applied or correction.igo_code not in igos:
            continue
        if correction.replaces is not None:
            log.add(path, None, "known-error",
                    f"{correction.what}: the published spell from {correction.replaces} is "
                    "not in the file, nothing to correct", action="not applied")
            continue
        if not apply or (known and correction.iso2 not in known):
            log.add(path, None, "known-error-missing", f"{correction.what} (not added)",
                    action="not added")
            continue
        log.add(path, None, "known-error-missing", f"{correction.what}: added from "
                f"{correction.source}", action="added")
        stats.counts["spells_added"] += 1
        for new_start, new_end in correction.spells:
            yield from _membership(
                _Spell(correction.igo_code, correction.ccode, correction.iso2, "full",
                       new_start, new_end, ["Added: missing from COW IGO v3.0; "
                                            + correction.what + "."],
                       [correction.source], curated=True),
                igos, stats)


def _mark_seam(spell: _Spell, row: dict[str, str], log: RejectLog, path: Path, line: int,
               raw: str) -> None:
    start_context = (row.get("start_context") or "").strip()
    end_context = (row.get("end_context") or "").strip()
    seam = []
    if spell.end == "1964" and end_context == "left":
        seam.append("ends with 'left' in 1964")
    if spell.start == "1965" and start_context == "joined":
        seam.append("starts with 'joined' in 1965")
    if seam:
        text = " and ".join(seam)
        spell.comments.append(f"COW 1964/65 seam: the spell {text}; pre-1965 years are "
                              "archival or imputed data, 1965 on mostly v2.1: treat the "
                              "transition with suspicion.")
        log.add(path, line, "seam-1964-1965", f"spell {text}", action="kept, marked", raw=raw)
    if (row.get("start_year_imputed") or "").strip() == "1":
        spell.comments.append("Start year imputed by COW from the Wallace-Singer five-year "
                              "data.")


def _membership(spell: _Spell, igos: dict[str, _Igo], stats: ImportStats
                ) -> Iterator[str]:
    org = igos[spell.igo].node
    country = iri(str(country_iri(spell.iso2)))
    role = ROLES[spell.status]
    node = iri(str(instance_iri("membership",
                                f"cow-{spell.igo}-{spell.ccode}-{spell.start}")))
    stats.counts[f"memberships_{role.replace('-', '_')}"] += 1
    yield triple(node, A, C_MEMBERSHIP)
    yield triple(node, P_MEMBER, country)
    yield triple(node, P_ORGANISATION, org)
    yield triple(node, P_ROLE, iri(str(role_iri(role))))
    yield triple(node, P_START, typed(spell.start, "gYear"))
    if spell.end:
        yield triple(node, P_END, typed(spell.end, "gYear"))
    if spell.comments:
        yield triple(node, P_COMMENT, lit(" ".join(spell.comments), "en"))
    yield triple(node, P_PROV, CURATED if spell.curated else IMPORTED)
    for source in spell.sources:
        yield triple(node, P_SOURCE, iri(source))
    yield triple(country, P_MEMBER_OF, org)


def _igos(path: Path, log: RejectLog, stats: ImportStats, matcher: SeedMatcher
          ) -> Generator[str, None, dict[str, _Igo]]:
    """Triples of the IGOs; returns ``{ionum: _Igo}`` (the ``yield from`` value)."""
    info, rows = read_csv(path, log, required=IGO_COLUMNS)
    stats.files.append(info)
    igos: dict[str, _Igo] = {}
    for line, row in rows:
        raw = ",".join(row.values())
        code = row["igo_code"].strip()
        if not _CODE.match(code):
            log.add(path, line, "missing-identifier", f"IGO code {code!r} is not a COW number",
                    raw=raw)
            continue
        if code in igos:
            log.add(path, line, "duplicate", f"IGO {code} already read", raw=raw)
            continue
        founded, dissolved = _igo_years(row, code, log, path, line, raw)
        short = row["igo_short_name"].strip()
        name = row["igo_long_name"].strip() or (row.get("igo_name") or "").strip() or short
        slug = matcher.match_igo(f"cow-{code}", name, acronym=short)
        node = iri(str(actor_iri(slug if slug is not None else f"cow-{code}")))
        igos[code] = _Igo(node, short, dissolved)
        if slug is not None:  # the seed describes the body; COW only adds its number
            stats.counts["matched_igos"] += 1
            yield triple(node, P_IDENT, lit(f"COW IGO {code}"))
            continue
        stats.counts["igos"] += 1
        yield from _igo_triples(node, code, name, short, founded, dissolved, row)
    return igos


def _igo_years(row: dict[str, str], code: str, log: RejectLog, path: Path, line: int,
               raw: str) -> tuple[str, str]:
    founded = row["founding_year"].strip()
    dissolved = row["dissolution_year"].strip()
    bad = [y for y in (founded, dissolved) if y and not _YEAR.match(y)]
    if bad or (founded and dissolved and dissolved < founded):
        log.add(path, line, "bad-year",
                f"IGO {code}: founding {founded!r} / dissolution {dissolved!r} are not "
                "years in order", action="kept without years", raw=raw)
        return "", ""
    return founded, dissolved


def _igo_triples(node: str, code: str, name: str, short: str, founded: str, dissolved: str,
                 row: dict[str, str]) -> Iterator[str]:
    yield triple(node, A, C_IGO)
    yield triple(node, LABEL, lit(name or f"COW IGO {code}"))
    if short:
        yield triple(node, P_ACRONYM, lit(short))
    yield triple(node, P_IDENT, lit(f"COW IGO {code}"))
    for column in TYPES:
        if (row.get(column) or "").strip() == "1":
            yield triple(node, P_CATEGORY, lit(f"COW type: {column}"))
    if founded:
        yield triple(node, P_FOUNDED, typed(founded, "gYear"))
    if dissolved:
        yield triple(node, P_END, typed(dissolved, "gYear"))
    yield triple(node, P_PROV, IMPORTED)
    yield triple(node, P_SOURCE, SRC)
    yield triple(node, P_SOURCE, CITE)
