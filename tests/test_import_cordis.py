"""CORDIS importer on the real sample in tests/data/cordis, checked against the csv module."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from stigraph.importers import import_cordis
from stigraph.importers.common import load_triples
from stigraph.importers.cordis import CORDIS_COUNTRY_CODES, iso_country
from stigraph.projection.coparticipation import cooperation_weights
from stigraph.vocab.namespaces import actor_iri, country_iri

DATA = Path(__file__).resolve().parent / "data" / "cordis"
PREFIX = "PREFIX stig: <https://w3id.org/stigraph/ontology/>\n"


def _org_rows() -> list[dict[str, str]]:
    with (DATA / "organization.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))  # text cells: "NA" stays Namibia


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, object]:
    out = tmp_path_factory.mktemp("cordis") / "cordis.nt"
    # Without seed matching every organisation keeps its PIC IRI and CORDIS country.
    result = import_cordis(DATA, out, rejects=out.with_suffix(".rejects.csv"),
                           match_seeds=False)
    graph = load_triples(out.read_text(encoding="utf-8").splitlines(keepends=True),
                         store="oxigraph")
    return graph, result


def test_counts_match_the_csv(imported: tuple[Graph, object]) -> None:
    graph, result = imported
    rows = _org_rows()
    with (DATA / "project.csv").open(encoding="utf-8", newline="") as handle:
        projects = {r["projectID"] for r in csv.DictReader(handle)}
    count = int(next(iter(graph.query(
        PREFIX + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a stig:Participation }")))[0])
    assert count == len(rows)
    n_projects = int(next(iter(graph.query(
        PREFIX + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a stig:Project }")))[0])
    assert n_projects == len(projects)
    assert result.stats.counts["participations"] == len(rows)  # type: ignore[attr-defined]


def test_participations_per_country(imported: tuple[Graph, object]) -> None:
    graph, _ = imported
    known = {"GR" if c == "EL" else "GB" if c == "UK" else c for c in
             (r["country"] for r in _org_rows())} - {"", "XH"}
    expected = Counter(iso_country(r["country"]) for r in _org_rows()
                       if iso_country(r["country"]) in known)
    got = {str(row[0]).rsplit("/", 1)[-1]: int(row[1]) for row in graph.query(PREFIX + """
        SELECT ?c (COUNT(?p) AS ?n) WHERE {
          ?p a stig:Participation ; stig:member ?o . ?o stig:headquarteredIn ?c }
        GROUP BY ?c""")}
    assert got == dict(expected)
    assert "NA" in got  # Namibia is a country code, not a missing value
    assert "GR" in got and "EL" not in got and "GB" in got and "UK" not in got


def test_kenyan_partners(imported: tuple[Graph, object]) -> None:
    """Who cooperates with Kenyan organisations: the other members of their projects."""
    graph, _ = imported
    rows = _org_rows()
    kenyan_projects = {r["projectID"] for r in rows if r["country"] == "KE"}
    expected = {r["organisationID"] for r in rows
                if r["projectID"] in kenyan_projects and r["country"] != "KE"}
    kenya = f"<{country_iri('KE')}>"
    got = {str(row[0]) for row in graph.query(PREFIX + f"""
        SELECT DISTINCT ?partner WHERE {{
          ?ke stig:headquarteredIn {kenya} ; stig:participatesIn ?project .
          ?partner stig:participatesIn ?project .
          FILTER NOT EXISTS {{ ?partner stig:headquarteredIn {kenya} }}
        }}""")}
    # Seed-matched organisations carry the seed's IRI; compare the rest by PIC.
    pics = {iri.rsplit("pic-", 1)[-1] for iri in got if "/actor/pic-" in iri}
    assert pics <= expected
    assert len(got) == len(expected)


def test_coordinators_and_top_partner_countries(imported: tuple[Graph, object]) -> None:
    graph, _ = imported
    rows = _org_rows()
    coordinators = Counter(iso_country(r["country"]) for r in rows if r["role"] == "coordinator")
    got = Counter({str(r[0]).rsplit("/", 1)[-1]: int(r[1]) for r in graph.query(PREFIX + """
        SELECT ?c (COUNT(?project) AS ?n) WHERE { ?o stig:coordinates ?project ;
          stig:headquarteredIn ?c } GROUP BY ?c""")})
    assert got == Counter({k: v for k, v in coordinators.items() if k not in ("", "XH")})


def test_country_co_participation_weights(imported: tuple[Graph, object]) -> None:
    graph, _ = imported
    by_project: dict[str, set[str]] = {}
    for r in _org_rows():
        code = iso_country(r["country"])
        if code and code != "XH":
            by_project.setdefault(r["projectID"], set()).add(code)
    expected: Counter[tuple[str, str]] = Counter()
    for codes in by_project.values():
        for a in codes:
            for b in codes:
                if a < b:
                    expected[(a, b)] += 1
    weights = cooperation_weights(graph, level="country", by_year=False)
    got = {(w.a.rsplit("/", 1)[-1], w.b.rsplit("/", 1)[-1]): w.projects for w in weights}
    assert got == dict(expected)


def test_rejects_report_unknown_and_missing_countries(imported: tuple[Graph, object]) -> None:
    _, result = imported
    reasons = result.rejects.counts  # type: ignore[attr-defined]
    rows = _org_rows()
    # Kosovo (XK) is an area of the seeds (flagged not in UN M49), so it is not rejected.
    assert any(r["country"] == "XK" for r in rows)
    assert reasons["unknown-country"] == len({r["organisationID"] for r in rows
                                              if r["country"] == "XH"})
    assert reasons["missing-country"] == len({r["organisationID"] for r in rows
                                              if r["country"] == ""})
    assert result.rejects.rejected == 0  # type: ignore[attr-defined]


def test_country_crosswalk() -> None:
    assert CORDIS_COUNTRY_CODES == {"EL": "GR", "UK": "GB"}
    assert iso_country("el") == "GR" and iso_country("NA") == "NA"


def test_seed_actors_are_matched(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "actors-test.csv").write_text(
        "id,name,acronym,kind,hq_country,source\n"
        "cern,European Organization for Nuclear Research,CERN,IntergovernmentalOrganisation,"
        "CH,para 11\n", encoding="utf-8")
    out = tmp_path / "cordis.ttl"
    result = import_cordis(DATA, out, seed_dirs=[seeds], store="memory")
    matched = {m["seed_actor"]: m for m in result.matches}
    assert matched["cern"]["source_id"] == "999988133"
    assert matched["cern"]["rule"] == "short name"
    graph = Graph().parse(out, format="turtle")
    cern = URIRef(actor_iri("cern"))
    cern_rows = [r for r in _org_rows() if r["organisationID"] == "999988133"]
    projects = set(graph.objects(cern, URIRef("https://w3id.org/stigraph/ontology/participatesIn")))
    assert len(projects) == len({r["projectID"] for r in cern_rows}) > 0
    assert (URIRef(actor_iri("pic-999988133")), None, None) not in graph


def test_matcher_rules() -> None:
    from stigraph.importers.matching import SeedActor, SeedMatcher

    matcher = SeedMatcher([
        SeedActor("eureka", "Eureka", "EUREKA", "BE"),
        SeedActor("cgiar-ilri", "International Livestock Research Institute", "ILRI", "KE"),
        SeedActor("cgiar-cip", "International Potato Center", "CIP", "PE"),
        SeedActor("no-country", "Somewhere Institute", "SI", ""),
    ])
    assert matcher.match("1", "EUREKA NETWORK", "BE") == "eureka"
    assert matcher.match("2", "INTERNATIONAL LIVESTOCK RESEARCH INSTITUTE", "KE") == "cgiar-ilri"
    assert matcher.match("3", "International Livestock Research Institute", "ET") is None
    assert matcher.match("4", "CENTRO INTERNACIONAL DE LA PAPA", "PE", short_name="CIP") == (
        "cgiar-cip")
    assert matcher.match("5", "Somewhere Institute", "FR") is None
    assert [m["rule"] for m in matcher.report()] == ["acronym", "name", "name without legal form"]
