"""The real data shipped in data/: complete, attributed, reproducible, and importable.

Each extract is imported with the project's own importer and a few figures are compared with
direct counts from the public source files (the shared data folder, skipped when absent).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.util
import io
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph

from stigraph.build.builder import build_graph
from stigraph.importers import import_cordis, import_cow_igo, import_gcf, import_openalex
from stigraph.projection.coparticipation import cooperation_weights
from stigraph.queries.sparql import run_sparql
from stigraph.resources import shipped_data_dir

REPO = Path(__file__).resolve().parent.parent
SETS = ("cordis_horizon_europe", "openalex_country_coauthorship", "gcf", "cow_igo")
PREFIX = ("PREFIX stig: <https://w3id.org/stigraph/ontology/>\n"
          "PREFIX country: <https://w3id.org/stigraph/id/country/>\n")


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_shipped_data",
                                                  REPO / "tools" / "make_shipped_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))  # cells stay text: Namibia's NA is "NA"


def test_shipped_data_is_complete_attributed_and_small() -> None:
    root = shipped_data_dir()
    assert root == REPO / "data"
    assert all((root / name).is_dir() for name in SETS)
    notice = (root / "NOTICE.md").read_text(encoding="utf-8")
    for needed in ("Source: CORDIS, European Commission", "CC BY 4.0", "CC0", "Batagelj",
                   "Green Climate Fund", "Pevehouse", "doi:10.1177/0022343319881175"):
        assert needed in notice
    files = sorted(p for p in root.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    assert total < 40 * 1024 * 1024
    manifest = _csv(root / "MANIFEST.csv")
    listed = {row["file"] for row in manifest}
    assert listed == {str(p.relative_to(root)) for p in files
                      if p.name not in ("NOTICE.md", "MANIFEST.csv")}
    for row in manifest:
        data = (root / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["file"]
        text = gzip.decompress(data).decode("utf-8")
        assert sum(1 for _ in csv.reader(io.StringIO(text, newline=""))) - 1 == int(row["rows"])
    assert f"Total size: {sum(int(r['bytes']) for r in manifest):,} bytes" in notice


def test_pyproject_ships_the_data_in_the_wheel() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"data" = "stigraph/_data/data"' in text


@pytest.mark.slow
def test_script_reproduces_the_shipped_bytes(shared_data: Path, tmp_path: Path) -> None:
    tool = _tool()
    tool.make(shared_data, tmp_path / "a")
    tool.make(shared_data, tmp_path / "a")  # a re-run over its own output
    shipped = shipped_data_dir()
    made = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*")
                  if p.is_file())
    assert made == sorted(str(p.relative_to(shipped)) for p in shipped.rglob("*")
                          if p.is_file())
    for name in made:
        assert (tmp_path / "a" / name).read_bytes() == (shipped / name).read_bytes(), name


def test_script_refuses_a_foreign_folder_and_missing_sources(tmp_path: Path) -> None:
    tool = _tool()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    with pytest.raises(SystemExit, match="did not make"):
        tool.make(REPO / "tests" / "data", foreign)
    with pytest.raises(SystemExit, match="is missing"):
        tool.make(tmp_path / "nowhere", tmp_path / "out")
    assert (foreign / "keep.txt").read_text() == "mine"
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------------------------
# Figures from the shipped extracts, against the source files
# --------------------------------------------------------------------------------------------

CORDIS_CODES = {"EL": "GR", "UK": "GB"}


@pytest.mark.slow
def test_kenya_horizon_europe_from_the_shipped_extract(shared_data: Path, tmp_path: Path
                                                       ) -> None:
    result = import_cordis(shipped_data_dir() / "cordis_horizon_europe", tmp_path / "c.nt")
    assert result.rejects.rejected == 0
    graph = build_graph(store="oxigraph", include=[tmp_path / "c.nt"]).graph

    rows = _csv(shared_data / "cordis_horizon_europe" / "he_organization.csv")
    countries = {r["iso2"] for r in _csv(REPO / "seeds" / "countries.csv")}
    kenyan = [r for r in rows if r["country"] == "KE"]
    got = graph.query(PREFIX + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a stig:Participation ; "
                      "stig:member ?o . ?o stig:headquarteredIn country:KE . "
                      "?p stig:organisation ?project . ?project a stig:Project }")
    assert int(next(iter(got))[0]) == len(kenyan) > 100

    # Kenya's partner countries by shared projects: the project's own weights vs the CSV
    ke_projects = {r["projectID"] for r in kenyan}
    direct: Counter[str] = Counter()
    partners_of: dict[str, set[str]] = {}
    for r in rows:
        code = CORDIS_CODES.get(r["country"], r["country"])
        if r["projectID"] in ke_projects and code and code != "KE" and code in countries:
            partners_of.setdefault(r["projectID"], set()).add(code)
    for codes in partners_of.values():
        direct.update(codes)
    weights = cooperation_weights(graph, level="country", by_year=False)
    from_graph = Counter()
    for w in weights:
        a, b = w.a.rsplit("/", 1)[-1], w.b.rsplit("/", 1)[-1]
        if "KE" in (a, b):
            from_graph[b if a == "KE" else a] += w.projects
    assert from_graph == direct
    top = [code for code, _ in sorted(direct.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
    assert [code for code, _ in sorted(from_graph.items(),
                                       key=lambda kv: (-kv[1], kv[0]))[:5]] == top


@pytest.mark.slow
def test_igo_members_from_the_shipped_extract(shared_data: Path, tmp_path: Path) -> None:
    import_cow_igo(shipped_data_dir() / "cow_igo", tmp_path / "c.nt")
    graph = build_graph(store="oxigraph", include=[tmp_path / "c.nt"]).graph
    rows = _csv(shared_data / "cow_igo" / "igo_membership_spells.csv")
    for slug, code, year in (("oecd", "3750", 2005), ("asean", "750", 1995),
                             ("cow-1480", "1480", 2010)):  # the East African Development Bank
        direct = {r["iso2"] for r in rows if r["igo_code"] == code and r["status"] == "full"
                  # certainly a member on 1 July: started in an earlier year, ends later
                  and r["iso2"] and int(r["start_year"]) < year
                  and (not r["end_year"] or int(r["end_year"]) > year)}
        got = {r["member"].rsplit("/", 1)[-1] for r in run_sparql(
            graph, "members", {"organisation": slug, "as_of": f"{year}-07-01"})
            if r["role"] == "member" and "correlatesofwar" in str(r["sources"])}
        assert got == direct and direct, slug


@pytest.mark.slow
def test_gcf_and_openalex_from_the_shipped_extract(shared_data: Path, tmp_path: Path) -> None:
    gcf = import_gcf(shipped_data_dir() / "gcf", tmp_path / "g.nt")
    assert gcf.rejects.rejected == 0
    source = _csv(shared_data / "gcf" / "gcf_project_countries.csv")
    graph = Graph().parse(tmp_path / "g.nt", format="nt")
    got = graph.query(PREFIX + "SELECT (COUNT(DISTINCT ?project) AS ?n) WHERE { "
                      "country:KE stig:participatesIn ?project }")
    assert int(next(iter(got))[0]) == len({r["ApprovedRef"] for r in source
                                           if r["ISO3"] == "KEN"}) > 0

    import_openalex(shipped_data_dir() / "openalex_country_coauthorship", tmp_path / "o.nt",
                    from_year=2023, to_year=2023)
    edges = _csv(shared_data / "openalex_country_coauthorship"
                 / "openalex_country_coauthorship_edges_1990_2023.csv")
    direct = {frozenset((r["iso2_a"], r["iso2_b"])): int(r["coauthored_works"]) for r in edges
              if r["year"] == "2023" and "KE" in (r["iso2_a"], r["iso2_b"])}
    graph = Graph().parse(tmp_path / "o.nt", format="nt")
    rows = graph.query(PREFIX + """
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?a ?b ?v WHERE { ?s rdf:subject ?a ; rdf:object ?b ; stig:value ?v .
          FILTER(?a = country:KE || ?b = country:KE) }""")
    got = {frozenset((str(a).rsplit("/", 1)[-1], str(b).rsplit("/", 1)[-1])): int(float(v))
           for a, b, v in rows}
    kosovo = {k for k in direct if "XK" in k}
    assert got == {k: v for k, v in direct.items() if k not in kosovo}
    assert got[frozenset(("KE", "US"))] == direct[frozenset(("KE", "US"))]
