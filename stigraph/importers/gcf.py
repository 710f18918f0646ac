"""Green Climate Fund importer: funded projects, countries with amounts, accredited entities,
result areas.

Reads either the GCF API JSON (``/v1/projects``, e.g. ``v1-projects.json``) or a folder with
its flattened CSV export (``gcf_projects.csv``, ``gcf_project_countries.csv``,
``gcf_project_entities.csv``, ``gcf_project_result_areas.csv``, each plain or ``.csv.gz``; a
folder holding only the JSON works too). Both become the same records and the same triples:

- projects ``id/project/gcf-{FP001}`` (stig:Project) with name, dates, GCF funding (USD),
  theme, web page; ``id/actor/gcf stig:funds`` each project;
- each beneficiary country: a ``stig:Participation`` (role ``beneficiary``, GCF amount in USD,
  from the approval date) plus ``country stig:participatesIn project`` and
  ``project stig:activeIn country``;
- accredited entities ``id/actor/gcf-ae-{EntityID}`` (or the seed actor they are, e.g. UNDP),
  each a member of GCF (role ``accredited-entity``, from its accreditation date) and the
  implementing entity of its projects;
- the eight GCF result areas as cooperation areas in their own scheme
  (``id/area/gcf-{slug}``, ``skos:inScheme id/scheme/gcf-result-areas``); a project
  ``stig:addressesArea`` each area with a non-zero share.

Source: Green Climate Fund open data (via UN-OCHA HDX, CC BY).
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

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
    SKOS,
    STIG,
    actor_iri,
    area_iri,
    country_iri,
    instance_iri,
    project_iri,
    role_iri,
    slugify,
)

__all__ = ["RESULT_AREAS", "GcfProject", "gcf_triples", "read_gcf"]

SOURCE = "https://www.greenclimate.fund/projects"
ENTITIES_SOURCE = "https://www.greenclimate.fund/about/partners/ae"
GCF_SLUG = "gcf"

#: The eight GCF result areas (the GCF's own names) and their type.
RESULT_AREAS = {
    "Energy generation and access": "Mitigation",
    "Transport": "Mitigation",
    "Buildings, cities, industries, and appliances": "Mitigation",
    "Forest and land use": "Mitigation",
    "Livelihoods of people and communities": "Adaptation",
    "Health, food, and water security": "Adaptation",
    "Infrastructure and built environment": "Adaptation",
    "Ecosystems and ecosystem services": "Adaptation",
}

P_MEMBER_OF = iri(str(STIG.memberOf))
P_FUNDS = iri(str(STIG.funds))
P_ACTIVE_IN = iri(str(STIG.activeIn))
P_ADDRESSES = iri(str(STIG.addressesArea))
USD = lit("USD")
AREA_SCHEME = iri(str(instance_iri("scheme", "gcf-result-areas")))

_REF = re.compile(r"^[A-Z]{2,4}\d{3,4}$")
_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@dataclass
class GcfProject:
    """One funded project as read from JSON or CSV; ``line`` is where it came from."""

    ref: str
    fields: dict[str, str]
    file: str
    line: int | None
    countries: list[tuple[str, str, int | None]] = field(default_factory=list)  # iso3, usd
    entities: list[dict[str, str]] = field(default_factory=list)
    areas: list[tuple[str, str]] = field(default_factory=list)  # area name, share text


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _from_json(path: Path, log: RejectLog) -> list[GcfProject]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataImportError(f"{path}: not readable GCF API JSON ({exc})") from exc
    if isinstance(data, dict):
        data = data.get("data") or data.get("projects") or []
    if not isinstance(data, list):
        raise DataImportError(f"{path}: expected a list of projects (GCF API /v1/projects)")
    projects: list[GcfProject] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            log.add(path, index, "not-a-record", "array item is not an object",
                    raw=json.dumps(item)[:200])
            continue
        projects.append(_json_project(item, path, index))
    return projects


def _scalars(record: Mapping[str, Any]) -> dict[str, str]:
    return {k: _text(v) for k, v in record.items() if not isinstance(v, list | dict)}


def _json_project(item: Mapping[str, Any], path: Path, index: int) -> GcfProject:
    """One project of the API JSON with its countries (USD amounts), entities and areas."""
    project = GcfProject(_text(item.get("ApprovedRef")), _scalars(item), path.name, index)
    for country in item.get("Countries") or []:
        usd = sum(_number(f.get("GCF")) for f in country.get("Financing") or []
                  if _text(f.get("Currency")) in ("USD", ""))
        project.countries.append((_text(country.get("ISO3")), str(usd), None))
    project.entities.extend(_scalars(entity) for entity in item.get("Entities") or [])
    for area in item.get("ResultAreas") or []:
        project.areas.append((_text(area.get("Area")), _text(area.get("Value"))))
    return project


def _number(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _from_csv(folder: Path, log: RejectLog, stats: ImportStats) -> list[GcfProject]:
    main = csv_file(folder / "gcf_projects.csv")
    if main is None:
        raise DataImportError(f"{folder}: no gcf_projects.csv (or .csv.gz)")
    info, rows = read_csv(main, log, required=("ApprovedRef",))
    stats.files.append(info)
    projects: dict[str, GcfProject] = {}
    ordered: list[GcfProject] = []
    for line, row in rows:
        ref = row["ApprovedRef"].strip()
        project = GcfProject(ref, {k: v.strip() for k, v in row.items()}, info.path.name, line)
        ordered.append(project)
        projects.setdefault(ref, project)
    extra = {
        "gcf_project_countries.csv": ("ISO3",),
        "gcf_project_entities.csv": ("EntityID", "Name"),
        "gcf_project_result_areas.csv": ("Area", "Share"),
    }
    for name, required in extra.items():
        found = csv_file(folder / name)
        if found is None:
            continue
        path = found
        info, rows = read_csv(path, log, required=("ApprovedRef", *required))
        stats.files.append(info)
        for line, row in rows:
            ref = row["ApprovedRef"].strip()
            target = projects.get(ref)
            if target is None:
                log.add(path, line, "unknown-project",
                        f"project {ref!r} is not in gcf_projects.csv", raw=",".join(row.values()))
                continue
            if name == "gcf_project_countries.csv":
                target.countries.append((row["ISO3"].strip(), row.get("GCF_USD", "").strip(),
                                         line))
            elif name == "gcf_project_entities.csv":
                target.entities.append({k: v.strip() for k, v in row.items()})
            else:
                target.areas.append((row["Area"].strip(), row["Share"].strip()))
    return ordered


def read_gcf(path: Path | str, log: RejectLog, stats: ImportStats) -> list[GcfProject]:
    """GCF projects from the API JSON file, or a folder with the CSV export or the JSON."""
    src = Path(path)
    if src.is_file():
        return _from_json(src, log)
    if src.is_dir():
        if csv_file(src / "gcf_projects.csv") is not None:
            return _from_csv(src, log, stats)
        if (src / "v1-projects.json").is_file():
            return _from_json(src / "v1-projects.json", log)
    raise DataImportError(f"{src}: expected the GCF API JSON (v1-projects.json) or a folder "
                          "with gcf_projects.csv")


def _date(text: str) -> str | None:
    text = text.strip()[:10]
    return date.fromisoformat(text).isoformat() if text else None


def _share(text: str) -> Decimal:
    return Decimal(text.strip().rstrip("%").strip() or "0")


def gcf_triples(
    path: Path | str,
    *,
    log: RejectLog,
    stats: ImportStats,
    matcher: SeedMatcher | None = None,
    countries: Iterable[str] = (),
    iso3_to_iso2: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """N-Triples lines for the GCF projects at ``path``."""
    from stigraph.importers.common import country_codes

    projects = read_gcf(path, log, stats)
    known = frozenset(countries)
    iso2_of = dict(iso3_to_iso2) if iso3_to_iso2 is not None else country_codes()
    matcher = matcher or SeedMatcher(())
    gcf = iri(str(actor_iri(GCF_SLUG)))
    seen: set[str] = set()
    entities: dict[str, str] = {}
    areas_done: set[str] = set()
    for project in projects:
        ref = project.ref
        if not _REF.match(ref):
            log.add(project.file, project.line, "missing-identifier",
                    f"project reference {ref!r} is not like FP001", raw=_raw(project))
            continue
        if ref in seen:
            log.add(project.file, project.line, "duplicate", f"project {ref} already read",
                    raw=_raw(project))
            continue
        seen.add(ref)
        stats.counts["projects"] += 1
        node = iri(str(project_iri(f"gcf-{ref}")))
        url = project.fields.get("ProjectURL", "")
        source = iri(url) if _SAFE_IRI.match(url) else iri(SOURCE)
        approval = yield from _project_triples(project, node, source, gcf, log)
        yield from _country_triples(project, node, source, approval, log, stats,
                                    iso2_of, known)
        yield from _entity_triples(project, node, source, entities, log, stats, matcher, gcf)
        yield from _area_triples(project, node, areas_done, log, stats)


def _project_triples(project: GcfProject, node: str, source: str, gcf: str, log: RejectLog
                     ) -> Generator[str, None, str | None]:
    """The project's own triples; returns its approval date (``yield from`` value)."""
    ref, f, where = project.ref, project.fields, project.file
    url = f.get("ProjectURL", "")
    name = f.get("ProjectName") or ref
    yield triple(node, A, iri(str(STIG.Project)))
    yield triple(node, LABEL, lit(f"{ref}: {name}"))
    yield triple(node, P_IDENT, lit(ref))
    if _SAFE_IRI.match(url):
        yield triple(node, P_URL, iri(url))
    if f.get("Theme"):
        yield triple(node, P_CATEGORY, lit(f["Theme"]))
    approval = None
    for column, predicate in (("ApprovalDate", ""), ("StartDate", P_START),
                              ("EndDate", P_END)):
        try:
            value = _date(f.get(column, ""))
        except ValueError:
            log.add(where, project.line, "bad-date",
                    f"{ref}: {column} {f.get(column)!r} is not a date",
                    action=f"kept without {column}", raw=_raw(project))
            continue
        if column == "ApprovalDate":
            approval = value
        elif value:
            yield triple(node, predicate, typed(value, "date"))
    amount = _decimal_or_log(f.get("TotalGCFFunding", ""), log, where, project,
                             "TotalGCFFunding")
    if amount is not None:
        yield triple(node, P_AMOUNT, typed(str(amount), "decimal"))
        yield triple(node, P_CURRENCY, USD)
    yield triple(node, P_PROV, IMPORTED)
    yield triple(node, P_SOURCE, source)
    yield triple(gcf, P_FUNDS, node)
    return approval


def _country_triples(project: GcfProject, node: str, source: str, approval: str | None,
                     log: RejectLog, stats: ImportStats, iso2_of: Mapping[str, str],
                     known: frozenset[str]) -> Iterator[str]:
    """Each beneficiary country: a participation with the GCF amount, from the approval."""
    ref, where = project.ref, project.file
    for iso3, usd, line in project.countries:
        iso2 = iso2_of.get(iso3.upper())
        if iso2 is None or (known and iso2 not in known):
            log.add(where if line is None else "gcf_project_countries.csv",
                    line if line is not None else project.line, "unknown-country",
                    f"{ref}: country {iso3!r} is not a known ISO alpha-3 code",
                    raw=f"{ref},{iso3},{usd}")
            continue
        stats.counts["country_participations"] += 1
        country = iri(str(country_iri(iso2)))
        part = iri(str(instance_iri("membership", f"gcf-{ref}-{iso2}")))
        yield triple(part, A, iri(str(STIG.Participation)))
        yield triple(part, P_MEMBER, country)
        yield triple(part, P_ORGANISATION, node)
        yield triple(part, P_ROLE, iri(str(role_iri("beneficiary"))))
        if approval:
            yield triple(part, P_START, typed(approval, "date"))
        usd_amount = _decimal_or_log(usd, log, where, project, f"GCF amount for {iso3}")
        if usd_amount is not None:
            yield triple(part, P_AMOUNT, typed(str(usd_amount), "decimal"))
            yield triple(part, P_CURRENCY, USD)
        yield triple(part, P_PROV, IMPORTED)
        yield triple(part, P_SOURCE, source)
        yield triple(country, P_PARTICIPATES, node)
        yield triple(node, P_ACTIVE_IN, country)


def _entity_triples(project: GcfProject, node: str, source: str, entities: dict[str, str],
                    log: RejectLog, stats: ImportStats, matcher: SeedMatcher, gcf: str
                    ) -> Iterator[str]:
    """Each accredited entity implementing the project (declared the first time seen)."""
    for entity in project.entities:
        entity_id = entity.get("EntityID", "")
        if not entity_id:
            log.add(project.file, project.line, "missing-identifier",
                    f"{project.ref}: accredited entity without EntityID", raw=_raw(project))
            continue
        actor = entities.get(entity_id)
        if actor is None:
            actor = yield from _entity(entity, matcher, stats, gcf)
            entities[entity_id] = actor
        stats.counts["entity_participations"] += 1
        part = iri(str(instance_iri("membership", f"gcf-{project.ref}-ae-{entity_id}")))
        yield triple(part, A, iri(str(STIG.Participation)))
        yield triple(part, P_MEMBER, actor)
        yield triple(part, P_ORGANISATION, node)
        yield triple(part, P_ROLE, iri(str(role_iri("implementing-entity"))))
        yield triple(part, P_PROV, IMPORTED)
        yield triple(part, P_SOURCE, source)
        yield triple(actor, P_PARTICIPATES, node)


def _area_triples(project: GcfProject, node: str, areas_done: set[str], log: RejectLog,
                  stats: ImportStats) -> Iterator[str]:
    """The result areas the project has a non-zero share in (each area declared once)."""
    ref, where = project.ref, project.file
    for area, share in project.areas:
        try:
            positive = _share(share) > 0
        except InvalidOperation:
            log.add(where, project.line, "bad-number",
                    f"{ref}: share {share!r} of {area!r} is not a percentage",
                    action="kept without this area", raw=_raw(project))
            continue
        if area not in RESULT_AREAS:
            log.add(where, project.line, "unknown-result-area",
                    f"{ref}: {area!r} is not a GCF result area",
                    action="kept without this area", raw=_raw(project))
            continue
        concept = iri(str(area_iri("gcf-" + slugify(area))))
        if area not in areas_done:
            if not areas_done:
                yield triple(AREA_SCHEME, A, iri(str(SKOS.ConceptScheme)))
                yield triple(AREA_SCHEME, LABEL, lit("GCF result areas", "en"))
            areas_done.add(area)
            yield from _area(concept, area)
        if positive:
            stats.counts["project_areas"] += 1
            yield triple(node, P_ADDRESSES, concept)


def _area(concept: str, area: str) -> Iterator[str]:
    kind = RESULT_AREAS[area]
    yield triple(concept, A, iri(str(STIG.CooperationArea)))
    yield triple(concept, A, iri(str(SKOS.Concept)))
    yield triple(concept, P_IN_SCHEME, AREA_SCHEME)
    yield triple(concept, P_PREF, lit(area, "en"))
    yield triple(concept, LABEL, lit(area, "en"))
    yield triple(concept, P_NOTATION, lit(f"{kind}: {area}"))
    yield triple(concept, P_SOURCE, iri("https://www.greenclimate.fund/results"))


def _entity(entity: Mapping[str, str], matcher: SeedMatcher, stats: ImportStats, gcf: str
            ) -> Generator[str, None, str]:
    entity_id = entity["EntityID"]
    name = entity.get("Name", "") or entity.get("Acronym", "") or f"GCF entity {entity_id}"
    acronym = entity.get("Acronym", "")
    slug = matcher.match_global(f"gcf-ae-{entity_id}", name, acronym=acronym)
    if slug is not None:
        stats.counts["matched_entities"] += 1
        actor = iri(str(actor_iri(slug)))
    else:
        stats.counts["accredited_entities"] += 1
        actor = iri(str(actor_iri(f"gcf-ae-{entity_id}")))
        yield triple(actor, A, iri(str(STIG.Actor)))
        yield triple(actor, LABEL, lit(name))
        if acronym:
            yield triple(actor, P_ACRONYM, lit(acronym))
        yield triple(actor, P_IDENT, lit(f"GCF AE {entity_id}"))
        for column in ("Access", "Type", "Sector"):
            if entity.get(column):
                yield triple(actor, P_CATEGORY, lit(f"{column}: {entity[column]}"))
        yield triple(actor, P_PROV, IMPORTED)
        yield triple(actor, P_SOURCE, iri(ENTITIES_SOURCE))
    membership = iri(str(instance_iri("membership", f"gcf-ae-{entity_id}")))
    yield triple(membership, A, iri(str(STIG.Membership)))
    yield triple(membership, P_MEMBER, actor)
    yield triple(membership, P_ORGANISATION, gcf)
    yield triple(membership, P_ROLE, iri(str(role_iri("accredited-entity"))))
    try:
        accredited = _date(entity.get("AccreditationDate", ""))
    except ValueError:
        accredited = None
    if accredited:
        yield triple(membership, P_START, typed(accredited, "date"))
    yield triple(membership, P_PROV, IMPORTED)
    yield triple(membership, P_SOURCE, iri(ENTITIES_SOURCE))
    yield triple(actor, P_MEMBER_OF, gcf)
    return actor


def _decimal_or_log(text: str, log: RejectLog, where: str, project: GcfProject,
                    what: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        log.add(where, project.line, "bad-number", f"{project.ref}: {what} {text!r} is not "
                "a number", action="kept without amount", raw=_raw(project))
        return None
    return value if value.is_finite() else None


def _raw(project: GcfProject) -> str:
    return ",".join(project.fields.get(k, "") for k in ("ApprovedRef", "ProjectName"))
