"""CORDIS importer: organisations, projects, participations and fields of science.

Reads the official CORDIS CSV layout (Horizon Europe and Horizon 2020): ``organization.csv``,
``project.csv`` and ``euroSciVoc.csv`` (any prefix, e.g. ``he_organization.csv``), ``;`` or
``,`` separated. Produces N-Triples lines:

- organisations ``id/actor/pic-{PIC}`` (HES→University, REC→ResearchOrganisation,
  PRC→Company, PUB→PublicBody, OTH→Actor) with label, short name, headquarters country;
  organisations that are seed actors take the seed's IRI instead (see :mod:`.matching`);
- projects ``id/project/cordis-{id}`` with title, dates, EU contribution (EUR), funding scheme,
  ``stig:partOfProgramme`` the framework programme (``horizon-europe``, ``horizon-2020``,
  ``euratom``) and the programme part (``cordis-horizon-2-5``);
- participations ``id/membership/cordis-{project}-{PIC}-{order}`` (role, EU contribution) and
  the direct edges ``stig:participatesIn`` and, for coordinators, ``stig:coordinates``;
- EuroSciVoc fields ``id/field/euroscivoc-{id}`` (SKOS, with ``skos:broader``), linked from
  projects with ``dct:subject``.

Source: CORDIS, European Commission (CC BY 4.0).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from stigraph.errors import DataImportError
from stigraph.importers.common import (
    ImportStats,
    RejectLog,
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
    P_AMOUNT,
    P_CATEGORY,
    P_CURRENCY,
    P_END,
    P_IDENT,
    P_IN_SCHEME,
    P_MEMBER,
    P_NOTATION,
    P_ORGANISATION,
    P_PARTICIPATES,
    P_PREF,
    P_PROV,
    P_ROLE,
    P_SOURCE,
    P_START,
    P_URL,
    A,
)
from stigraph.vocab.namespaces import (
    DCTERMS,
    SKOS,
    STIG,
    actor_iri,
    country_iri,
    initiative_iri,
    instance_iri,
    project_iri,
    role_iri,
    slugify,
)

__all__ = [
    "ACTIVITY_KINDS",
    "CORDIS_COUNTRY_CODES",
    "CordisFiles",
    "cordis_triples",
    "find_cordis_files",
    "iso_country",
]

SOURCE_HE = "https://data.europa.eu/data/datasets/cordis-eu-research-projects-under-horizon-europe-2021-2027"
SOURCE_H2020 = "https://data.europa.eu/data/datasets/cordish2020projects"

#: CORDIS country codes that differ from ISO 3166-1 alpha-2.
CORDIS_COUNTRY_CODES = {"EL": "GR", "UK": "GB"}

#: CORDIS activity type -> stigraph actor class.
ACTIVITY_KINDS = {
    "HES": "University",
    "REC": "ResearchOrganisation",
    "PRC": "Company",
    "PUB": "PublicBody",
    "OTH": "Actor",
}

#: CORDIS role -> role slug (role/…).
ROLES = {
    "coordinator": "coordinator",
    "participant": "participant",
    "beneficiary": "participant",
    "partner": "participant",
    "associatedpartner": "associated-partner",
    "associated partner": "associated-partner",
    "thirdparty": "third-party",
    "third party": "third-party",
}

#: frameworkProgramme (or legal basis prefix) -> initiative slug.
FRAMEWORKS = {
    "HORIZON": "horizon-europe",
    "EURATOM2027": "euratom",
    "EURATOM": "euratom",
    "H2020": "horizon-2020",
    "EURATOM2020": "euratom",
}
FRAMEWORK_LABELS = {
    "horizon-2020": "Horizon 2020",
    "euratom": "Euratom Research and Training Programme",
}

_ID = re.compile(r"^\d{1,12}$")

# Terms as N-Triples text, computed once.
P_TITLE = iri(str(DCTERMS.title))
P_SUBJECT = iri(str(DCTERMS.subject))
P_HQ = iri(str(STIG.headquarteredIn))
P_PART_OF = iri(str(STIG.partOfProgramme))
P_COORDINATES = iri(str(STIG.coordinates))
C_PARTICIPATION = iri(str(STIG.Participation))
C_PROJECT = iri(str(STIG.Project))
C_PROGRAMME = iri(str(STIG.Programme))
C_FUNDING_PROGRAMME = iri(str(STIG.FundingProgramme))
C_CONCEPT = iri(str(SKOS.Concept))
C_SCHEME = iri(str(SKOS.ConceptScheme))
P_BROADER = iri(str(SKOS.broader))
EUR = lit("EUR")
ESV_SCHEME = iri(str(instance_iri("scheme", "euroscivoc")))


class CordisFiles:
    """The three CORDIS files found in a folder (euroSciVoc is optional)."""

    def __init__(self, organisations: Path, projects: Path, fields: Path | None) -> None:
        self.organisations = organisations
        self.projects = projects
        self.fields = fields


def _find(folder: Path, suffix: str) -> Path | None:
    """The first file named ``*{suffix}``, or else ``*{suffix}.gz`` (read decompressed)."""
    for ending in (suffix, suffix + ".gz"):
        hits = sorted(p for p in folder.iterdir()
                      if p.is_file() and p.name.lower().endswith(ending))
        if hits:
            return hits[0]
    return None


def find_cordis_files(folder: Path | str) -> CordisFiles:
    """Locate ``*organization.csv``, ``*project.csv`` and ``*euroscivoc.csv`` in ``folder``
    (each may be gzip-compressed: ``*.csv.gz``)."""
    root = Path(folder)
    if not root.is_dir():
        raise DataImportError(f"{root}: not a folder; give the folder holding the CORDIS CSV "
                              "files (organization.csv, project.csv, euroSciVoc.csv)")
    orgs = _find(root, "organization.csv") or _find(root, "organisation.csv")
    projects = _find(root, "project.csv")
    if orgs is None or projects is None:
        raise DataImportError(
            f"{root}: expected CORDIS files organization.csv and project.csv (any prefix); "
            f"found {', '.join(sorted(p.name for p in root.iterdir())) or 'nothing'}")
    return CordisFiles(orgs, projects, _find(root, "euroscivoc.csv"))


def iso_country(code: str) -> str:
    """CORDIS country code -> ISO alpha-2 (EL→GR, UK→GB, others unchanged)."""
    code = code.strip().upper()
    return CORDIS_COUNTRY_CODES.get(code, code)


def _decimal(text: str) -> Decimal | None:
    """A CORDIS amount: ``1234.5`` or the older ``1234,5``; ``None`` if blank."""
    text = text.strip()
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    value = Decimal(text)  # raises InvalidOperation
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


def _date(text: str) -> str | None:
    text = text.strip()[:10]
    if not text:
        return None
    return date.fromisoformat(text).isoformat()  # raises ValueError


def _framework(row: dict[str, str]) -> str:
    fp = (row.get("frameworkProgramme") or "").strip().upper()
    if fp in FRAMEWORKS:
        return FRAMEWORKS[fp]
    basis = (row.get("legalBasis") or "").strip().upper()
    for prefix, slug in (("H2020", "horizon-2020"), ("EURATOM", "euratom"),
                         ("HORIZON", "horizon-europe")):
        if basis.startswith(prefix):
            return slug
    return "horizon-europe"


def cordis_triples(
    folder: Path | str,
    *,
    log: RejectLog,
    stats: ImportStats,
    matcher: SeedMatcher | None = None,
    countries: Iterable[str] = (),
) -> Iterator[str]:
    """N-Triples lines for the CORDIS files in ``folder``.

    ``countries`` are the ISO codes known to the graph; a code outside them (after EL→GR,
    UK→GB) is reported and the organisation kept without a country. Counts go to ``stats``,
    bad rows to ``log``.
    """
    files = find_cordis_files(folder)
    known = frozenset(countries)
    matcher = matcher or SeedMatcher(())
    projects: dict[str, str] = {}  # project id -> project IRI text
    frameworks_used: set[str] = set()
    yield from _projects(files.projects, projects, frameworks_used, log, stats)
    yield from _framework_triples(frameworks_used)
    yield from _participations(files.organisations, projects, log, stats, matcher, known)
    if files.fields is not None:
        yield from _fields(files.fields, projects, log, stats)


def _projects(path: Path, projects: dict[str, str], frameworks_used: set[str], log: RejectLog,
              stats: ImportStats) -> Iterator[str]:
    """Project triples; fills ``projects`` (id -> IRI text) and ``frameworks_used``."""
    info, rows = read_csv(path, log)
    stats.files.append(info)
    id_col = "projectID" if "projectID" in info.header else "id"
    if id_col not in info.header:
        raise DataImportError(f"{path}: no projectID or id column; is this a CORDIS "
                              "project.csv file?")
    parts_seen: set[str] = set()
    for line, row in rows:
        pid = row[id_col].strip()
        if not _ID.match(pid):
            log.add(path, line, "missing-identifier",
                    f"project id {pid!r} is not a CORDIS grant number", raw=_raw(row))
            continue
        if pid in projects:
            log.add(path, line, "duplicate", f"project {pid} already read", raw=_raw(row))
            continue
        node = iri(str(project_iri(f"cordis-{pid}")))
        projects[pid] = node
        framework = _framework(row)
        frameworks_used.add(framework)
        stats.counts["projects"] += 1
        yield from _project(node, pid, row, framework, parts_seen, log, path, line)


def _source_of(framework: str) -> str:
    return iri(SOURCE_H2020 if framework == "horizon-2020" else SOURCE_HE)


def _project(node: str, pid: str, row: dict[str, str], framework: str, parts_seen: set[str],
             log: RejectLog, path: Path, line: int) -> Iterator[str]:
    source = _source_of(framework)
    yield triple(node, A, C_PROJECT)
    acronym = (row.get("acronym") or "").strip()
    title = (row.get("title") or "").strip()
    yield triple(node, LABEL, lit(acronym or title or pid))
    if acronym:
        yield triple(node, P_ACRONYM, lit(acronym))
    if title:
        yield triple(node, P_TITLE, lit(title))
    yield triple(node, P_IDENT, lit(pid))
    yield triple(node, P_PART_OF, iri(str(initiative_iri(framework))))
    yield from _legal_basis(node, row, framework, parts_seen)
    scheme = (row.get("fundingScheme") or "").strip()
    if scheme:
        yield triple(node, P_CATEGORY, lit(scheme))
    yield from _date_triples(node, row, log, path, line)
    yield from _amount_triples(node, row, "ecMaxContribution", log, path, line)
    yield triple(node, P_PROV, IMPORTED)
    yield triple(node, P_SOURCE, source)


def _legal_basis(node: str, row: dict[str, str], framework: str, parts_seen: set[str]
                 ) -> Iterator[str]:
    """The project's part of the programme (its legal basis), declared the first time seen."""
    basis = (row.get("legalBasis") or "").strip()
    if not basis:
        return
    part = iri(str(initiative_iri("cordis-" + slugify(basis))))
    yield triple(node, P_PART_OF, part)
    if basis in parts_seen:
        return
    parts_seen.add(basis)
    yield triple(part, A, C_PROGRAMME)
    label = (row.get("legalBasisTitle") or "").strip()
    yield triple(part, LABEL, lit(f"{basis} {label}".strip()))
    yield triple(part, P_IDENT, lit(basis))
    yield triple(part, P_PART_OF, iri(str(initiative_iri(framework))))
    yield triple(part, P_PROV, IMPORTED)
    yield triple(part, P_SOURCE, _source_of(framework))


def _date_triples(node: str, row: dict[str, str], log: RejectLog, path: Path, line: int
                  ) -> Iterator[str]:
    for column, predicate in (("startDate", P_START), ("endDate", P_END)):
        try:
            value = _date(row.get(column) or "")
        except ValueError:
            log.add(path, line, "bad-date", f"{column} {row.get(column)!r} is not a date",
                    action=f"kept without {column}", raw=_raw(row))
            continue
        if value:
            yield triple(node, predicate, typed(value, "date"))


def _framework_triples(frameworks_used: set[str]) -> Iterator[str]:
    for framework in sorted(frameworks_used & set(FRAMEWORK_LABELS)):
        # Horizon Europe is a seed initiative; the others are declared here.
        node = iri(str(initiative_iri(framework)))
        yield triple(node, A, C_FUNDING_PROGRAMME)
        yield triple(node, LABEL, lit(FRAMEWORK_LABELS[framework]))
        yield triple(node, P_PROV, IMPORTED)
        yield triple(node, P_SOURCE, _source_of(framework))


def _raw(row: dict[str, str]) -> str:
    return ",".join(row.values())


def _amount_triples(node: str, row: dict[str, str], column: str, log: RejectLog, path: Path,
                    line: int) -> Iterator[str]:
    """The EUR amount of ``column``; a bad number is logged and the row kept without it."""
    try:
        amount = _decimal(row.get(column) or "")
    except InvalidOperation:
        log.add(path, line, "bad-number", f"{column} {row.get(column)!r} is not a number",
                action="kept without amount", raw=_raw(row))
        return
    if amount is not None:
        yield triple(node, P_AMOUNT, typed(str(amount), "decimal"))
        yield triple(node, P_CURRENCY, EUR)


def _participations(path: Path, projects: dict[str, str], log: RejectLog, stats: ImportStats,
                    matcher: SeedMatcher, known: frozenset[str]) -> Iterator[str]:
    info, rows = read_csv(path, log)
    stats.files.append(info)
    header = info.header
    org_col = "organisationID" if "organisationID" in header else "id"
    for needed in (org_col, "projectID", "role"):
        if needed not in header:
            raise DataImportError(f"{path}: no {needed} column; is this a CORDIS "
                                  "organization.csv file?")
    orgs: dict[str, str] = {}  # PIC -> actor IRI text
    seen: set[tuple[str, str, str, str]] = set()
    order_col = "order" if "order" in header else None
    for line, row in rows:
        pid, pic = row["projectID"].strip(), row[org_col].strip()
        order = (row.get(order_col) or "").strip() if order_col else ""
        checked = _participation_problem(pid, pic, order, row, projects, seen)
        if isinstance(checked, tuple):
            log.add(path, line, checked[0], checked[1], raw=_raw(row))
            continue
        role = checked
        seen.add((pid, pic, role, order))
        org = orgs.get(pic)
        if org is None:
            org = yield from _organisation(path, line, row, pic, log, stats, matcher, known)
            orgs[pic] = org
        stats.counts["participations"] += 1
        node = iri(str(instance_iri("membership", f"cordis-{pid}-{pic}-{order or role}")))
        yield from _participation(node, org, projects[pid], role, row, log, path, line)


def _participation_problem(pid: str, pic: str, order: str, row: dict[str, str],
                           projects: dict[str, str], seen: set[tuple[str, str, str, str]]
                           ) -> str | tuple[str, str]:
    """The participation's role, or the (reason, message) it is rejected with."""
    if not _ID.match(pic):
        return "missing-identifier", f"organisation id (PIC) {pic!r} is missing or not a number"
    if not _ID.match(pid):
        return "missing-identifier", f"project id {pid!r} is missing or not a number"
    if pid not in projects:
        return "unknown-project", f"project {pid} is not in the project file"
    role_text = (row.get("role") or "").strip()
    role = ROLES.get(role_text.lower())
    if role is None:
        return "unknown-role", f"role {role_text!r} is not a CORDIS role"
    if (pid, pic, role, order) in seen:
        return "duplicate", (f"organisation {pic} in project {pid} as {role_text}"
                             + (f" at position {order}" if order else "") + " already read")
    return role


def _participation(node: str, org: str, project: str, role: str, row: dict[str, str],
                   log: RejectLog, path: Path, line: int) -> Iterator[str]:
    yield triple(node, A, C_PARTICIPATION)
    yield triple(node, P_MEMBER, org)
    yield triple(node, P_ORGANISATION, project)
    yield triple(node, P_ROLE, iri(str(role_iri(role))))
    yield from _amount_triples(node, row, "ecContribution", log, path, line)
    yield triple(node, P_PROV, IMPORTED)
    yield triple(node, P_SOURCE, iri(SOURCE_HE))
    yield triple(org, P_PARTICIPATES, project)
    if role == "coordinator":
        yield triple(org, P_COORDINATES, project)


def _organisation(path: Path, line: int, row: dict[str, str], pic: str, log: RejectLog,
                  stats: ImportStats, matcher: SeedMatcher, known: frozenset[str]
                  ) -> Generator[str, None, str]:
    """Triples of a newly seen organisation; returns its IRI text (``yield from`` value)."""
    name = (row.get("name") or "").strip()
    short = (row.get("shortName") or "").strip()
    country = _country(path, line, row, pic, log, known)
    slug = matcher.match(pic, name, country, short_name=short) if matcher else None
    if slug is not None:
        stats.counts["matched_organisations"] += 1
        # the PIC stays findable: `stigraph partners PIC` reaches the seed actor
        seed = iri(str(actor_iri(slug)))
        yield triple(seed, P_IDENT, lit(pic))
        return seed
    node = iri(str(actor_iri(f"pic-{pic}")))
    stats.counts["organisations"] += 1
    activity = (row.get("activityType") or "").strip().upper()
    kind = ACTIVITY_KINDS.get(activity)
    if kind is None:
        log.add(path, line, "unknown-activity-type",
                f"organisation {pic}: activity type {activity!r} is not HES/REC/PRC/PUB/OTH",
                action="kept as Actor", raw=_raw(row))
        kind = "Actor"
    yield triple(node, A, iri(str(STIG[kind])))
    yield triple(node, LABEL, lit(name or short or f"PIC {pic}"))
    if short:
        yield triple(node, P_ACRONYM, lit(short))
    yield triple(node, P_IDENT, lit(pic))
    if country:
        yield triple(node, P_HQ, iri(str(country_iri(country))))
    url = (row.get("organizationURL") or row.get("organizationUrl") or "").strip()
    if url.startswith(("http://", "https://")) and not re.search(r"[\s<>\"{}|\\^`]", url):
        yield triple(node, P_URL, iri(url))
    yield triple(node, P_PROV, IMPORTED)
    yield triple(node, P_SOURCE, iri(SOURCE_HE))
    return node


def _country(path: Path, line: int, row: dict[str, str], pic: str, log: RejectLog,
             known: frozenset[str]) -> str:
    """The organisation's ISO country code, or ``""`` (logged) when missing or unknown."""
    raw_country = (row.get("country") or "").strip()
    country = iso_country(raw_country) if raw_country else ""
    if not raw_country:
        log.add(path, line, "missing-country", f"organisation {pic} has no country",
                action="kept without country", raw=_raw(row))
    elif (known and country not in known) or not re.fullmatch(r"[A-Z]{2}", country):
        log.add(path, line, "unknown-country",
                f"organisation {pic}: country code {raw_country!r} is not a known ISO code",
                action="kept without country", raw=_raw(row))
        country = ""
    return country


def _fields(path: Path, projects: dict[str, str], log: RejectLog, stats: ImportStats
            ) -> Iterator[str]:
    info, rows = read_csv(path, log)
    stats.files.append(info)
    for needed in ("projectID", "euroSciVocCode"):
        if needed not in info.header:
            raise DataImportError(f"{path}: no {needed} column; is this a CORDIS "
                                  "euroSciVoc.csv file?")
    concepts: set[str] = set()
    links: set[tuple[str, str]] = set()
    for line, row in rows:
        pid = row["projectID"].strip()
        code = row["euroSciVocCode"].strip()
        ids = [c for c in code.split("/") if c]
        problem = _field_problem(pid, code, ids, projects, links)
        if problem is not None:
            log.add(path, line, problem[0], problem[1], raw=_raw(row))
            continue
        links.add((pid, code))
        if len(links) == 1:
            yield triple(ESV_SCHEME, A, C_SCHEME)
            yield triple(ESV_SCHEME, LABEL, lit("European Science Vocabulary (EuroSciVoc)"))
        labels = [s for s in (row.get("euroSciVocPath") or "").split("/") if s]
        if len(labels) != len(ids):  # a label containing "/": keep the leaf only
            labels = [""] * (len(ids) - 1) + [(row.get("euroSciVocTitle") or "").strip()]
        leaf = yield from _concepts(ids, labels, concepts, stats)
        stats.counts["project_fields"] += 1
        yield triple(projects[pid], P_SUBJECT, leaf)


def _field_problem(pid: str, code: str, ids: list[str], projects: dict[str, str],
                   links: set[tuple[str, str]]) -> tuple[str, str] | None:
    if not _ID.match(pid) or not ids:
        return "missing-identifier", f"project id {pid!r} or field code {code!r} missing"
    if pid not in projects:
        return "unknown-project", f"project {pid} is not in the project file"
    if (pid, code) in links:
        return "duplicate", f"field {code} of project {pid} already read"
    return None


def _concepts(ids: list[str], labels: list[str], concepts: set[str], stats: ImportStats
              ) -> Generator[str, None, str]:
    """The concepts of a field's path not declared yet; returns the leaf's IRI text."""
    parent = ""
    for depth, (cid, label) in enumerate(zip(ids, labels, strict=True)):
        node = iri(str(instance_iri("field", f"euroscivoc-{cid}")))
        if cid not in concepts and (label or depth == len(ids) - 1):
            concepts.add(cid)
            stats.counts["fields"] += 1
            yield triple(node, A, C_CONCEPT)
            yield triple(node, P_IN_SCHEME, ESV_SCHEME)
            yield triple(node, P_NOTATION, lit("/" + "/".join(ids[:depth + 1])))
            if label:
                yield triple(node, P_PREF, lit(label.strip(), "en"))
                yield triple(node, LABEL, lit(label.strip(), "en"))
            if parent:
                yield triple(node, P_BROADER, parent)
        parent = node
    return parent
