"""Kenya's profile on the shipped extracts against direct counts from the public source files
(the shared data folder: ``STIGRAPH_SHARED_DATA`` or ``../shared/data``; skipped when absent),
made with the csv module: Horizon Europe projects by start year, the shared projects of every
partner country listed, and one IGO's member count in a given year from the profiles'
membership rows."""

from __future__ import annotations

import csv
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from stigraph.build.builder import build_graph
from stigraph.importers import import_cordis, import_cow_igo
from stigraph.outputs.report import profiles
from stigraph.projection.evidence import EvidenceOptions
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.partners import (
    PartnerSources,
    entity_consortia,
    partner_rows,
    partners,
    project_facets,
    ranked_rows,
)
from stigraph.queries.sparql import run_sparql
from stigraph.resources import shipped_data_dir
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import country_iri

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2024-06-30"
CODES = {"EL": "GR", "UK": "GB"}

pytestmark = pytest.mark.slow


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))  # cells stay text: Namibia's NA is "NA"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> profiles.ProfileData:
    shared = Path(os.environ.get("STIGRAPH_SHARED_DATA") or REPO.parent / "shared" / "data")
    if not shared.is_dir():  # as the shared_data fixture: nothing to compare with
        pytest.skip("the shared data folder (../shared/data) is not next to this checkout")
    out = tmp_path_factory.mktemp("profiles-shipped")
    import_cordis(shipped_data_dir() / "cordis_horizon_europe", out / "he.nt")
    import_cow_igo(shipped_data_dir() / "cow_igo", out / "cow.nt")
    graph = build_graph(store="oxigraph", include=[out / "he.nt", out / "cow.nt"]).graph
    return profiles.ProfileData(AnalysisInputs(graph, as_of=AS_OF))


def _kenya_projects(shared: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Kenya's projects started by the date -> start year; project -> partner countries."""
    start = {r["projectID"]: r["startDate"] for r in _csv(shared / "cordis_horizon_europe"
                                                   / "he_project.csv")}
    known = {r["iso2"] for r in _csv(REPO / "seeds" / "countries.csv")}
    rows = _csv(shared / "cordis_horizon_europe" / "he_organization.csv")
    kenyan = {r["projectID"]: start[r["projectID"]][:4] for r in rows
              if r["country"] == "KE" and start.get(r["projectID"], "9999") <= AS_OF}
    others: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        code = CODES.get(r["country"], r["country"])
        if r["projectID"] in kenyan and code not in ("", "KE") and code in known:
            others[r["projectID"]].add(code)
    return kenyan, others


def test_kenya_horizon_europe_and_partners_match_the_source(
        data: profiles.ProfileData, shared_data: Path) -> None:
    kenyan, others = _kenya_projects(shared_data)
    kenya = profiles.profile(data, str(country_iri("KE")))
    assert kenya.counts["projects"] == len(kenyan) > 50
    part = next(p for p in kenya.parts if p.id == "horizon-europe")
    years = next(t for t in part.tables if t.csv == "horizon-europe-years.csv")
    assert {int(r[0]): r[1] for r in years.rows} == {
        int(y): n for y, n in Counter(kenyan.values()).items()}
    shared_projects = Counter(code for codes in others.values() for code in codes)
    partners = next(p for p in kenya.parts if p.id == "partners").tables[0]
    listed = {str(r[0]): int(r[2]) for r in partners.rows}
    labels = {data.inputs.infos[str(country_iri(c))].label: c for c in shared_projects
              if str(country_iri(c)) in data.inputs.infos}
    assert len(listed) == 10
    for label, projects in listed.items():
        assert projects == shared_projects[labels[label]], label
    # Kenya's strongest CORDIS partner is among its top partners
    assert max(shared_projects, key=lambda c: (shared_projects[c], c)) in {
        labels[label] for label in listed}


def test_an_igo_member_count_in_a_year_matches_the_source(data: profiles.ProfileData,
                                                          shared_data: Path) -> None:
    # the East African Development Bank (COW 1480), full members in 2010
    spells = _csv(shared_data / "cow_igo" / "igo_membership_spells.csv")
    year = 2010
    direct = {r["iso2"] for r in spells if r["igo_code"] == "1480" and r["status"] == "full"
              and r["iso2"] and int(r["start_year"]) <= year
              and (not r["end_year"] or int(r["end_year"]) >= year)}
    body = "https://w3id.org/stigraph/id/actor/cow-1480"
    got = {data.iso(country) for country, rows in data.memberships.items()
           for r in rows if str(r["organisation"]) == body and r["role"] == "member"
           and int(str(r["start"])[:4]) <= year
           and (not r["end"] or int(str(r["end"])[:4]) >= year)}
    assert got == direct and len(direct) >= 3


def test_the_fast_reads_are_the_queries_on_the_shipped_data(data: profiles.ProfileData) -> None:
    """The profiles' and ``stigraph partners``' triple-pattern reads against the queries and
    the whole-graph path they replace, on the shipped Horizon Europe and COW IGO data."""
    graph = data.rdf
    fast = profiles.country_memberships(graph)
    assert fast is not None
    old = run_sparql(graph, "country-memberships", {})

    def normal(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return sorted((r["member"], r["organisation"], r["role"], r["start"], r["end"],
                       sorted(str(r["sources"] or "").split())) for r in rows)

    assert len(fast) > 5000 and normal(fast) == normal(old)
    by_query: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in run_sparql(graph, "evidence-project-facets", {}):
        by_query[str(row["project"])].append((str(row["facet"]), str(row["value"])))
    assert project_facets(graph) == dict(by_query) and len(by_query) > 1000
    options = EvidenceOptions(as_of=AS_OF)
    whole = PartnerSources(graph, options)
    for code in ("KE", "ET", "GH"):
        country = str(country_iri(code))
        assert _norm(entity_consortia(graph, country, options)) == _norm(
            whole.projects_of(country))
        for kind in ("countries", "organisations"):
            rows = partner_rows(graph, country, kind=kind, options=options)
            assert rows and rows == ranked_rows(
                partners(graph, country, kind=kind, options=options, sources=whole),
                lambda key: label_of(graph, URIRef(key)))


def _norm(projects: list[Any]) -> list[tuple[Any, ...]]:
    return [(c.project, c.year, sorted((p.actor, p.country, p.coordinator, round(p.amount, 6))
                                       for p in c.participants)) for c in projects]
