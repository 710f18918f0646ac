"""Evidence layers and ``stigraph partners`` against counts made straight from the source
files with the csv module (and hand-computed answers on tiny consortia)."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stigraph.build.builder import build_graph
from stigraph.cli import main
from stigraph.importers import import_cordis, import_gcf, import_openalex
from stigraph.projection.evidence import (
    Consortium,
    EvidenceOptions,
    Layer,
    Participant,
    _country_pairs,
    _organisation_pairs,
    coauthorship_layer,
    cordis_layer,
    gcf_layer,
    parse_layers,
)
from stigraph.projection.partners import partner_rows, resolve_entity
from stigraph.queries.sparql import run_sparql
from stigraph.resources import shipped_data_dir
from stigraph.vocab.namespaces import country_iri

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

CORDIS = TESTS / "data" / "cordis"
def _rows(path: Path) -> list[dict[str, str]]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CODES = {"EL": "GR", "UK": "GB"}
#: The country codes the graph knows (the importer keeps other codes without a country).
KNOWN = {r["iso2"] for r in _rows(REPO / "seeds" / "countries.csv")}
C = "https://w3id.org/stigraph/id/country/"


class Direct:
    """Shared-project counts per country pair computed straight from CORDIS CSV files."""

    def __init__(self, organisations: Path, projects: Path) -> None:
        start = {r["projectID"]: r["startDate"][:4] for r in _rows(projects)}
        self.orgs: dict[str, dict[str, str]] = defaultdict(dict)  # project -> PIC -> country
        for r in _rows(organisations):
            code = r["country"].strip()
            code = CODES.get(code, code)
            self.orgs[r["projectID"]][r["organisationID"]] = code if code in KNOWN else ""
        self.year = {p: int(start[p]) if start.get(p) else None for p in self.orgs}

    def pairs(self) -> tuple[Counter[tuple[str, str, int | None]],
                             dict[tuple[str, str, int | None], float]]:
        full: Counter[tuple[str, str, int | None]] = Counter()
        frac: dict[tuple[str, str, int | None], float] = defaultdict(float)
        for project, orgs in self.orgs.items():
            n = len(orgs)
            per = Counter(c for c in orgs.values() if c)
            for a in per:
                for b in per:
                    if a < b:
                        full[(a, b, self.year[project])] += 1
                        frac[(a, b, self.year[project])] += per[a] * per[b] / (n - 1)
        return full, frac

    def partners(self, country: str) -> dict[str, tuple[int, float, int, int]]:
        """Partner -> (projects, fractional, first year, last year)."""
        out: dict[str, list[Any]] = {}
        for project, orgs in self.orgs.items():
            per = Counter(c for c in orgs.values() if c)
            if country not in per:
                continue
            n, year = len(orgs), self.year[project]
            for other, k in per.items():
                if other == country:
                    continue
                slot = out.setdefault(other, [0, 0.0, year, year])
                slot[0] += 1
                slot[1] += per[country] * k / (n - 1)
                slot[2], slot[3] = min(slot[2], year), max(slot[3], year)
        return {k: (v[0], v[1], v[2], v[3]) for k, v in out.items()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("evidence")
    import_cordis(CORDIS, out / "cordis.nt")
    return build_graph(store="oxigraph", include=[out / "cordis.nt"]).graph


@pytest.fixture(scope="module")
def direct() -> Direct:
    return Direct(CORDIS / "organization.csv", CORDIS / "project.csv")


def _code(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


# ---- hand-computed ----------------------------------------------------------------------------


def _consortium(*members: tuple[str, str | None, bool]) -> Consortium:
    return Consortium("p", 2023, [Participant(a, c, coord, 10.0) for a, c, coord in members])


def test_fractional_counting_by_hand() -> None:
    # four organisations: two Kenyan, one German (coordinator), one French
    c = _consortium(("ke1", C + "KE", False), ("ke2", C + "KE", False),
                    ("de1", C + "DE", True), ("fr1", C + "FR", False))
    countries = Layer("cordis", "countries", "projects")
    _country_pairs(countries, c, None)
    got = {(_code(a), _code(b)): v[2023] for (a, b), v in countries.pairs.items()}
    # KE–DE: 2·1/(4-1); DE–FR: 1·1/3; no KE–KE self-link
    assert sorted(got) == [("DE", "FR"), ("DE", "KE"), ("FR", "KE")]
    assert got[("DE", "KE")].full == 1 and got[("DE", "KE")].fractional == pytest.approx(2 / 3)
    assert got[("DE", "FR")].fractional == pytest.approx(1 / 3)
    assert got[("DE", "KE")].amount == 30.0 and got[("DE", "KE")].coordinated == 1
    assert got[("FR", "KE")].coordinated == 0
    orgs = Layer("cordis", "organisations", "projects")
    _organisation_pairs(orgs, c, None)
    assert len(orgs.pairs) == 6  # the two Kenyan organisations are a pair too
    # each organisation's fractional links in one project sum to 1
    strength: Counter[str] = Counter()
    for (a, b), years in orgs.pairs.items():
        strength[a] += years[2023].fractional
        strength[b] += years[2023].fractional
    assert all(v == pytest.approx(1.0) for v in strength.values())


def test_layer_names_are_checked() -> None:
    assert parse_layers("openalex,cordis") == ("cordis", "openalex")
    with pytest.raises(Exception, match="unknown evidence layer wos"):
        parse_layers("wos")
    with pytest.raises(Exception, match="country-level evidence only"):
        parse_layers("gcf", "organisations")


# ---- the CORDIS sample against the CSV ----------------------------------------------------------


def test_country_pairs_per_year_match_the_csv(sample: Any, direct: Direct) -> None:
    full, frac = direct.pairs()
    layer = cordis_layer(sample, "countries")
    got_full = {(_code(a), _code(b), y): v.full for (a, b), years in layer.pairs.items()
                for y, v in years.items()}
    got_frac = {(_code(a), _code(b), y): v.fractional for (a, b), years in layer.pairs.items()
                for y, v in years.items()}
    assert got_full == dict(full) and len(full) > 100
    assert got_frac == pytest.approx(dict(frac))
    assert layer.projects == len(direct.orgs)
    assert layer.largest == max(len(o) for o in direct.orgs.values())


@pytest.mark.parametrize("country", ["KE", "ZA", "UG", "NG"])
def test_partners_of_developing_countries_match_the_csv(sample: Any, direct: Direct,
                                                        country: str) -> None:
    expected = direct.partners(country)
    assert expected, f"{country} has no partners in the sample"
    rows = partner_rows(sample, str(country_iri(country)), layers="cordis")
    got = {r["code"]: (r["projects"], r["projects_fractional"], r["first_year"],
                       r["last_year"]) for r in rows}
    assert got.keys() == expected.keys()
    for code, (projects, fractional, first, last) in expected.items():
        assert got[code][0] == projects and got[code][2:] == (first, last)
        assert got[code][1] == pytest.approx(fractional, abs=1e-6)
    # ranked by shared projects (the only layer), ties by code
    ranking = sorted(expected, key=lambda k: (-expected[k][0], k))
    assert [r["code"] for r in rows] == ranking


def test_fractional_counting_ranks_by_fractional_projects(sample: Any, direct: Direct) -> None:
    expected = direct.partners("KE")
    rows = partner_rows(sample, str(country_iri("KE")), layers="cordis", counting="fractional")
    ranking = sorted(expected, key=lambda k: (-round(expected[k][1], 9), -expected[k][0], k))
    assert [r["code"] for r in rows] == ranking


def test_since_as_of_and_by_year(sample: Any, direct: Direct) -> None:
    ke = str(country_iri("KE"))
    years = sorted({direct.year[p] for p, o in direct.orgs.items() if "KE" in o.values()})
    assert len(years) >= 2
    last = years[-1]
    rows = partner_rows(sample, ke, layers="cordis", since=last)
    expected = Counter(c for p, o in direct.orgs.items() if "KE" in o.values()
                       and direct.year[p] == last for c in set(o.values()) - {"KE", ""})
    assert {r["code"]: r["projects"] for r in rows} == dict(expected)
    # nothing counted before it started: as of the year before the first start, no partners
    early = EvidenceOptions(as_of=f"{years[0] - 1}-12-31")
    assert partner_rows(sample, ke, layers="cordis", options=early) == []
    series = partner_rows(sample, ke, layers="cordis", by_year=True)
    by_year = Counter()
    for r in series:
        by_year[(r["code"], r["year"])] += r["projects"]
    assert sum(by_year.values()) == sum(v[0] for v in direct.partners("KE").values())


def test_organisation_partners_of_a_pic(sample: Any, direct: Direct) -> None:
    # the organisation in most projects of the sample
    counts = Counter(pic for orgs in direct.orgs.values() for pic in orgs)
    pic, _ = counts.most_common(1)[0]
    entity = resolve_entity(sample, pic)
    expected: Counter[str] = Counter()
    for orgs in direct.orgs.values():
        if pic in orgs:
            expected.update(set(orgs) - {pic})
    rows = partner_rows(sample, entity, kind="organisations", layers="cordis")
    # partners by PIC (organisations matched to a seed actor have the seed's IRI)
    got = {r["partner"]: r["projects"] for r in rows}
    assert sum(got.values()) == sum(expected.values())
    assert sorted(got.values()) == sorted(expected.values())


def test_a_countrys_partner_organisations(sample: Any, direct: Direct) -> None:
    expected: Counter[str] = Counter()
    for orgs in direct.orgs.values():
        kenyan = {p for p, c in orgs.items() if c == "KE"}
        if kenyan:
            expected.update(set(orgs) - kenyan)  # a project once per partner
    rows = partner_rows(sample, str(country_iri("KE")), kind="organisations", layers="cordis")
    assert sorted(r["projects"] for r in rows) == sorted(expected.values())


def test_the_named_query_gives_the_library_rows(sample: Any) -> None:
    for country in ("KE", "ZA"):
        rows = partner_rows(sample, str(country_iri(country)), layers="cordis")
        query = run_sparql(sample, "partners-cordis", {"entity": country})
        assert {(r["partner"], r["projects"], r["first_year"], r["last_year"]) for r in rows} \
            == {(q["partner"], q["projects"], q["first_year"], q["last_year"]) for q in query}


def test_memory_and_oxigraph_stores_agree(tmp_path: Path) -> None:
    import_cordis(CORDIS, tmp_path / "c.nt")
    graphs = [build_graph(store=s, include=[tmp_path / "c.nt"]).graph
              for s in ("memory", "oxigraph")]
    rows = [partner_rows(g, str(country_iri("KE"))) for g in graphs]
    assert rows[0] == rows[1] and rows[0]


def test_cli_partners_top_matches_the_csv(tmp_path: Path, direct: Direct) -> None:
    import_cordis(CORDIS, tmp_path / "c.nt")
    result = CliRunner().invoke(main, ["partners", "KE", "--include", str(tmp_path / "c.nt"),
                                       "--source", "cordis", "--top", "3", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = direct.partners("KE")
    top = sorted(expected, key=lambda k: (-expected[k][0], k))[:3]
    assert [(r["code"], int(r["projects"])) for r in rows] == [(k, expected[k][0]) for k in top]


def test_cli_rejects_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["partners", "XX"])
    assert bad.exit_code == 2 and "unknown country code 'XX'" in bad.output
    pic = runner.invoke(main, ["partners", "123456789"])
    assert pic.exit_code == 2 and "no organisation with CORDIS PIC 123456789" in pic.output
    gcf = runner.invoke(main, ["partners", "KE", "--kind", "organisations", "--source", "gcf"])
    assert gcf.exit_code == 2 and "country-level evidence only" in gcf.output
    top = runner.invoke(main, ["partners", "KE", "--top", "0", "--out",
                               str(tmp_path / "p.json")])
    assert top.exit_code == 2 and not (tmp_path / "p.json").exists()


# ---- OpenAlex and GCF samples against their CSV -------------------------------------------------


def test_openalex_works_per_pair_and_year(tmp_path: Path) -> None:
    folder = TESTS / "data" / "openalex-history"
    import_openalex(folder, tmp_path / "o.nt")
    graph = build_graph(store="oxigraph", include=[tmp_path / "o.nt"]).graph
    layer = coauthorship_layer(graph)
    got = {(_code(a), _code(b), y): v.full for (a, b), years in layer.pairs.items()
           for y, v in years.items()}
    expected: dict[tuple[str, str, int], float] = {}
    for r in _rows(next(folder.glob("*edges*.csv"))):
        a, b = sorted((r["iso2_a"], r["iso2_b"]))
        if a != b:
            key = (a, b, int(r["year"]))
            expected[key] = expected.get(key, 0) + float(r["coauthored_works"])
    assert got == expected and len(expected) > 100
    rows = partner_rows(graph, str(country_iri("KE")), layers="openalex", since=2010)
    works = Counter()
    for (a, b, year), n in expected.items():
        if "KE" in (a, b) and year >= 2010:
            works[b if a == "KE" else a] += n
    assert {r["code"]: r["works"] for r in rows} == dict(works)


def test_gcf_multi_country_projects(tmp_path: Path) -> None:
    folder = TESTS / "data" / "gcf" / "csv"
    import_gcf(folder, tmp_path / "g.nt")
    graph = build_graph(store="oxigraph", include=[tmp_path / "g.nt"]).graph
    iso2 = {r["iso3"]: r["iso2"] for r in _rows(REPO / "seeds" / "countries.csv")}
    countries: dict[str, set[str]] = defaultdict(set)
    for r in _rows(folder / "gcf_project_countries.csv"):
        countries[r["ApprovedRef"]].add(iso2[r["ISO3"]])
    expected: Counter[tuple[str, str]] = Counter()
    for cs in countries.values():
        for a in cs:
            for b in cs:
                if a < b:
                    expected[(a, b)] += 1
    layer = gcf_layer(graph)
    got = {(_code(a), _code(b)): sum(v.full for v in years.values())
           for (a, b), years in layer.pairs.items()}
    assert got == dict(expected)


# ---- the full Horizon Europe data (shipped extract) ---------------------------------------------


def _full_graph(tmp_path: Path) -> Iterator[Any]:
    folder = shipped_data_dir() / "cordis_horizon_europe"
    import_cordis(folder, tmp_path / "he.nt")
    yield build_graph(store="oxigraph", include=[tmp_path / "he.nt"]).graph


@pytest.mark.slow
def test_full_horizon_europe_top_partners_match_the_csv(tmp_path: Path) -> None:
    folder = shipped_data_dir() / "cordis_horizon_europe"
    direct = Direct(folder / "he_organization.csv.gz", folder / "he_project.csv.gz")
    graph = next(_full_graph(tmp_path))
    for country in ("KE", "ET", "GH", "IN"):
        expected = direct.partners(country)
        top = sorted(expected, key=lambda k: (-expected[k][0], k))[:5]
        result = CliRunner().invoke(main, ["partners", country, "--source", "cordis",
                                           "--top", "5", "--format", "json",
                                           "--include", str(tmp_path / "he.nt")])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert [(r["code"], r["projects"]) for r in rows] == \
            [(k, expected[k][0]) for k in top]
        for r in rows:
            assert r["projects_fractional"] == pytest.approx(expected[r["code"]][1], abs=1e-5)
    # an organisation matched to a seed actor is found by its PIC (UNEP, Nairobi)
    pics = {r["organisationID"] for r in _rows(folder / "he_organization.csv.gz")
            if r["name"] == "UNITED NATIONS ENVIRONMENT PROGRAMME"}
    assert len(pics) == 1
    assert resolve_entity(graph, pics.pop()) == "https://w3id.org/stigraph/id/actor/unep"
    # the country pairs per year of the whole programme
    full, frac = direct.pairs()
    layer = cordis_layer(graph, "countries")
    got = {(_code(a), _code(b), y): v.full for (a, b), years in layer.pairs.items()
           for y, v in years.items()}
    assert got == dict(full)
    got_frac = {(_code(a), _code(b), y): v.fractional
                for (a, b), years in layer.pairs.items() for y, v in years.items()}
    assert got_frac == pytest.approx(dict(frac))


def test_available_layers(sample: Any) -> None:
    from stigraph.projection.evidence import available_layers, resolve_evidence

    assert available_layers(sample) == ("cordis", "memberships")
    assert resolve_evidence(sample, None) == ("cordis", "memberships")
    assert resolve_evidence(sample, "openalex,cordis") == ("cordis", "openalex")


def test_evidence_network_combines_layers_by_hand() -> None:
    from stigraph.projection.evidence import PairCount, evidence_network

    cordis = Layer("cordis", "countries", "projects")
    cordis.count("A", "B", 2022, PairCount(full=10))
    cordis.count("A", "C", 2023, PairCount(full=5))
    works = Layer("openalex", "countries", "works")
    works.count("A", "C", 2023, PairCount(full=1000, fractional=1000))
    works.count("B", "C", 2023, PairCount(full=250, fractional=250))
    G = evidence_network({"cordis": cordis, "openalex": works}, nodes=["A", "B", "C", "D"])
    # each layer divided by its strongest pair, then summed
    assert G["A"]["B"]["weight"] == 1.0
    assert G["A"]["C"]["weight"] == pytest.approx(0.5 + 1.0)
    assert G["B"]["C"]["weight"] == pytest.approx(0.25)
    assert G["A"]["C"]["cordis"] == 5 and G["A"]["C"]["openalex"] == 1000
    assert "D" in G and G.degree("D") == 0


def test_shared_memberships_match_the_members_query(sample: Any) -> None:
    """Shared memberships of Kenya against the ``members`` query run per organisation."""
    from stigraph.vocab.namespaces import STIG

    ke = str(country_iri("KE"))
    organisations = sorted({str(o) for o in sample.objects(None, STIG.organisation)
                            if "/id/project/" not in str(o)})
    expected: Counter[str] = Counter()
    for organisation in organisations:
        members = {r["member"] for r in run_sparql(sample, "members",
                                                   {"organisation": organisation})}
        if ke in members:
            expected.update(m for m in members - {ke} if m.startswith(C))
    assert expected
    rows = partner_rows(sample, ke, layers="memberships")
    assert {r["partner"]: r["shared_memberships"] for r in rows} == dict(expected)


def test_analysis_inputs_build_the_country_network_from_evidence(sample: Any) -> None:
    from stigraph.analytics.centrality import pagerank
    from stigraph.projection.evidence import combined_weights, evidence_layers
    from stigraph.projection.inputs import AnalysisInputs

    auto = AnalysisInputs(sample)  # the graph holds CORDIS: evidence by default
    assert auto.evidence_layers is not None
    assert set(auto.evidence_layers) == {"cordis", "memberships"}
    expected = combined_weights(evidence_layers(sample, ("cordis", "memberships")))
    G = auto.country_country
    assert {(a, b) if a < b else (b, a): d["weight"] for a, b, d in G.edges(data=True)} \
        == pytest.approx({pair: v["weight"] for pair, v in expected.items()})
    assert G.graph["evidence"] == "cordis,memberships"
    # memberships alone: the same countries, other links, other ranks
    only = AnalysisInputs(sample, evidence="memberships").country_country
    assert set(only) == set(G) and only.number_of_edges() != G.number_of_edges()
    ranks = [sorted(pr, key=lambda v: (-pr[v], v)) for pr in (pagerank(G), pagerank(only))]
    assert ranks[0][:10] != ranks[1][:10]
    # with an area the projection queries are used (the evidence is not per area)
    assert AnalysisInputs(sample, area="research-collaboration").evidence_layers is None


def test_seed_graph_keeps_the_membership_projection(seed_build: Any) -> None:
    from stigraph.projection.inputs import AnalysisInputs

    assert AnalysisInputs(seed_build.graph).evidence_layers is None


def test_programme_filter_matches_the_csv(sample: Any) -> None:
    basis = {r["projectID"]: r["legalBasis"] for r in _rows(CORDIS / "project.csv")}
    countries: dict[str, set[str]] = defaultdict(set)
    for r in _rows(CORDIS / "organization.csv"):
        if basis[r["projectID"]].startswith("HORIZON.2."):
            code = CODES.get(r["country"], r["country"])
            countries[r["projectID"]].add(code if code in KNOWN else "")
    expected: Counter[str] = Counter()
    for codes in countries.values():
        if "KE" in codes:
            expected.update(codes - {"KE", ""})
    rows = partner_rows(sample, str(country_iri("KE")), layers="cordis",
                        options=EvidenceOptions(programme="HORIZON.2"))
    assert {r["code"]: r["projects"] for r in rows} == dict(expected) and expected
