"""The kept graph (stigraph.build.cache) against fresh builds: many kept graphs alive in one
process, random inputs, two processes at once, and a build killed half-way.

Every kept graph opened is compared, as a set of triples, with a fresh build of the same
inputs that never touched the cache, and with its own dump read back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph

from stigraph.build.builder import GraphSource, open_graph
from stigraph.build.graphfile import check_graph_file, check_triples, write_graph_files
from stigraph.build.lifetimes import BOUND_PREDICATES
from stigraph.store import store_of
from stigraph.store.files import parse_rdf_file

MINI_SEEDS = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"
ID = "https://w3id.org/stigraph/id/"
STIG = "https://w3id.org/stigraph/ontology/"


def _source(cache_dir: Path | None, seeds: Path = MINI_SEEDS, **extra: object) -> GraphSource:
    return GraphSource(seed_dirs=(seeds,), default_seeds=False, default_data=False,
                       store="oxigraph", cache_dir=cache_dir, **extra)  # type: ignore[arg-type]


def _kept(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / "graphs").iterdir()
                  if p.is_dir() and not p.name.startswith((".", "open-")))


def _seeds_with(folder: Path, actors: int) -> Path:
    """A copy of the mini seeds with ``actors`` more actors (dated, so with date bounds): a
    larger graph, so another key."""
    shutil.copytree(MINI_SEEDS, folder)
    with (folder / "actors.csv").open("a", encoding="utf-8") as table:
        for n in range(actors):
            table.write(f"extra{n},Extra Body {n},,Fund,KE,,,,{1990 + n},A fund,para 25\n")
    return folder


def _triples(graph: Graph) -> set[tuple[object, object, object]]:
    return set(graph)


def _dumped(graph: Graph, folder: Path) -> Graph:
    """``graph`` written as `stigraph build` writes it, checked and read back."""
    target = folder / "g.nt"
    write_graph_files(graph, [target])
    back = Graph()
    expected = check_graph_file(target)
    parse_rdf_file(back, target)
    check_triples(target, expected, len(back))
    return back


def test_kept_graphs_of_different_inputs_stay_apart_in_one_process(tmp_path: Path) -> None:
    """The failure of the full test run: every kept copy has the same graph name, and the
    store registry matched rdflib graphs by equality (by name), so a second kept graph was
    dumped, counted and given its date bounds through the first one's store."""
    cache_dir = tmp_path / "c"
    small = _seeds_with(tmp_path / "small", 3)
    fresh = {"mini": open_graph(_source(None)), "small": open_graph(_source(None, small))}
    open_graph(_source(cache_dir))
    open_graph(_source(cache_dir, small))
    assert len(_kept(cache_dir)) == 2
    kept = {"mini": open_graph(_source(cache_dir)), "small": open_graph(_source(cache_dir, small))}
    assert len(fresh["mini"].graph) != len(fresh["small"].graph)
    for name, result in kept.items():  # both alive at once, each read through its own store
        assert _triples(store_of(result.graph).graph) == _triples(fresh[name].graph)
        assert len(store_of(result.graph)) == len(fresh[name].graph)
        back = _dumped(result.graph, tmp_path / name)
        assert len(back) == len(fresh[name].graph)


def test_date_bounds_of_a_kept_graph_with_an_include_land_in_it(tmp_path: Path) -> None:
    """An include file on a kept copy bounds the dated facts again: into that copy, once."""
    extra = tmp_path / "extra.nt"
    extra.write_text(f"<{ID}actor/x> <{STIG}headquarteredIn> <{ID}country/KE> .\n", "utf-8")
    small = _seeds_with(tmp_path / "small", 2)
    open_graph(_source(tmp_path / "c", small))  # another kept graph, alive beside it
    other = open_graph(_source(tmp_path / "c", small))
    open_graph(_source(tmp_path / "c"))
    kept = open_graph(_source(tmp_path / "c", include=(extra,)))
    fresh = open_graph(_source(None, include=(extra,)))

    def bounds(graph: Graph) -> set[tuple[object, object, object]]:
        return {t for p in BOUND_PREDICATES for t in graph.triples((None, p, None))}

    assert bounds(fresh.graph)
    assert bounds(kept.graph) == bounds(fresh.graph)
    assert _triples(kept.graph) == _triples(fresh.graph)
    assert _triples(other.graph) == _triples(open_graph(_source(None, small)).graph)
