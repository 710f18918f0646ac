"""The analysis inputs are read once per command and date: counted, not timed.

Every projection query goes through :func:`stigraph.projection.networks.run_sparql`, and the
membership projections (country–organisation, actor–actor) without an area are computed from
the facts read once per graph (:mod:`stigraph.projection.facts`), the direct country links
from the statements read once per graph (:mod:`stigraph.projection.statements`); the tests
count the queries by name and date, the readings of the facts and the rows made from them by
projection and date, while the report (or one analysis) runs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stigraph.analytics import api
from stigraph.build.builder import GraphSource, build_graph
from stigraph.outputs.report import ReportSettings, build_report
from stigraph.projection import facts, networks, reads, statements
from stigraph.projection.inputs import AnalysisInputs

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "fixtures" / "report-seeds"
PROJECTIONS = set(networks.PROJECTIONS.values())


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[tuple[str, str | None]]]:
    """(query name, as_of) -> how many times it ran; cooperation graphs count as
    ("cooperation", as_of)."""
    counted: Counter[tuple[str, str | None]] = Counter()
    run_sparql = networks.run_sparql
    cooperation_from_rows = networks.cooperation_from_rows

    def counting_run(graph: Any, name: str, params: dict[str, str] | None = None) -> Any:
        counted[(name, (params or {}).get("as_of"))] += 1
        return run_sparql(graph, name, params)

    def counting_cooperation(*args: Any, **kwargs: Any) -> Any:
        counted[("cooperation", kwargs.get("as_of"))] += 1
        return cooperation_from_rows(*args, **kwargs)

    # the facts every analysis input, evidence layer and report reader shares
    # (stigraph.projection.reads); `stigraph partners` reads its own
    read_facts = facts.read_facts

    def counting_read(graph: Any) -> Any:
        counted[("facts", None)] += 1
        return read_facts(graph)

    def counting_rows(method: Any, query: str) -> Any:
        def rows(self: Any, as_of: str | None) -> Any:
            counted[(query, as_of)] += 1
            return method(self, as_of)
        return rows

    def counting_direct(self: Any, facts: Any, as_of: str) -> Any:
        counted[("projection-country-country", as_of)] += 1
        return direct_rows(self, facts, as_of)

    direct_rows = statements.Statements.direct_rows
    read_statements = statements.read_statements

    def counting_statements(graph: Any, facts: Any) -> Any:
        counted[("statements", None)] += 1
        return read_statements(graph, facts)

    monkeypatch.setattr(statements.Statements, "direct_rows", counting_direct)
    monkeypatch.setattr(reads, "read_statements", counting_statements)
    monkeypatch.setattr(reads, "read_facts", counting_read)
    monkeypatch.setattr(facts.Facts, "bipartite_rows", counting_rows(
        facts.Facts.bipartite_rows, "projection-country-organisation"))
    monkeypatch.setattr(facts.Facts, "actor_rows", counting_rows(
        facts.Facts.actor_rows, "projection-actor-actor"))
    monkeypatch.setattr(networks, "run_sparql", counting_run)
    monkeypatch.setattr(networks, "cooperation_from_rows", counting_cooperation)
    yield counted


def test_the_report_runs_each_projection_once_per_date(
        calls: Counter[tuple[str, str | None]], tmp_path: Path) -> None:
    settings = ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False),
                              as_of=dt.date(2024, 6, 30))
    result = build_report(tmp_path, settings)
    assert (tmp_path / "tables" / "evaluation.csv").is_file()
    cutoff = api.choose_cutoff(AnalysisInputs(build_graph((SEEDS,), default_seeds=False).graph))
    # the report's date, and the cutoff of the evaluation's time split
    dates = {"2024-06-30", cutoff}
    projection_calls = {key: n for key, n in calls.items() if key[0] in PROJECTIONS}
    assert {day for _name, day in projection_calls} == dates
    assert set(projection_calls.values()) == {1}, projection_calls
    assert len(projection_calls) == 3 * len(dates)
    assert calls[("cooperation", "2024-06-30")] == 1 and calls[("cooperation", cutoff)] == 1
    assert calls[("organisation-areas", None)] == 1
    assert calls[("ended-organisations", "2024-06-30")] == 1
    assert calls[("facts", None)] == 1  # one reading for both dates
    assert calls[("statements", None)] == 1  # the same for the statements
    assert result.conforms


def test_only_what_an_analysis_needs_is_read(calls: Counter[tuple[str, str | None]]) -> None:
    graph = build_graph((SEEDS,), default_seeds=False).graph
    inputs = AnalysisInputs(graph, as_of="2024")
    api.centrality_report(inputs, projection="actor-actor")
    assert set(calls) == {("projection-actor-actor", "2024-12-31"), ("facts", None)}
    api.gaps_report(inputs, kind="matrix")
    api.gaps_report(inputs, kind="areas")
    api.communities_report(inputs, projection="country-organisation")
    assert calls[("projection-country-organisation", "2024-12-31")] == 1
    assert calls[("organisation-areas", None)] == 1
    assert ("cooperation", "2024-12-31") not in calls  # no analysis here needed it
    assert ("projection-country-country", "2024-12-31") not in calls
    assert calls[("facts", None)] == 1


@pytest.mark.parametrize("project_seeds", [False, True], ids=["report-seeds", "seeds"])
def test_the_inputs_give_the_graphs_of_the_projections(project_seeds: bool) -> None:
    """The same nodes (in the same order), edges and attributes (labels read in one pass) as
    projecting afresh."""
    graph = (build_graph(()) if project_seeds else
             build_graph((SEEDS,), default_seeds=False)).graph
    inputs = AnalysisInputs(graph, as_of="2024-06-30")
    for name in (*networks.PROJECTIONS, "cooperation"):
        fresh = (networks.cooperation_graph(graph, as_of="2024-06-30") if name == "cooperation"
                 else networks.project(graph, name, as_of="2024-06-30"))
        shared = inputs.projection(name)
        assert list(shared.nodes(data=True)) == list(fresh.nodes(data=True))
        assert list(shared.edges(data=True)) == list(fresh.edges(data=True))
        assert shared.graph == fresh.graph
    assert inputs.at("2024-06-30") is inputs
    assert inputs.at("2010").as_of == "2010-12-31"
    assert inputs.at("2010").organisation_areas is inputs.organisation_areas


def test_candidate_pairs_are_sampled_above_the_cap() -> None:
    import networkx as nx

    from stigraph.analytics.evaluate import candidate_pairs

    G = nx.Graph()
    G.add_nodes_from(["c1", "c2", "c3"], kind="country")
    G.add_nodes_from([f"o{i}" for i in range(10)], kind="actor")
    G.add_edge("c1", "o0")
    positive = {("c2", "o5"), ("c3", "o9")}
    everything, note = candidate_pairs(G, positive, cap=30)
    assert note == "" and len(everything) == 29  # 3 × 10 pairs, one of them linked
    assert ("c1", "o0") not in everything
    sample, note = candidate_pairs(G, positive, cap=10, seed=3)
    assert len(sample) == 10 and positive <= set(sample)
    assert sample == sorted(sample) and set(sample) <= set(everything)
    assert note == " (sample: 10 of 29 candidate pairs, every positive kept)"
    assert candidate_pairs(G, positive, cap=10, seed=3)[0] == sample
    assert candidate_pairs(G, positive, cap=10, seed=4)[0] != sample
    # every negative equally likely: over many seeds each is drawn about 8/27 of the time
    drawn = Counter(p for seed in range(300) for p in candidate_pairs(G, positive, cap=10,
                                                                       seed=seed)[0])
    negatives = set(everything) - positive
    assert all(60 < drawn[p] < 120 for p in negatives)
