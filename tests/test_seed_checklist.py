"""The seed checklist of DESIGN.md: everything the UN report names is in the graph, cited."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from stigraph.build.builder import BuildResult
from stigraph.vocab.namespaces import DCTERMS, RDF, STIG, actor_iri, country_iri, initiative_iri

# (slug, paragraph the report names it in) — from DESIGN.md's checklist and the report text.
CHECKLIST = [
    ("cstd", 2), ("unctad", 13), ("unctad-stip-reviews", 13),
    ("unctad-technology-assessment-pilots", 13), ("asean", 11), ("asean-sti-plan-2016-2025", 11),
    ("cern", 11), ("cgiar", 11), ("technology-facilitation-mechanism", 12), ("sti-forum", 12),
    ("sti-for-sdgs-roadmaps", 12), ("itu", 15), ("wto", 15), ("unfccc", 16),
    ("paris-agreement", 16), ("trips-art-66-2", 16), ("wto-trips-decision-2022", 16),
    ("broadband-commission", 17), ("carec", 19), ("pida", 19), ("okayama-university", 21),
    ("young-female-scientists-programme", 21),
    ("africa-higher-education-centres-of-excellence", 21),
    ("world-bank", 21), ("globe-programme", 21), ("nasa", 21), ("un-iatt", 22),
    ("horizon-europe", 24), ("gcf", 25), ("gates-foundation", 25), ("eureka", 26),
    ("international-science-council", 27), ("escap-artnet-sti", 27), ("cyted", 27),
    ("usaid-grand-challenges", 27), ("human-genome-project", 29),
    ("agu-open-science-recognition-prize", 29), ("nasa-tops", 29), ("un-big-data-hackathon", 30),
    ("open-sdg-data-hub", 30), ("unite-ideas", 30), ("wfp-building-blocks", 30),
    ("un-global-pulse", 30), ("gef", 32), ("ctcn", 32), ("asycuda", 32), ("unep", 32),
    ("ocha", 32), ("wco", 32), ("asycuda-cites-system", 32), ("un-technology-bank", 33),
    ("eu-open-innovation-test-beds", 35), ("industry-iot-consortium", 36),
    ("start-up-chile", 37), ("oecd-dac", 40), ("cropwatch", 43),
    ("young-scientists-phd-programme", 43), ("bcg-south-south-workshop", 43),
    ("satellite-technology-sustainable-cities", 43), ("unctad-drr-workshop", 43),
    ("cstd-26th-session", 1), ("cstd-27th-session", 2), ("regional-development-banks", 41),
]

# Footnote 1: the governments and UN bodies that contributed to the report.
FOOTNOTE_1_COUNTRIES = {"BZ", "BR", "BI", "CM", "CN", "CU", "EC", "GM", "HU", "JP", "LV", "PE",
                        "PH", "PT", "RU", "ZA", "TR", "TZ", "US"}
FOOTNOTE_1_BODIES = {"escap", "escwa", "iaea", "itu", "unesco", "unoosa", "wfp", "unwto", "wto"}


def _node(build: BuildResult, slug: str) -> URIRef:
    for iri in (actor_iri(slug), initiative_iri(slug)):
        if (iri, RDF.type, None) in build.graph:
            return iri
    raise AssertionError(f"{slug} is not in the seed graph")


def _paragraphs(build: BuildResult, node: URIRef) -> set[int]:
    numbers = set()
    for source in build.graph.objects(node, DCTERMS.source):
        number = build.graph.value(source, STIG.paragraph)
        if number is not None and "/para-" in str(source):
            numbers.add(int(str(number).split("-")[0]))
    return numbers


@pytest.mark.parametrize(("slug", "para"), CHECKLIST, ids=[s for s, _ in CHECKLIST])
def test_checklist_entity_is_present_and_cites_its_paragraph(seed_build: BuildResult, slug: str,
                                                             para: int) -> None:
    node = _node(seed_build, slug)
    assert para in _paragraphs(seed_build, node), (slug, _paragraphs(seed_build, node))


def test_footnote_1_contributors(seed_build: BuildResult) -> None:
    g = seed_build.graph
    panel = initiative_iri("cstd-2023-2024-intersessional-panel")
    members = set(g.subjects(STIG.participatesIn, panel))
    assert {country_iri(c) for c in FOOTNOTE_1_COUNTRIES} <= members
    assert {actor_iri(b) for b in FOOTNOTE_1_BODIES} <= members
    assert len(members) == 28


def test_cgiar_partner_figures_from_para_11(seed_build: BuildResult) -> None:
    rows = seed_build.graph.query(
        "SELECT ?measure ?value WHERE { ?f stig:about ?cgiar ; stig:measure ?measure ; "
        "stig:value ?value }", initBindings={"cgiar": actor_iri("cgiar")}, initNs={"stig": STIG})
    figures = {str(m): float(v) for m, v in rows}  # type: ignore[misc]
    assert 3000 in figures.values() and 90 in figures.values(), figures


def test_session_dates_from_para_1_and_the_cover(seed_build: BuildResult) -> None:
    """26th session in March 2023 (para 1); 27th session 15-19 April 2024 (report cover)."""
    g = seed_build.graph
    s26, s27 = initiative_iri("cstd-26th-session"), initiative_iri("cstd-27th-session")
    assert str(g.value(s26, STIG.startDate)).startswith("2023-03")
    assert str(g.value(s26, STIG.endDate)).startswith("2023-03")
    assert (str(g.value(s27, STIG.startDate)), str(g.value(s27, STIG.endDate))) == (
        "2024-04-15", "2024-04-19")
    # the panel of para 2 sits between the two sessions
    panel = initiative_iri("cstd-2023-2024-intersessional-panel")
    assert str(g.value(s26, STIG.endDate)) < str(g.value(panel, STIG.startDate)) < str(
        g.value(s27, STIG.startDate))


def _figures(build: BuildResult, subject: URIRef) -> dict[str, float]:
    rows = build.graph.query(
        "SELECT ?measure ?value WHERE { ?f stig:about ?s ; stig:measure ?measure ; "
        "stig:value ?value }", initBindings={"s": subject}, initNs={"stig": STIG})
    return {str(m): float(v) for m, v in rows}  # type: ignore[misc]


def test_para_21_and_para_40_figures(seed_build: BuildResult) -> None:
    from stigraph.vocab.namespaces import area_iri

    women = _figures(seed_build, area_iri("capacity-building"))["women-share-of-researchers"]
    assert abs(women - 100 / 3) < 0.05  # "under one third"
    dac = _figures(seed_build, actor_iri("oecd-dac"))
    assert dac["oda-gni-target-limited-progress-years"] == 15
    assert dac["oda-gni-target"] == 0.7


def test_para_41_country_statements(seed_build: BuildResult) -> None:
    """France, the UK, Japan and the US are each discussed under ODA for STI, citing para 41."""
    from stigraph.vocab.namespaces import REPORT_IRI, area_iri

    g = seed_build.graph
    area = area_iri("oda-for-sti")
    for code in ("FR", "GB", "JP", "US"):
        assert (country_iri(code), STIG.addressesArea, area) in g, code
        statements = [st for st in g.subjects(RDF.subject, country_iri(code))
                      if g.value(st, RDF.object) == area]
        assert len(statements) == 1, code
        sources = {str(src) for src in g.objects(statements[0], DCTERMS.source)}
        assert any(src.startswith(str(REPORT_IRI)) and src.endswith("para-41")
                   for src in sources), (code, sources)
