"""The ontology parses and is used consistently; the seeds are complete and sourced."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from stigraph import resources
from stigraph.build.builder import BuildResult
from stigraph.vocab.namespaces import DCTERMS, OWL, RDF, RDFS, SKOS, STIG, country_iri, group_iri

# Classes and properties from other vocabularies that the data graph uses on purpose.
EXTERNAL_TYPES = {RDF.Statement, SKOS.Concept, SKOS.ConceptScheme, SKOS.Collection, OWL.Class,
                  OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Ontology, OWL.SymmetricProperty,
                  OWL.FunctionalProperty}


def test_every_ontology_file_parses() -> None:
    for path in [*resources.ontology_files(), resources.shapes_file()]:
        assert len(Graph().parse(path)) > 0, path


def test_every_type_and_stig_property_used_is_declared(seed_build: BuildResult) -> None:
    g = seed_build.graph
    declared = set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, OWL.ObjectProperty))
    declared |= set(g.subjects(RDF.type, OWL.DatatypeProperty))
    declared |= set(g.subjects(RDF.type, OWL.AnnotationProperty))
    used_types = set(g.objects(None, RDF.type)) - EXTERNAL_TYPES
    undeclared = {t for t in used_types if t not in declared and str(t).startswith(str(STIG))}
    assert not undeclared
    stig_predicates = {p for p in g.predicates() if str(p).startswith(str(STIG))}
    assert stig_predicates - declared == set()


def test_every_stig_class_reaches_a_root(seed_build: BuildResult) -> None:
    g = seed_build.graph
    query = """SELECT ?c WHERE { ?c a owl:Class . FILTER(STRSTARTS(STR(?c), STR(stig:)))
               FILTER NOT EXISTS { ?c rdfs:subClassOf* ?root .
                 VALUES ?root { stig:Actor stig:Initiative stig:Country stig:Region
                   stig:CountryGroup stig:Membership stig:Figure stig:ProvenanceKind
                   stig:ReportParagraph stig:PredictedLink skos:Concept stig:Audience } } }"""
    orphans = [row[0] for row in g.query(query, initNs={"stig": STIG, "owl": OWL, "rdfs": RDFS,
                                                         "skos": SKOS})]
    assert orphans == []


def test_cooperation_area_scheme_follows_the_report_table(seed_build: BuildResult) -> None:
    g = seed_build.graph
    areas = set(g.subjects(RDF.type, STIG.CooperationArea))
    elements = set(g.subjects(RDF.type, STIG.KeyElement))
    assert len(elements) == 4
    # The table after para 9: 3 + 2 + 3 + 3 areas under the four key elements, plus ODA for STI.
    per_element = sorted(len(set(g.subjects(SKOS.broader, e)) & areas) for e in elements)
    assert per_element == [2, 3, 3, 3]
    assert len(areas) == 12
    assert len(set(g.subjects(RDF.type, STIG.WorkArea))) == 6
    assert len(set(g.subjects(RDF.type, STIG.SDG))) == 17
    recommendations = set(g.subjects(RDF.type, STIG.Recommendation))
    assert recommendations
    for rec in recommendations:
        assert set(g.objects(rec, STIG.addressesArea)) & areas, rec


CURATED_CLASSES = [STIG.Actor, STIG.Initiative, STIG.Membership, STIG.Figure, RDF.Statement]


@pytest.mark.parametrize("cls", CURATED_CLASSES, ids=lambda c: str(c).rsplit("/", 1)[-1])
def test_every_curated_fact_cites_a_source(seed_build: BuildResult, cls: URIRef) -> None:
    g = seed_build.graph
    query = """SELECT DISTINCT ?s WHERE { ?s a/rdfs:subClassOf* ?cls .
               FILTER NOT EXISTS { ?s dct:source ?src } }"""
    missing = [row[0] for row in g.query(query, initBindings={"cls": cls},
                                         initNs={"rdfs": RDFS, "dct": DCTERMS})]
    assert missing == []
    instances = set(g.query("SELECT ?s WHERE { ?s a/rdfs:subClassOf* ?cls }",
                            initBindings={"cls": cls}, initNs={"rdfs": RDFS}))
    assert instances, f"no {cls} in the seed graph"


def test_report_sources_are_paragraphs_of_the_report(seed_build: BuildResult) -> None:
    g = seed_build.graph
    paragraphs = set(g.subjects(RDF.type, STIG.ReportParagraph))
    assert paragraphs
    numbers = {int(str(g.value(p, STIG.paragraph)).split("-")[0]) for p in paragraphs}
    # The report has 49 paragraphs and fewer than 40 footnotes.
    assert min(numbers) >= 1 and max(numbers) <= 49


def _m49_rows(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / "countries_m49" / "unsd_m49_overview_en_2024.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["ISO-alpha2 Code"].strip()]


def test_every_m49_country_with_its_flags(seed_build: BuildResult, shared_data: Path) -> None:
    """Countries and LDC/LLDC/SIDS groups against the UN M49 file, read independently."""
    g = seed_build.graph
    rows = _m49_rows(shared_data)
    countries = {str(g.value(c, STIG.iso2)) for c in g.subjects(RDF.type, STIG.Country)}
    assert {r["ISO-alpha2 Code"] for r in rows} <= countries
    for flag, group in (("Least Developed Countries (LDC)", "ldc"),
                        ("Land Locked Developing Countries (LLDC)", "lldc"),
                        ("Small Island Developing States (SIDS)", "sids")):
        expected = {country_iri(r["ISO-alpha2 Code"]) for r in rows if r[flag].strip()}
        assert set(g.objects(group_iri(group), SKOS.member)) == expected, group


def test_income_group_history_matches_the_world_bank_panel(seed_build: BuildResult,
                                                           shared_data: Path) -> None:
    """Every (country, fiscal year, group) against the World Bank panel, read independently."""
    names = {"Low income": "L", "Lower middle income": "LM", "Upper middle income": "UM",
             "High income": "H"}
    iso3_to_iso2 = {r["ISO-alpha3 Code"]: r["ISO-alpha2 Code"] for r in _m49_rows(shared_data)}
    path = shared_data / "worldbank_income" / "wb_income_class_history_panel_FY1989_FY2026.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        expected = {(iso3_to_iso2[r["code"]], int(r["year_fiscal"]),
                     names[r["incgroup_historical"]])
                    for r in csv.DictReader(handle)
                    if r["code"] in iso3_to_iso2 and r["incgroup_historical"] in names}
    g = seed_build.graph
    query = """SELECT ?iso2 ?year ?code WHERE { ?grp stig:fiscalYear ?year ;
               stig:incomeGroup ?code ; skos:member ?country . ?country stig:iso2 ?iso2 }"""
    got = {(str(iso2), int(str(year)), str(code))  # type: ignore[misc]
           for iso2, year, code in g.query(query, initNs={"stig": STIG, "skos": SKOS})}
    assert len(expected) > 7000
    assert got == expected
    assert ("KE", 2016, "LM") in got and ("KE", 2015, "L") in got  # Kenya's move up, FY2016
