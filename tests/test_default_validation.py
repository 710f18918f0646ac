"""The default graph's validation covers the shipped data too: a broken imported fact of each
shipped data set is caught by the shapes, on the SPARQL engine the large graph uses.

A slice of every shipped extract (the first rows, projects and their participations kept
together) is imported into the seed graph exactly as the default build does
(:func:`stigraph.build.defaultdata.load_shipped_data`); the graph conforms; then one fact of
each data set is broken and exactly those facts are reported.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from stigraph import resources
from stigraph.build.builder import build_graph
from stigraph.build.defaultdata import SHIPPED_SETS, load_shipped_data
from stigraph.store import store_of
from stigraph.validate.shacl import validate_graph
from stigraph.vocab.namespaces import DCTERMS, RDF, STIG

ID = "https://w3id.org/stigraph/id/"


def _slice(source: Path, target: Path, keep: int, *, column: str | None = None,
           wanted: set[str] | None = None) -> set[str]:
    """The first ``keep`` rows of a shipped ``.csv.gz`` (or the rows whose ``column`` is in
    ``wanted``) into ``target``; the values of the first column kept."""
    kept: set[str] = set()
    rows_kept = 0
    with gzip.open(source, "rt", encoding="utf-8", newline="") as read, \
            gzip.open(target, "wt", encoding="utf-8", newline="") as write:
        rows = csv.DictReader(read)
        out = csv.DictWriter(write, fieldnames=list(rows.fieldnames or []))
        out.writeheader()
        for row in rows:
            if (wanted is not None and column is not None and row[column] not in wanted) or (
                    wanted is None and rows_kept >= keep):
                continue
            out.writerow(row)
            rows_kept += 1
            kept.add(next(iter(row.values())))
    return kept


@pytest.fixture(scope="module")
def sliced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = resources.shipped_data_dir()
    out = tmp_path_factory.mktemp("shipped")
    for name in SHIPPED_SETS:
        (out / name).mkdir()
    he = root / "cordis_horizon_europe"
    projects = _slice(he / "he_project.csv.gz", out / he.name / "he_project.csv.gz", 40)
    for part in ("he_organization", "he_euroscivoc"):
        _slice(he / f"{part}.csv.gz", out / he.name / f"{part}.csv.gz", 0,
               column="projectID", wanted=projects)
    gcf = root / "gcf"
    refs = _slice(gcf / "gcf_projects.csv.gz", out / "gcf" / "gcf_projects.csv.gz", 10)
    for part in ("gcf_project_countries", "gcf_project_entities", "gcf_project_result_areas"):
        _slice(gcf / f"{part}.csv.gz", out / "gcf" / f"{part}.csv.gz", 0,
               column="ApprovedRef", wanted=refs)
    cow = root / "cow_igo"
    igos = _slice(cow / "igos.csv.gz", out / "cow_igo" / "igos.csv.gz", 20)
    _slice(cow / "igo_membership_spells.csv.gz", out / "cow_igo" / "igo_membership_spells.csv.gz",
           0, column="igo_code", wanted=igos)
    oa = root / "openalex_country_coauthorship"
    for path in oa.glob("*.csv.gz"):
        _slice(path, out / oa.name / path.name, 300)
    return out


def _one(graph: Graph, query: str) -> URIRef:
    _vars, rows = store_of(graph).select(query, {}, {"stig": str(STIG), "rdf": str(RDF)})
    assert rows, query
    return URIRef(rows[0][0])


def test_a_broken_shipped_fact_is_caught(sliced: Path) -> None:
    graph = build_graph(store="oxigraph").graph
    load_shipped_data(store_of(graph), data_dir=sliced)
    assert validate_graph(graph, engine="sparql").conforms
    coauthorship = _one(graph, 'SELECT ?s WHERE { ?s stig:measure "coauthored-works" } '
                               "ORDER BY ?s LIMIT 1")
    participation = _one(graph, f"SELECT ?m WHERE {{ ?m a stig:Participation ; "
                                f'stig:organisation ?p FILTER(STRSTARTS(STR(?p), "{ID}project/'
                                'cordis-")) } ORDER BY ?m LIMIT 1')
    spell = _one(graph, f"SELECT ?m WHERE {{ ?m stig:organisation ?o "
                        f'FILTER(STRSTARTS(STR(?o), "{ID}actor/cow-")) }} ORDER BY ?m LIMIT 1')
    gcf = _one(graph, f"SELECT ?m WHERE {{ ?m stig:organisation ?p "
                      f'FILTER(STRSTARTS(STR(?p), "{ID}project/gcf-")) }} ORDER BY ?m LIMIT 1')
    graph.remove((coauthorship, DCTERMS.source, None))          # a statement without source
    graph.remove((participation, STIG.role, None))              # a participation without role
    graph.add((spell, STIG.startDate, Literal("around 1950")))  # an ill-formed date
    graph.add((gcf, STIG.provenance, STIG.Guessed))             # an unknown provenance
    report = validate_graph(graph, engine="sparql")
    assert not report.conforms
    found = {(v.focus, v.path.rsplit("/", 1)[-1]) for v in report.violations}
    assert found == {(str(coauthorship), ""), (str(participation), "role"),
                     (str(spell), "startDate"), (str(gcf), "provenance")}, found
