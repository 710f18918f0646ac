"""Country profiles on the seeds plus a small hand-made set of facts about Kenya
(tests/data/profile-mini.ttl), every number computed by hand from that file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stigraph.analytics import api
from stigraph.build.builder import build_graph
from stigraph.outputs.report import profiles
from stigraph.projection.evidence import EvidenceOptions
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.partners import PartnerSources, partner_rows, partners, ranked_rows
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import country_iri

TESTS = Path(__file__).resolve().parent
AS_OF = "2024-06-30"
KE = str(country_iri("KE"))


@pytest.fixture(scope="module")
def inputs() -> AnalysisInputs:
    graph = build_graph(store="oxigraph", include=[TESTS / "data" / "profile-mini.ttl"]).graph
    return AnalysisInputs(graph, as_of=AS_OF)


@pytest.fixture(scope="module")
def data(inputs: AnalysisInputs) -> profiles.ProfileData:
    return profiles.ProfileData(inputs, seed=0)


@pytest.fixture(scope="module")
def kenya(data: profiles.ProfileData) -> profiles.CountryProfile:
    return profiles.profile(data, KE)


def _part(p: profiles.CountryProfile, part_id: str) -> profiles.Part:
    return next(part for part in p.parts if part.id == part_id)


def _table(part: profiles.Part, csv: str) -> Any:
    return next(t for t in part.tables if t.csv == csv)


def test_memberships_started_by_the_date_with_roles_and_dates(
        kenya: profiles.CountryProfile) -> None:
    table = _table(_part(kenya, "memberships"), "memberships.csv")
    mine = [r for r in table.rows if str(r[0]).startswith("<script>")]
    # the associate membership starting in 2030 is after the date: left out
    assert [(r[1], r[2], r[3]) for r in mine] == [("observer", "2001", "2005"),
                                                   ("member", "2006-03-01", None)]
    # ends after the date: shown in force, its end not shown
    assert [r[1:4] for r in table.rows if r[0] == "Later Body"] == [["member", "2020-01-01", None]]
    chart = str(_part(kenya, "memberships").charts[0])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Body" in chart and "<script>" not in chart
    assert "observer 2001\u20132005" in chart and "member 2006\u2013<" in chart


def test_horizon_europe_by_year_and_role(kenya: profiles.CountryProfile) -> None:
    part = _part(kenya, "horizon-europe")
    years = _table(part, "horizon-europe-years.csv").rows
    # T1 (2022): pic-1 coordinates, 100 EUR; T2 (2023): pic-1 and pic-2, 10 + 20 EUR;
    # T3 starts in 2030, after the date
    assert years == [["2022", 1, 1, 1, 100], ["2023", 1, 2, 0, 30]]
    assert kenya.counts["projects"] == 2
    assert "take part in 2 Horizon Europe projects started from 2022 to 2023" in \
        part.paragraphs[0]


def test_partners_are_the_rows_of_stigraph_partners(data: profiles.ProfileData,
                                                    kenya: profiles.CountryProfile) -> None:
    part = _part(kenya, "partners")
    countries = _table(part, "partner-countries.csv").rows
    by_name = {r[0]: r for r in countries}
    assert by_name["Germany"][2] == 2 and by_name["Germany"][3] == 12  # projects; 5 + 7 works
    assert by_name["Germany"][6] == "2020\u20132023"
    every = {r["label"]: r for r in partner_rows(data.rdf, KE,
                                                 options=EvidenceOptions(as_of=AS_OF))}
    assert every["France"]["projects"] == 1 and every["France"]["works"] == 3
    direct = partner_rows(data.rdf, KE, options=EvidenceOptions(as_of=AS_OF), top=10)
    assert [r[0] for r in countries] == [r["label"] for r in direct]
    assert [r[1] for r in countries] == [r["weight"] for r in direct]
    orgs = {r[0]: r[2] for r in _table(part, "partner-organisations.csv").rows}
    assert orgs["German Institute"] == 2
    every = {r["label"]: r for r in partner_rows(data.rdf, KE, kind="organisations",
                                                 options=EvidenceOptions(as_of=AS_OF))}
    assert every["French University"]["projects"] == 1
    # Kenya's own organisations are not its partners
    assert "Kenyan Institute" not in every and "Kenyan Institute" not in orgs


def test_shared_sources_give_what_one_call_gives(data: profiles.ProfileData) -> None:
    shared = PartnerSources(data.rdf, EvidenceOptions(as_of=AS_OF))
    for country in ("KE", "DE", "UG"):
        iri = str(country_iri(country))
        for kind in ("countries", "organisations"):
            alone = partner_rows(data.rdf, iri, kind=kind, options=EvidenceOptions(as_of=AS_OF))
            found = partners(data.rdf, iri, kind=kind, sources=shared)
            assert ranked_rows(found, lambda k: label_of(data.rdf, k)) == alone


def test_coauthorship_per_year_up_to_the_date(kenya: profiles.CountryProfile) -> None:
    part = _part(kenya, "coauthorship")
    assert _table(part, "coauthorship.csv").rows == [["Germany", 12], ["France", 3]]
    assert "5 in 2020, 10 in 2021, with 2 partner countries" in part.paragraphs[0]
    assert kenya.counts["works"] == 15  # the 100 works of 2030 are after the date


def test_gcf_projects_with_amounts(kenya: profiles.CountryProfile) -> None:
    part = _part(kenya, "gcf")
    assert _table(part, "gcf.csv").rows == [["<b>GCF</b> test project", "2019-01-01", 1000,
                                             3000]]
    assert "USD 1,000 of GCF funding" in part.paragraphs[0]


def test_gaps_and_recommendations_are_those_of_the_commands(
        inputs: AnalysisInputs, data: profiles.ProfileData) -> None:
    countries = [KE, str(country_iri("UG"))]
    gaps = data.gaps(countries)
    direct = api.gaps_report(inputs, country="KE", kind="areas")
    assert [(g.area, g.links, g.peer_median) for g in gaps[KE] if g.status != "ok"] == \
        [(g.area, g.links, g.peer_median) for g in direct]  # type: ignore[union-attr]
    recs = data.recommendations(countries)
    for country in ("KE", "UG"):
        alone = api.recommend_report(inputs, country=country, top=10, seed=0,
                                     kinds=("actor", "initiative", "country"))
        assert [(r.target, r.rank, r.score, r.explanation)
                for r in recs[str(country_iri(country))]] == \
            [(r.target, r.rank, r.score, r.explanation) for r in alone]


def test_pages_index_and_combined_tables(data: profiles.ProfileData, tmp_path: Path) -> None:
    written, files = profiles.write_profiles(data, tmp_path, focus=KE)
    assert [p.iso2 for p in written] == ["KE"]
    page = (tmp_path / "KE.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Body" in page
    assert "&lt;b&gt;GCF&lt;/b&gt; test project" in page
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="KE.html"' in index and "OECD DAC" in index
    csv = (tmp_path / "tables" / "partner-countries.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0].startswith("country,partner country")
    assert all(line.startswith("KE,") for line in csv.splitlines()[1:])
    assert all(f.exists() for f in files)


def test_every_developing_country_by_the_definition(data: profiles.ProfileData) -> None:
    chosen = data.countries()
    assert set(chosen) == {c for c in data.definition.members if c in data.inputs.infos}
    assert KE in chosen and str(country_iri("DE")) not in chosen
