"""Every named SPARQL query against answers worked out by hand on tests/fixtures/mini-seeds.

The mini world: Big Lab (CH) has members FR and CH since 1954, UG associate since 2020-03 and
TZ from 1999 to 2005; Climate Fund funds the lab and has KE (2019) and UG (2021) as
beneficiaries; Lab Network runs Research Programme (KE takes part) and is a partner of the lab;
Test Beds (run by the fund, part of the programme) is active in KE, and TZ takes part in it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stigraph.build.builder import BuildResult
from stigraph.errors import ParameterError, UnknownCountryError
from stigraph.queries.catalogue import load_queries
from stigraph.queries.sparql import run_sparql
from stigraph.vocab.namespaces import actor_iri, country_iri, initiative_iri


def _members(build: BuildResult, as_of: str) -> set[str]:
    rows = run_sparql(build.graph, "members", {"organisation": "lab", "as_of": as_of})
    return {row["member"].rsplit("/", 1)[-1] for row in rows}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("1950-01-01", set()),  # before any membership
        # FR's "1954" certainly holds from 1954-12-31; CH's 29 Sept 1954 too, since the lab
        # itself was founded in "1954" (its lifetime bounds its memberships)
        ("1954-06-01", set()),
        ("1954-12-31", {"FR", "CH"}),
        ("2000-01-01", {"FR", "CH", "TZ"}),  # TZ from "1999": from 1999-12-31
        ("2005-01-01", {"FR", "CH", "TZ"}),  # TZ's end "2005": certainly a member on 1 Jan
        ("2005-06-01", {"FR", "CH"}),  # ... but not certainly later in 2005
        ("2021-01-01", {"FR", "CH", "UG"}),  # UG from "2020-03": from 2020-03-31
    ],
)
def test_members_as_of(mini_build: BuildResult, as_of: str, expected: set[str]) -> None:
    assert _members(mini_build, as_of) == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("1950-01-01", set()),
        ("1954-06-01", {"FR"}),  # FR may have started in 1954; CH only did on 29 Sept
        ("1954-10-01", {"FR", "CH"}),  # both may hold, neither certainly (the lab's "1954")
        ("1955-01-01", set()),
        ("1999-06-01", {"TZ"}),
        ("2005-06-01", {"TZ"}),  # may have ended, not certainly
        ("2006-01-01", set()),
        ("2020-03-15", {"UG"}),
    ],
)
def test_uncertain_facts_are_the_ones_left_out(mini_build: BuildResult, as_of: str,
                                               expected: set[str]) -> None:
    rows = run_sparql(mini_build.graph, "uncertain-facts", {"as_of": as_of})
    lab = str(actor_iri("lab"))
    assert {r["member"].rsplit("/", 1)[-1] for r in rows if r["organisation"] == lab} \
        == expected


def test_members_carry_role_dates_and_sources(mini_build: BuildResult) -> None:
    rows = run_sparql(mini_build.graph, "members", {"organisation": "lab", "as_of": "2000-01-01"})
    tz = next(r for r in rows if r["member"] == str(country_iri("TZ")))
    assert (tz["role"], tz["start"], tz["end"]) == ("member", "1999", "2005")
    assert tz["sources"].endswith("/id/source/report/para-11")


def test_cooperation_partners_of_a_country(mini_build: BuildResult) -> None:
    rows = run_sparql(mini_build.graph, "cooperation-partners", {"entity": "KE"})
    got = {(r["partner"].rsplit("/", 1)[-1], r["via"], r["through"].rsplit("/", 1)[-1])
           for r in rows}
    assert got == {("UG", "co-member", "fund"), ("fund", "membership", "fund"),
                   ("prog", "membership", "prog")}


def test_cooperation_partners_of_an_actor(mini_build: BuildResult) -> None:
    rows = run_sparql(mini_build.graph, "cooperation-partners", {"entity": "lab"})
    got = {(r["partner"].rsplit("/", 1)[-1], r["via"]) for r in rows}
    assert got == {("FR", "member"), ("CH", "member"), ("UG", "member"), ("TZ", "member"),
                   ("net", "partnerOf"), ("fund", "funded by")}


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("research-collaboration",
         {("lab", "directly"), ("net", "runs an initiative in the area")}),
        ("testbeds", {("fund", "runs an initiative in the area")}),
        ("international-rules", set()),
    ],
)
def test_actors_in_area(mini_build: BuildResult, area: str, expected: set[tuple[str, str]]) -> None:
    rows = run_sparql(mini_build.graph, "actors-in-area", {"area": area})
    assert {(r["actor"].rsplit("/", 1)[-1], r["how"]) for r in rows} == expected


def test_actor_kind_is_its_class(mini_build: BuildResult) -> None:
    rows = run_sparql(mini_build.graph, "actors-in-area", {"area": "research-collaboration"})
    assert {r["label"]: r["kind"] for r in rows} == {"Big Lab": "ResearchOrganisation",
                                                     "Lab Network": "Partnership"}


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("testbeds", ["UG"]),  # KE hosts the test beds, TZ takes part in them
        ("research-funding", ["TZ"]),  # KE and UG are beneficiaries of the fund
        ("international-rules", ["KE", "TZ", "UG"]),
    ],
)
def test_developing_without_area(mini_build: BuildResult, area: str, expected: list[str]) -> None:
    rows = run_sparql(mini_build.graph, "developing-without-area", {"area": area})
    assert [r["iso2"] for r in rows] == expected


def test_path_between_country_and_actor(mini_build: BuildResult) -> None:
    rows = run_sparql(mini_build.graph, "path", {"source": "KE", "target": "lab"})
    got = [(r["length"], r["hop1"], r["hop2"]) for r in rows]
    assert got[0] == (2, str(actor_iri("fund")), None)
    assert set(got) == {
        (2, str(actor_iri("fund")), None),
        (3, str(actor_iri("fund")), str(country_iri("UG"))),
        (3, str(initiative_iri("prog")), str(actor_iri("net"))),
    }


def test_search_entities(mini_build: BuildResult) -> None:
    rows = run_sparql(mini_build.graph, "search-entities", {"text": "LAB"})
    assert [r["label"] for r in rows] == ["Big Lab", "Lab Network"]


def test_parameter_values_are_bound_not_pasted(mini_build: BuildResult) -> None:
    # A value that would break out of a pasted string finds nothing instead of failing.
    rows = run_sparql(mini_build.graph, "search-entities", {"text": '") } #'})
    assert rows == []


def test_unknown_country_is_a_clear_error(mini_build: BuildResult) -> None:
    with pytest.raises(UnknownCountryError, match="'ZZ'"):
        run_sparql(mini_build.graph, "cooperation-partners", {"entity": "ZZ"})


def test_missing_and_unknown_parameters(mini_build: BuildResult) -> None:
    with pytest.raises(ParameterError, match="needs --param entity"):
        run_sparql(mini_build.graph, "cooperation-partners", {})
    with pytest.raises(ParameterError, match="no parameter colour"):
        run_sparql(mini_build.graph, "cooperation-partners", {"entity": "KE", "colour": "red"})
    with pytest.raises(ParameterError, match="not a date"):
        run_sparql(mini_build.graph, "members", {"organisation": "lab", "as_of": "last year"})


def test_every_query_has_a_header_and_runs(mini_build: BuildResult) -> None:
    examples = {"entity": "KE", "organisation": "lab", "area": "testbeds", "source": "KE",
                "target": "lab", "text": "lab", "as_of": "2020-01-01", "country": "KE"}
    queries = load_queries("sparql")
    assert {"cooperation-partners", "members", "actors-in-area", "developing-without-area",
            "path"} <= set(queries)
    for query in queries.values():
        assert query.title and query.description, query.path
        params = {p.name: examples[p.name] for p in query.params if p.name in examples}
        rows = run_sparql(mini_build.graph, query.name, params)
        assert isinstance(rows, list)


#: Parameter sets for every named query: dates before, inside and after the memberships.
PARITY_PARAMS = [
    {"entity": "KE", "organisation": "lab", "area": "testbeds", "source": "KE", "target": "lab",
     "text": "lab", "country": "KE"},
    {"entity": "lab", "organisation": "net", "source": "UG", "target": "fund", "text": "a",
     "as_of": "2000-01-01", "country": "UG"},
    {"entity": "UG", "organisation": "lab", "area": "testbeds", "source": "lab", "target": "KE",
     "text": 'x") } #', "as_of": "2021-06-30", "country": "TZ"},
]


@pytest.mark.parametrize("seeds", ["mini", "default"])
def test_oxigraph_engine_gives_the_same_rows_for_every_query(seeds: str) -> None:
    """rdflib's engine binding parameters and Oxigraph's engine on the substituted text agree."""
    pytest.importorskip("oxrdflib")
    from stigraph.build.builder import build_graph

    mini = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"
    dirs, default = ([mini], False) if seeds == "mini" else ([], True)
    memory = build_graph(dirs, default_seeds=default, store="memory")
    oxigraph = build_graph(dirs, default_seeds=default, store="oxigraph")
    assert len(memory.graph) == len(oxigraph.graph)
    assert memory.counts() == oxigraph.counts()
    from rdflib import RDF, BNode

    counted = oxigraph.counts()["statements"]
    assert counted == len(set(oxigraph.graph.subjects(RDF.type, RDF.Statement)))
    compared = 0
    for query in load_queries("sparql").values():
        for example in PARITY_PARAMS:
            params = {p.name: example[p.name] for p in query.params if p.name in example}
            try:
                expected = run_sparql(memory.graph, query.name, params)
            except ParameterError:  # e.g. an organisation the default seeds do not have
                continue
            assert run_sparql(oxigraph.graph, query.name, params) == expected, \
                (query.name, params)
            compared += bool(expected)
    assert compared >= 10  # most queries answered with rows, not just empty lists
    if seeds == "mini":  # the counts follow a change to the graph (they are kept between calls)
        oxigraph.graph.add((BNode(), RDF.type, RDF.Statement))
        assert oxigraph.counts()["statements"] == counted + 1
