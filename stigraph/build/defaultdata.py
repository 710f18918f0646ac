"""The shipped real data in every default build: the compact extracts in ``data/`` (see its
NOTICE.md) turned into triples by the importers, as ``stigraph import`` would, and bulk-loaded
after the seeds.

Each data set is read by its own importer with the seed actors to match against (CORDIS and
GCF organisations, COW IGOs that are seed bodies such as CERN or OECD) and the seed countries;
rows an importer rejects are counted (:class:`ShippedLoad`), as ``stigraph import`` reports
them. Lines go to the store in chunks, so no data set is ever held whole as text, and the
store loads one chunk while the importer writes the next.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from stigraph import resources
from stigraph.importers.common import ImportStats, RejectLog, country_codes, known_countries
from stigraph.importers.matching import SeedMatcher, load_seed_actors
from stigraph.store.base import Store

__all__ = ["SHIPPED_SETS", "ShippedLoad", "load_shipped_data", "shipped_files"]

#: The shipped data sets, in load order: folder in ``data/`` and the importer that reads it.
SHIPPED_SETS = ("cow_igo", "cordis_horizon_europe", "gcf", "openalex_country_coauthorship")

#: N-Triples lines per bulk load (about 25 MB of text).
_CHUNK = 150_000


@dataclass
class ShippedLoad:
    """What the shipped data added: triples (lines imported, a triple already in the graph
    counted again), rejected rows and seconds per data set."""

    triples: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def shipped_files(data_dir: Path | None = None) -> list[Path]:
    """Every file of the shipped data the build reads (for the cache key), in a stable order."""
    root = data_dir or resources.shipped_data_dir()
    return sorted(p for name in SHIPPED_SETS for p in (root / name).glob("*.csv.gz"))


def _lines(name: str, folder: Path, log: RejectLog, stats: ImportStats, matcher: SeedMatcher,
           countries: frozenset[str], seed_dirs: list[Path]) -> Iterator[str]:
    if name == "cordis_horizon_europe":
        from stigraph.importers.cordis import cordis_triples

        return cordis_triples(folder, log=log, stats=stats, matcher=matcher, countries=countries)
    if name == "gcf":
        from stigraph.importers.gcf import gcf_triples

        return gcf_triples(folder, log=log, stats=stats, matcher=matcher, countries=countries,
                           iso3_to_iso2=country_codes(seed_dirs))
    if name == "openalex_country_coauthorship":
        from stigraph.importers.openalex import openalex_triples

        return openalex_triples(folder, log=log, stats=stats, countries=countries)
    from stigraph.importers.cow_igo import cow_igo_triples

    return cow_igo_triples(folder, log=log, stats=stats, matcher=matcher, countries=countries)


def _chunks(lines: Iterable[str]) -> Iterator[tuple[int, bytes]]:
    """The lines in chunks of ``_CHUNK``: (lines, text). Counted here, as the store's own
    count is a scan of every triple."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= _CHUNK:
            yield len(batch), "".join(batch).encode("utf-8")
            batch.clear()
    if batch:
        yield len(batch), "".join(batch).encode("utf-8")


def _load_chunks(store: Store, chunks: Iterable[tuple[int, bytes]],
                 twin: Store | None = None) -> int:
    """Load the chunks in order, each while the next is being made: the store parses and
    indexes without holding Python's lock (Oxigraph), so the importer's Python and the store's
    loading use both cores. One chunk is loaded at a time; an error in either side is raised
    here. ``twin``: a second store given every chunk too, by a loader of its own (the build's
    copy in memory: :func:`stigraph.build.builder.build_graph`). Returns the number of
    lines."""
    count = 0
    targets = [store] if twin is None else [store, twin]
    loaders = [ThreadPoolExecutor(max_workers=1, thread_name_prefix="stigraph-load")
               for _ in targets]
    try:
        pending: list[Future[None]] = []
        for lines, chunk in chunks:
            for done in pending:
                done.result()
            pending = [loader.submit(target.load_data, chunk, "nt")
                       for loader, target in zip(loaders, targets, strict=True)]
            count += lines
        for done in pending:
            done.result()
    finally:
        for loader in loaders:
            loader.shutdown(wait=True)
    return count


def load_shipped_data(store: Store, *, seed_dirs: Iterable[Path] = (),
                      data_dir: Path | None = None,
                      progress: Callable[[str], None] | None = None,
                      twin: Store | None = None) -> ShippedLoad:
    """Import every shipped data set into ``store`` (matched to the seeds in ``seed_dirs``
    besides the project's own), and into ``twin`` too when given."""
    root = data_dir or resources.shipped_data_dir()
    dirs = [Path(d) for d in seed_dirs]
    countries = known_countries(dirs)
    actors = load_seed_actors(dirs)
    done = ShippedLoad()
    for name in SHIPPED_SETS:
        started = time.perf_counter()
        log, stats = RejectLog(), ImportStats()
        done.triples[name] = _load_chunks(store, _chunks(_lines(
            name, root / name, log, stats, SeedMatcher(actors), countries, dirs)), twin)
        done.rejected[name] = log.rejected
        done.seconds[name] = round(time.perf_counter() - started, 1)
        if progress is not None:
            progress(f"shipped data {name}: {done.triples[name]:,} triples in "
                     f"{done.seconds[name]} s")
    return done
