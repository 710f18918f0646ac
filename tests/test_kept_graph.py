"""The kept graph (stigraph.build.cache) against fresh builds: many kept graphs alive in one
process, random inputs, two processes at once, and a build killed half-way.

Every kept graph opened is compared, as a set of triples, with a fresh build of the same
inputs that never touched the cache, and with its own dump read back.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from stigraph.build import cache
from stigraph.build.builder import GraphSource, open_graph
from stigraph.build.graphfile import check_graph_file, check_triples, write_graph_files
from stigraph.build.lifetimes import BOUND_PREDICATES
from stigraph.store import store_of
from stigraph.store.files import parse_rdf_file

MINI_SEEDS = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"
ID = "https://w3id.org/stigraph/id/"
STIG = "https://w3id.org/stigraph/ontology/"
REPO = Path(__file__).resolve().parent.parent


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


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drops=st.lists(st.integers(min_value=0, max_value=6), min_size=2, max_size=4))
def test_kept_graphs_equal_fresh_builds_for_random_inputs(tmp_path: Path, drops: list[int]
                                                          ) -> None:
    """Build, keep, reopen, compare with a fresh build; all graphs of the example alive."""
    root = Path(os.path.join(tmp_path, f"run-{time.monotonic_ns()}"))
    alive = []
    for index, drop in enumerate(drops):
        seeds = _seeds_with(root / f"s{index}", drop)
        fresh = open_graph(_source(None, seeds))
        first = open_graph(_source(root / "c", seeds, cache_keep=10))
        again = open_graph(_source(root / "c", seeds, cache_keep=10))
        alive += [fresh, first, again]
        for result in (first, again):
            assert _triples(store_of(result.graph).graph) == _triples(fresh.graph)
            assert len(result.graph) == len(fresh.graph)
    assert len(_kept(root / "c")) == len(drops)  # each seed folder's path is in its key


_CHILD = """
import sys
from pathlib import Path
from stigraph.build.builder import GraphSource, open_graph
from stigraph.store import store_of
seeds, cache_dir, out = (Path(a) for a in sys.argv[1:4])
result = open_graph(GraphSource(seed_dirs=(seeds,), default_seeds=False, store="oxigraph",
                                cache_dir=cache_dir))
store_of(result.graph).dump(str(out), "nt")
"""


def _child(*args: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", _CHILD, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_processes_building_the_same_key_at_once(tmp_path: Path) -> None:
    """Both build; one keeps, the other goes on with its own graph or opens the kept one.
    Three empty caches (the race on the lock is at the start), then both read one at once."""
    store_of(open_graph(_source(None)).graph).dump(str(tmp_path / "fresh.nt"), "nt")
    fresh = _triples(Graph().parse(tmp_path / "fresh.nt", format="nt"))
    for round_, cache_dir in enumerate(["c0", "c1", "c2", "c2"]):
        runs = [_child(MINI_SEEDS, tmp_path / cache_dir, tmp_path / f"{round_}-{n}.nt")
                for n in range(2)]
        for run in runs:
            _, err = run.communicate(timeout=300)
            assert run.returncode == 0, err.decode()
        for n in range(2):
            got = Graph().parse(tmp_path / f"{round_}-{n}.nt", format="nt")
            assert _triples(got) == fresh
        assert len(_kept(tmp_path / cache_dir)) == 1
        graphs = tmp_path / cache_dir / "graphs"
        assert [p.name for p in graphs.iterdir() if p.name.startswith((".", "open-"))] == []


def test_a_build_killed_while_keeping_leaves_nothing_used(tmp_path: Path) -> None:
    """Kill the keeping run half-way: no kept graph for its key is opened afterwards, its
    staging folder is removed, and the next run keeps a complete graph."""
    stop = tmp_path / "stop"
    slow = f"""
import os, sys, time
from pathlib import Path
from stigraph.store import persistent
real = persistent.write_on_disk
def write_on_disk(store, folder):
    real(store, folder)
    Path({str(stop)!r}).write_text("ready")
    time.sleep(600)  # killed here: the store is written, the metadata not yet
import stigraph.build.cache as c
c.write_on_disk = write_on_disk
""" + _CHILD
    log = tmp_path / "stderr"
    with log.open("wb") as err, subprocess.Popen(
            [sys.executable, "-c", slow, str(MINI_SEEDS), str(tmp_path / "c"),
             str(tmp_path / "x.nt")], stderr=err) as run:
        deadline = time.monotonic() + 300
        while not stop.exists():
            assert run.poll() is None, log.read_text()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        run.send_signal(signal.SIGKILL)
        run.wait()
    graphs = tmp_path / "c" / "graphs"
    assert _kept(tmp_path / "c") == []
    assert [p for p in graphs.iterdir() if p.name.startswith(".") and p.is_dir()]
    result = open_graph(_source(tmp_path / "c"))
    assert _triples(result.graph) == _triples(open_graph(_source(None)).graph)
    assert len(_kept(tmp_path / "c")) == 1
    assert not [p for p in graphs.iterdir() if p.name.startswith(".") and p.is_dir()]


def test_key_covers_every_module_the_build_imports() -> None:
    """A build (seeds and shipped-data importers) imports only modules whose source is in
    the key, so a change to any code that makes triples gives another key."""
    probe = """
import sys
from stigraph.build.builder import build_graph
import stigraph.build.defaultdata, stigraph.importers.cordis, stigraph.importers.gcf
import stigraph.importers.openalex, stigraph.importers.cow_igo
build_graph()
print("\\n".join(m.__file__ for n, m in sorted(sys.modules.items())
                if n.startswith("stigraph") and getattr(m, "__file__", None)))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    imported = {Path(line).resolve() for line in done.stdout.split()}
    covered = {p.resolve() for p in cache.code_files()}
    assert imported and imported <= covered, sorted(imported - covered)


def test_key_changes_with_each_kind_of_input(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(MINI_SEEDS, seeds)
    base = cache.source_key(_source(tmp_path, seeds))
    assert cache.source_key(_source(tmp_path, seeds)) == base
    members = tmp_path / "more-members.csv"
    shutil.copy(seeds / "memberships.csv", members)
    with_members = cache.source_key(_source(tmp_path, seeds, membership_files=(members,)))
    assert with_members != base
    with members.open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert cache.source_key(_source(tmp_path, seeds, membership_files=(members,))) \
        != with_members
    other = tmp_path / "other"
    shutil.copytree(MINI_SEEDS, other)
    (other / "extra.ttl").write_text(f"<{ID}actor/x> a <{STIG}Actor> .\n", "utf-8")
    both = GraphSource(seed_dirs=(seeds, other), default_seeds=False)
    assert cache.source_key(both) not in {base, cache.source_key(
        GraphSource(seed_dirs=(other, seeds), default_seeds=False))}
    assert cache.source_key(_source(tmp_path, seeds, include=(members,))) == base
    assert cache.source_key(GraphSource(default_data=True)) \
        != cache.source_key(GraphSource(default_data=False))


def test_key_changes_with_the_ontology(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from stigraph import resources

    source = _source(tmp_path)
    base = cache.source_key(source)
    ontology = tmp_path / "ontology"
    shutil.copytree(resources.ontology_dir(), ontology)
    monkeypatch.setattr(resources, "ontology_dir", lambda: ontology)
    assert cache.source_key(source) == base
    first = sorted(ontology.glob("*.ttl"))[0]
    first.write_text(first.read_text("utf-8") + "\n# changed\n", "utf-8")
    assert cache.source_key(source) != base


def test_the_repository_ships_its_code_to_the_key() -> None:
    files = cache.code_files()
    assert (REPO / "stigraph" / "build" / "builder.py").resolve() in {p.resolve() for p in files}
    assert not [p for p in files if "cli" in p.parts or "outputs" in p.parts]


@pytest.mark.parametrize("keep", [2, 3])
def test_only_the_most_recent_keys_are_kept(tmp_path: Path, keep: int) -> None:
    keys = []
    for drop in range(keep + 2):
        seeds = _seeds_with(tmp_path / f"s{drop}", drop)
        open_graph(_source(tmp_path / "c", seeds, cache_keep=keep))
        keys.append(cache.source_key(_source(tmp_path / "c", seeds)))
        time.sleep(0.01)
    names = {e.key for e in cache.entries(tmp_path / "c")}
    assert names == set(keys[-keep:])
    assert len(_kept(tmp_path / "c")) == keep


def test_cli_keeps_by_default_lists_clears_and_obeys_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from click.testing import CliRunner

    from stigraph.cli import main

    monkeypatch.setenv("STIGRAPH_CACHE_DIR", str(tmp_path))
    runner = CliRunner()
    args = ["query", "members", "--param", "organisation=lab", "--format", "csv",
            "--seeds", str(MINI_SEEDS), "--no-default-seeds"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    listed = json.loads(runner.invoke(main, ["cache", "list"]).stdout)
    assert [row["key"] for row in listed] == [cache.source_key(_source(tmp_path))[:16]]
    assert listed[0]["megabytes"] > 0 and listed[0]["default_data"] is False
    again = runner.invoke(main, args)  # from the kept graph: the same rows
    assert again.exit_code == 0 and again.stdout == first.stdout
    cleared = runner.invoke(main, ["cache", "clear", "--format", "csv"])
    assert cleared.exit_code == 0 and listed[0]["key"] in cleared.stdout
    assert json.loads(runner.invoke(main, ["cache", "list"]).stdout) == []
    monkeypatch.setenv("STIGRAPH_CACHE", "0")
    off = runner.invoke(main, args)
    assert off.exit_code == 0 and off.stdout == first.stdout
    assert _kept(tmp_path) == []


def test_a_private_copy_goes_with_its_graph(tmp_path: Path) -> None:
    import gc

    open_graph(_source(tmp_path))  # builds, keeps and reads the kept graph: a copy
    gc.collect()
    copies = tmp_path / "graphs"
    assert list(copies.glob("open-*")) == []
    kept = open_graph(_source(tmp_path))
    assert len(list(copies.glob("open-*"))) == 1
    del kept
    gc.collect()
    assert list(copies.glob("open-*")) == []


def test_a_graph_kept_by_the_build_worker_equals_a_fresh_build(tmp_path: Path) -> None:
    from stigraph.build import builder

    source = _source(tmp_path / "c")
    assert builder._kept_by_worker(source, cache.source_key(source))
    assert len(_kept(tmp_path / "c")) == 1  # kept by the worker, not by this process
    kept, fresh = open_graph(source), open_graph(_source(None))
    assert len(kept.graph) > 100
    assert _triples(kept.graph) == _triples(fresh.graph)
    assert kept.origins == fresh.origins
    assert kept.lifetimes.facts == fresh.lifetimes.facts


def test_the_build_worker_reports_a_bad_seed_row_as_the_same_error(tmp_path: Path) -> None:
    from stigraph.build import builder
    from stigraph.errors import SeedError

    seeds = _seeds_with(tmp_path / "seeds", 0)
    with (seeds / "actors.csv").open("a", encoding="utf-8") as table:
        table.write("broken,Broken Body,,NotAKind,KE,,,,1990,A fund,para 25\n")
    source = _source(tmp_path / "c", seeds)
    with pytest.raises(SeedError) as in_process:
        open_graph(_source(None, seeds))
    with pytest.raises(SeedError) as in_worker:
        builder._kept_by_worker(source, cache.source_key(source))
    assert str(in_worker.value) == str(in_process.value)
    assert (in_worker.value.path, in_worker.value.line) == (in_process.value.path,
                                                           in_process.value.line)
    graphs = tmp_path / "c" / "graphs"
    assert not graphs.exists() or not list(graphs.iterdir())  # nothing kept of a failed build
