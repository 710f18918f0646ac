"""Values read from a kept graph, kept beside it (stigraph.store.memo): loaded only when the
graph, its reading code and the value's name are the same, and equal to what a fresh read of
the graph gives.
"""

from __future__ import annotations

import gc
import os
import pickle
from pathlib import Path

import pytest
from rdflib import Graph

from stigraph.build.builder import GraphSource, open_graph
from stigraph.projection.facts import Facts, read_facts
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.statements import Statements, read_statements
from stigraph.store import memo

MINI_SEEDS = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"


class _Counter:
    def __init__(self, value: object) -> None:
        self.calls, self.value = 0, value

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_a_value_is_computed_once_then_loaded(tmp_path: Path) -> None:
    compute = _Counter({"a": [1, 2, ("x", None)]})
    first = memo.kept_value(tmp_path, "thing-2020", compute, code=())
    second = memo.kept_value(tmp_path, "thing-2020", compute, code=())
    assert first == second == {"a": [1, 2, ("x", None)]}
    assert compute.calls == 1
    assert len(list(tmp_path.glob("thing-2020.*.pickle"))) == 1
    memo.kept_value(tmp_path, "thing-2021", compute, code=())  # another name: its own value
    assert compute.calls == 2


def test_a_change_to_the_reading_code_computes_the_value_again(tmp_path: Path) -> None:
    module = tmp_path / "reader.py"
    module.write_text("VERSION = 1\n")
    compute = _Counter(1)
    memo.kept_value(tmp_path / "memo", "v", compute, code=(module,))
    memo.kept_value(tmp_path / "memo", "v", compute, code=(module,))
    assert compute.calls == 1
    module.write_text("VERSION = 2\n")
    memo.kept_value(tmp_path / "memo", "v", compute, code=(module,))
    assert compute.calls == 2


def test_a_file_cut_short_is_computed_and_written_again(tmp_path: Path) -> None:
    compute = _Counter(list(range(1000)))
    memo.kept_value(tmp_path, "big", compute, code=())
    (path,) = tmp_path.glob("big.*.pickle")
    path.write_bytes(path.read_bytes()[:100])
    assert memo.kept_value(tmp_path, "big", compute, code=()) == list(range(1000))
    assert compute.calls == 2
    assert memo.kept_value(tmp_path, "big", compute, code=()) == list(range(1000))
    assert compute.calls == 2  # the rewritten file is whole


def test_a_folder_that_is_a_file_only_costs_the_time(tmp_path: Path) -> None:
    blocker = tmp_path / "reads"
    blocker.write_text("not a folder")
    compute = _Counter(7)
    assert memo.kept_value(blocker, "v", compute, code=()) == 7
    assert memo.kept_value(blocker, "v", compute, code=()) == 7
    assert compute.calls == 2


def test_only_the_most_recently_used_values_stay(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "KEEP", 3)
    for n in range(5):
        memo.kept_value(tmp_path, f"v{n}", lambda n=n: n, code=())  # type: ignore[misc]
        stamp = 1_000_000 + n
        for path in tmp_path.glob(f"v{n}.*.pickle"):
            os.utime(path, (stamp, stamp))
    assert sorted(p.name.split(".")[0] for p in tmp_path.glob("*.pickle")) == ["v2", "v3", "v4"]


def test_an_unmarked_graph_computes_every_time(tmp_path: Path) -> None:
    graph = Graph()
    compute = _Counter(3)
    assert memo.remembered(graph, "v", compute, code=()) == 3
    assert memo.remembered(graph, "v", compute, code=()) == 3
    assert compute.calls == 2
    memo.remember_in(graph, tmp_path)
    memo.remembered(graph, "v", compute, code=())
    memo.remembered(graph, "v", compute, code=())
    assert compute.calls == 3
    assert memo.memo_folder(Graph()) is None  # an equal graph (same name) is another graph
    memo.forget(graph)
    memo.remembered(graph, "v", compute, code=())
    assert compute.calls == 4


def test_a_graph_that_goes_leaves_no_mark(tmp_path: Path) -> None:
    graph = Graph()
    memo.remember_in(graph, tmp_path)
    key = id(graph)
    del graph
    gc.collect()
    assert key not in memo._FOLDERS


def _source(cache_dir: Path, **extra: object) -> GraphSource:
    return GraphSource(seed_dirs=(MINI_SEEDS,), default_seeds=False, default_data=False,
                       store="oxigraph", cache_dir=cache_dir, **extra)  # type: ignore[arg-type]


def _reads(graph: Graph) -> dict[str, object]:
    inputs = AnalysisInputs(graph, as_of="2023-06-30")
    return {"facts": inputs.facts, "statements": inputs._shared.reads.statements,
            "direct": inputs.direct_rows, "bipartite": inputs.bipartite_rows,
            "labels": inputs._shared.labels, "countries": inputs.countries,
            "infos": inputs.infos, "areas": inputs.organisation_areas,
            "area_labels": inputs.area_labels, "ended": inputs.ended,
            "uncertain": inputs.uncertain}


def test_reads_of_a_kept_graph_equal_a_fresh_read(tmp_path: Path) -> None:
    first = open_graph(_source(tmp_path)).graph
    assert memo.memo_folder(first) is not None
    computed = _reads(first)
    folder = memo.memo_folder(first)
    assert folder is not None and len(list(folder.glob("*.pickle"))) >= 9
    del first
    gc.collect()

    again = open_graph(_source(tmp_path)).graph
    loaded = _reads(again)
    assert loaded == computed
    fresh = open_graph(GraphSource(seed_dirs=(MINI_SEEDS,), default_seeds=False,
                                   store="oxigraph")).graph
    assert memo.memo_folder(fresh) is None
    # a fresh store scans in another order: the facts as sets, the statements by their rows
    facts = read_facts(fresh)
    kept_facts = loaded.pop("facts")
    kept_statements = loaded.pop("statements")
    assert isinstance(kept_facts, Facts) and isinstance(kept_statements, Statements)
    assert sorted(kept_facts.memberships) == sorted(facts.memberships)
    assert kept_facts.bounds == facts.bounds
    assert {k: sorted(v) for k, v in kept_facts.relations.items()} == {
        k: sorted(v) for k, v in facts.relations.items()}
    statements = read_statements(fresh, facts)
    assert kept_statements.link_layers(kept_facts) == statements.link_layers(facts)
    assert _sorted_rows(kept_statements.link_sources(kept_facts)) == _sorted_rows(
        statements.link_sources(facts))
    fresh_reads = _reads(fresh)
    del fresh_reads["facts"], fresh_reads["statements"]
    assert loaded == fresh_reads


def _sorted_rows(rows: list[dict[str, object]]) -> list[list[tuple[str, str]]]:
    return sorted(sorted((k, str(v)) for k, v in row.items()) for row in rows)


def test_a_kept_graph_with_include_files_is_not_marked(tmp_path: Path) -> None:
    include = tmp_path / "extra.ttl"
    include.write_text("<https://w3id.org/stigraph/id/actor/x> "
                       "<http://www.w3.org/2000/01/rdf-schema#label> \"X\" .\n")
    open_graph(_source(tmp_path / "cache"))
    with_include = open_graph(_source(tmp_path / "cache", include=(include,))).graph
    assert memo.memo_folder(with_include) is None


def test_the_models_join_data_are_kept_by_the_hash_of_their_inputs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stigraph.cli import model

    monkeypatch.setenv("STIGRAPH_CACHE_DIR", str(tmp_path))
    calls = []
    real = model.load_training_data

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(model, "load_training_data", counted)
    first = model.join_data(None)
    second = model.join_data(None)
    assert len(calls) == 1 and list((tmp_path / "models").glob("join-data-*.pickle"))
    assert pickle.dumps(first.spells) == pickle.dumps(second.spells)
    assert first.activity is not None and second.activity is not None
    assert all((first.activity.coauthor[y] == second.activity.coauthor[y]).all()
               for y in first.activity.coauthor)
    cow = tmp_path / "cow"  # other input files: another key, read again
    cow.mkdir()
    for path in (model.shipped_data_dir() / "cow_igo").iterdir():
        if path.is_file():
            (cow / path.name).write_bytes(path.read_bytes())
    model.join_data(cow)
    assert len(calls) == 2


def test_loading_more_triples_into_a_marked_graph_forgets_its_folder(tmp_path: Path) -> None:
    from stigraph.store import store_of

    graph = open_graph(_source(tmp_path)).graph
    assert memo.memo_folder(graph) is not None
    store_of(graph).load_data(b"<https://w3id.org/stigraph/id/actor/x> "
                              b"<http://www.w3.org/2000/01/rdf-schema#label> \"X\" .\n", "nt")
    assert memo.memo_folder(graph) is None


def test_a_kept_file_is_written_once_then_copied(tmp_path: Path) -> None:
    graph = Graph()
    written: list[Path] = []

    def write(path: Path) -> None:
        written.append(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"the graph, written {len(written)} time(s)\n")

    # an unmarked graph: written every time
    memo.kept_file(graph, "turtle", tmp_path / "a" / "g.ttl", write, code=())
    memo.kept_file(graph, "turtle", tmp_path / "b" / "g.ttl", write, code=())
    assert len(written) == 2
    memo.remember_in(graph, tmp_path / "reads")
    first = memo.kept_file(graph, "turtle", tmp_path / "c" / "g.ttl", write, code=())
    second = memo.kept_file(graph, "turtle", tmp_path / "d" / "g.ttl", write, code=())
    assert len(written) == 3
    assert first.read_text() == second.read_text() == "the graph, written 3 time(s)\n"
    second.write_text("changed in the report")  # a copy: the kept file stays as it was
    third = memo.kept_file(graph, "turtle", tmp_path / "e" / "g.ttl", write, code=())
    assert third.read_text() == "the graph, written 3 time(s)\n"


def test_a_kept_graphs_count_and_validation_are_kept(tmp_path: Path) -> None:
    from stigraph.store import store_of
    from stigraph.validate.shacl import validate_graph

    graph = open_graph(_source(tmp_path)).graph
    count = len(store_of(graph))
    folder = memo.memo_folder(graph)
    assert folder is not None and list(folder.glob("triples.*.pickle"))
    assert count == len(set(graph))  # the kept count is the graph's
    report = memo.remembered(graph, "validation", lambda: validate_graph(graph), code=())
    again = memo.remembered(graph, "validation", lambda: None, code=())
    assert again == report and report is not None
