"""The cache worker's read ahead (stigraph.build.read_ahead): its copy in memory gets every
triple of the build, and what it keeps beside the kept graph is what the kept graph itself
gives when read afresh; with blank nodes, or a copy that differs, it keeps nothing.

The build is the project's seeds with a slice of every shipped extract (the slice the default
validation's test makes), so the facts, statements and CORDIS consortia are not empty.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pytest
from rdflib import Graph

from stigraph import resources
from stigraph.build import builder, cache
from stigraph.build.builder import GraphSource, build_graph, open_graph
from stigraph.build.defaultdata import load_shipped_data
from stigraph.build.read_ahead import read_ahead
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.reads import reads_of
from stigraph.store import memo, open_store, store_of
from stigraph.store.persistent import new_on_disk
from stigraph.validate.shacl import kept_validation

try:
    from tests.test_default_validation import sliced  # a fixture
except ImportError:  # run from inside tests/
    from test_default_validation import sliced  # type: ignore[no-redef]  # noqa: F401

pytest.importorskip("pyoxigraph")


def _nt(graph: Graph) -> set[str]:
    return set(graph.serialize(format="nt").splitlines()) - {""}


def test_the_copy_in_memory_gets_every_triple_of_the_build(tmp_path: Path, sliced: Path
                                                          ) -> None:
    store, twin = new_on_disk(tmp_path / "store"), open_store("oxigraph")
    built = build_graph(store="oxigraph", into=store, twin=twin)
    load_shipped_data(store_of(built.graph), data_dir=sliced, twin=twin)
    assert len(twin) == len(store) > 10_000
    assert _nt(twin.graph) == _nt(store.graph)


def _source(cache_dir: Path) -> GraphSource:
    return GraphSource(default_data=True, store="oxigraph", cache_dir=cache_dir)


def _values(graph: Graph) -> dict[str, object]:
    """What the read ahead keeps, read from ``graph``; the facts and statements as sets and
    rows, as a store in memory scans in another order."""
    inputs = AnalysisInputs(graph, as_of=dt.date.today().isoformat())
    facts = inputs.facts
    statements = reads_of(graph).statements
    return {
        "memberships": sorted(facts.memberships), "bounds": facts.bounds,
        "relations": {k: sorted(v) for k, v in facts.relations.items()},
        "link_layers": statements.link_layers(facts),
        "link_sources": sorted(sorted((k, str(v)) for k, v in row.items())
                               for row in statements.link_sources(facts)),
        "direct": inputs.direct_rows, "ended": inputs.ended, "infos": inputs.infos,
        "areas": inputs.organisation_areas, "area_labels": inputs.area_labels,
        "attributes": inputs.node_attributes(inputs.countries),
        "consortia": sorted((c.project, c.year, sorted((p.actor, p.country, p.coordinator,
                                                          float(p.amount))
                                                         for p in c.participants))
                            for c in inputs.consortia),
        "validation": kept_validation(graph), "triples": len(store_of(graph)),
    }


def test_what_is_read_ahead_is_what_the_kept_graph_gives(
        tmp_path: Path, sliced: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "shipped_data_dir", lambda: sliced)
    source = _source(tmp_path / "cache")
    key = cache.source_key(source)
    assert builder._build_and_keep(source, key)  # the worker's work, in this process
    folder = cache.reads_folder(source.cache_dir, key)  # type: ignore[arg-type]
    names = {p.name.split(".")[0] for p in folder.iterdir()}
    assert {"facts", "statements", "turtle", "validation-auto", "triples", "labels", "iso2",
            "organisation-areas", f"consortia-{dt.date.today().isoformat()}"} <= names
    kept = open_graph(source).graph
    assert memo.memo_folder(kept) == folder
    ahead = _values(kept)
    assert ahead["consortia"], "the slice has CORDIS projects"
    turtle = next(folder.glob("turtle.*.file"))
    back = open_store("oxigraph")  # read as the kept store reads it (plain literals typed)
    back.load(turtle, "turtle")
    memo.forget(kept)  # now read afresh from the kept store on disk
    assert memo.memo_folder(kept) is None
    gc.collect()  # the reads of the first look go: the second reads the store again
    fresh = _values(kept)
    assert ahead == fresh
    assert _nt(back.graph) == _nt(kept)
    del kept
    gc.collect()


def _stores(data: bytes, extra: bytes = b"") -> tuple[object, object]:
    kept, twin = open_store("oxigraph"), open_store("oxigraph")
    kept.load_data(data, "nt")
    twin.load_data(data + extra, "nt")
    return kept, twin


def test_blank_nodes_or_another_count_keep_nothing(tmp_path: Path) -> None:
    named = b"<http://e/a> <http://e/p> <http://e/b> .\n"
    blank = b"_:x <http://e/p> <http://e/b> .\n"
    kept, twin = _stores(named + blank)
    assert not read_ahead(twin, kept, tmp_path / "blank")  # type: ignore[arg-type]
    kept, twin = _stores(named, extra=b"<http://e/a> <http://e/p> <http://e/c> .\n")
    assert not read_ahead(twin, kept, tmp_path / "count")  # type: ignore[arg-type]
    assert not (tmp_path / "blank").exists() and not (tmp_path / "count").exists()
    kept, twin = _stores(named)
    assert read_ahead(twin, kept, tmp_path / "same")  # type: ignore[arg-type]
    assert {p.name.split(".")[0] for p in (tmp_path / "same").iterdir()} >= {"triples",
                                                                             "turtle"}
