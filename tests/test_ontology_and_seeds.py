"""The ontology parses and is used consistently; the seeds are complete and sourced."""

from __future__ import annotations

import csv
from itertools import pairwise
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


def _income_groups_csv() -> dict[tuple[str, int], str]:
    with (resources.seeds_dir() / "income-groups.csv").open(encoding="utf-8", newline="") as fh:
        return {(r["iso2"], int(r["fiscal_year"])): r["income_group"] for r in csv.DictReader(fh)}


def _world_bank_history(shared_data: Path) -> dict[tuple[str, int], str]:
    """Every cell of OGHIST.xlsx's analytical history, read with openpyxl (not the generator's
    own reader): ``(World Bank code, fiscal year) -> cell text`` for the economy rows."""
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (test extra) reads the xlsx")
    book = openpyxl.load_workbook(shared_data / "worldbank_income" / "OGHIST.xlsx",
                                  read_only=True, data_only=True)
    sheet = book["Country Analytical History"]
    cells: dict[tuple[str, int], str] = {}
    years: dict[int, int] = {}
    for row in sheet.iter_rows(values_only=True):
        if row[1] == "Bank's fiscal year:":
            years = {i: 2000 + int(v[2:]) if int(v[2:]) < 50 else 1900 + int(v[2:])
                     for i, v in enumerate(row) if isinstance(v, str) and v.startswith("FY")}
        elif years and isinstance(row[0], str) and len(row[0]) == 3 and row[0].isupper():
            for i, year in years.items():
                cells[(row[0], year)] = str(row[i] or "").strip()
    book.close()
    return cells


def test_income_groups_are_what_the_world_bank_history_assigns(shared_data: Path) -> None:
    """income-groups.csv cell by cell against OGHIST.xlsx and the FY2026 CLASS list.

    A group is expected exactly where OGHIST has L, LM, UM or H for an economy with an ISO
    code in countries.csv; ``..``, blank and Yemen's ``LM*`` (two states then) give none, and
    FY2026 also needs a group in the FY2026 list (Ethiopia is "temporarily unclassified").
    """
    with (resources.seeds_dir() / "countries.csv").open(encoding="utf-8", newline="") as fh:
        iso3_to_iso2 = {r["iso3"]: r["iso2"] for r in csv.DictReader(fh)}
    history = _world_bank_history(shared_data)
    with (shared_data / "worldbank_income" / "wb_class_FY2026_list_of_economies.csv").open(
            encoding="utf-8-sig", newline="") as fh:
        fy2026 = {r["Code"]: r["Income group"] for r in csv.DictReader(fh) if r["Region"]}
    expected = {(iso3_to_iso2[code], year): group for (code, year), group in history.items()
                if code in iso3_to_iso2 and group in ("L", "LM", "UM", "H")
                and (year != 2026 or fy2026.get(code))}
    got = _income_groups_csv()
    assert got == expected
    # The unclassified years the World Bank leaves blank have no group here.
    assert ("SS", 2012) not in got and ("SS", 2013) in got  # South Sudan: first FY2013
    assert ("VE", 2021) in got and not any(("VE", y) in got for y in range(2022, 2027))
    assert ("ET", 2025) in got and ("ET", 2026) not in got
    assert ("YE", 1990) not in got and ("YE", 1991) in got
    assert ("XK", 2026) in got  # Kosovo: classified, not in M49, flagged in countries.csv
    assert ("KE", 2016, "LM") in {(*k, v) for k, v in got.items()}  # Kenya's move up, FY2016
    assert ("KE", 2015) in got and got[("KE", 2015)] == "L"


def test_income_group_history_in_the_graph_is_the_csv(seed_build: BuildResult) -> None:
    """Every (country, fiscal year, group) of the built graph is a row of income-groups.csv."""
    g = seed_build.graph
    query = """SELECT ?iso2 ?year ?code WHERE { ?grp stig:fiscalYear ?year ;
               stig:incomeGroup ?code ; skos:member ?country . ?country stig:iso2 ?iso2 }"""
    got = {(str(iso2), int(str(year))): str(code)  # type: ignore[misc]
           for iso2, year, code in g.query(query, initNs={"stig": STIG, "skos": SKOS})}
    assert len(got) > 7000
    assert got == _income_groups_csv()


def test_horizon_2020_associations_are_the_data_set(seed_build: BuildResult,
                                                    shared_data: Path) -> None:
    """memberships-horizon-2020.csv against ../shared/data/h2020_associated, row by row."""
    with (shared_data / "h2020_associated" / "h2020_associated.csv").open(
            encoding="utf-8", newline="") as fh:
        data = list(csv.DictReader(fh))
    with (resources.seeds_dir() / "memberships-horizon-2020.csv").open(
            encoding="utf-8", newline="") as fh:
        seeds = list(csv.DictReader(fh))
    assert sorted((r["iso2"], r["start_date"], r["end_date"], r["signature_date"])
                  for r in data) == sorted((r["member"], r["start"], r["end"], r["decided"])
                                           for r in seeds)
    for r in data:
        (row,) = [s for s in seeds if (s["member"], s["start"]) == (r["iso2"], r["start_date"])]
        assert row["source"].split(";")[0] == r["source_url"]
        assert row["organisation"] == "horizon-2020" and row["role"] == "associate-member"
    # 16 countries (Switzerland twice: partial, then full association), all in the graph
    g = seed_build.graph
    members = {str(g.value(m, STIG.member)).rsplit("/", 1)[-1]
               for m in g.subjects(STIG.organisation, URIRef(
                   "https://w3id.org/stigraph/id/initiative/horizon-2020"))}
    assert members == {r["iso2"] for r in data} and len(members) == 16


def test_framework_programmes_succeed_each_other(seed_build: BuildResult) -> None:
    g = seed_build.graph
    base = "https://w3id.org/stigraph/id/initiative/"
    chain = [URIRef(base + slug) for slug in ("fp7", "horizon-2020", "horizon-europe")]
    for earlier, later in pairwise(chain):
        assert (later, STIG.succeeds, earlier) in g
        # a successor starts the day after its predecessor ends
        end, start = str(g.value(earlier, STIG.endDate)), str(g.value(later, STIG.startDate))
        assert end[:4] == str(int(start[:4]) - 1) and end[4:] == "-12-31" and start[4:] == "-01-01"


def test_gcf_countries_added_later_start_with_the_board_decision(shared_data: Path) -> None:
    """India joined FP099 by decision B.34/16 of 14 Nov 2022, not at the 2018 approval."""
    with (shared_data / "gcf" / "gcf_projects.csv").open(encoding="utf-8", newline="") as fh:
        approved = {r["ApprovedRef"]: r["ApprovalDate"][:10] for r in csv.DictReader(fh)}
    with (resources.seeds_dir() / "memberships-gcf.csv").open(encoding="utf-8",
                                                                newline="") as fh:
        rows = list(csv.DictReader(fh))
    added = [r for r in rows if "added to the project by Board decision" in r["note"]]
    assert added
    for r in added:
        ref = r["note"].split(":")[0]
        assert r["start"] != approved[ref], r  # never the project's approval date
    (india,) = [r for r in rows if r["member"] == "IN" and r["note"].startswith("FP099:")]
    assert india["start"] == "2022-11-14" and "b34-16" in india["source"]
    # every other row starts at its project's approval
    others = [r for r in rows if r not in added]
    assert all(r["start"] == approved[r["note"].split(":")[0]] for r in others)


def test_kosovo_is_an_area_not_in_m49(seed_build: BuildResult) -> None:
    """XK is in the seeds (CORDIS, Horizon Europe, World Bank use it) but flagged, with no M49
    code or region, so importers and `--country XK` can refer to it."""
    import json

    from click.testing import CliRunner

    from stigraph.cli import main
    from stigraph.importers.common import known_countries

    g = seed_build.graph
    xk = country_iri("XK")
    assert (xk, RDF.type, STIG.Country) in g
    assert g.value(xk, STIG.notInM49).toPython() is True  # type: ignore[union-attr]
    assert g.value(xk, STIG.m49) is None and g.value(xk, STIG.inRegion) is None
    flagged = {str(c) for c in g.subjects(STIG.notInM49, None)}
    assert flagged == {str(xk)}  # every other country or area has its M49 code
    assert "XK" in known_countries()
    result = CliRunner().invoke(main, ["recommend", "--country", "XK", "--top", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["country_label"] == "Kosovo"
