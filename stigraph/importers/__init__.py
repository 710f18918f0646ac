"""Importers of public data sets: CORDIS, the Green Climate Fund, OpenAlex co-authorship and
the Correlates of War IGO memberships.

Each importer turns a data set into N-Triples lines (a generator, nothing held twice in
memory), counts what it made, logs every bad row in a :class:`~.common.RejectLog` and reports
the organisations it matched to seed actors. The functions here run one importer end to end:
write the triples (``.nt`` streamed, ``.ttl`` through a store) and the rejects file.

Source attributions: "Source: CORDIS, European Commission" (CC BY 4.0); Green Climate Fund
open data via UN-OCHA HDX (CC BY); OpenAlex (CC0), aggregated by V. Batagelj (bavla/OpenAlex);
Correlates of War IGO data v3.0 (cite Pevehouse, Nordstrom, McManus & Jamison 2020,
doi:10.1177/0022343319881175).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from stigraph.importers.common import (
    ImportResult,
    ImportStats,
    ProgressCallback,
    RejectLog,
    known_countries,
    write_triples,
)
from stigraph.importers.matching import SeedMatcher, load_seed_actors

__all__ = ["ImportResult", "import_cordis", "import_cow_igo", "import_gcf", "import_openalex",
           "run_import"]


def run_import(
    source: str,
    make_lines: Callable[[RejectLog, ImportStats, SeedMatcher], Iterator[str]],
    out: Path | str,
    *,
    rejects: Path | str | None = None,
    store: str = "auto",
    seed_dirs: Iterable[Path] = (),
    match_seeds: bool = True,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Run an importer: triples to ``out``, bad rows to ``rejects`` (if given); ``progress``
    hears the rows read of each file (``progress("Reading FILE", lines read, lines)``)."""
    log = RejectLog(progress=progress)
    stats = ImportStats()
    dirs = [Path(d) for d in seed_dirs]
    matcher = SeedMatcher(load_seed_actors(dirs) if match_seeds else ())
    count = write_triples(make_lines(log, stats, matcher), out, store=store, progress=progress)
    if rejects is not None:
        log.write(rejects)
    return ImportResult(source=source, stats=stats, rejects=log, matches=matcher.report(),
                        triples=count, out=Path(out))


def import_cordis(folder: Path | str, out: Path | str, *, rejects: Path | str | None = None,
                  store: str = "auto", seed_dirs: Iterable[Path] = (),
                  match_seeds: bool = True,
                  progress: ProgressCallback | None = None) -> ImportResult:
    """Import the CORDIS CSV files in ``folder`` into the RDF file ``out``."""
    from stigraph.importers.cordis import cordis_triples

    dirs = [Path(d) for d in seed_dirs]
    countries = known_countries(dirs)
    return run_import(
        "cordis",
        lambda log, stats, matcher: cordis_triples(folder, log=log, stats=stats,
                                                   matcher=matcher, countries=countries),
        out, rejects=rejects, store=store, seed_dirs=dirs, match_seeds=match_seeds,
        progress=progress)


def import_gcf(path: Path | str, out: Path | str, *, rejects: Path | str | None = None,
               store: str = "auto", seed_dirs: Iterable[Path] = (),
               match_seeds: bool = True,
               progress: ProgressCallback | None = None) -> ImportResult:
    """Import the GCF API JSON (``v1-projects.json``) or its flattened CSV folder."""
    from stigraph.importers.gcf import gcf_triples

    dirs = [Path(d) for d in seed_dirs]
    countries = known_countries(dirs)
    return run_import(
        "gcf",
        lambda log, stats, matcher: gcf_triples(path, log=log, stats=stats, matcher=matcher,
                                                countries=countries),
        out, rejects=rejects, store=store, seed_dirs=dirs, match_seeds=match_seeds,
        progress=progress)


def import_openalex(path: Path | str, out: Path | str, *, rejects: Path | str | None = None,
                    store: str = "auto", seed_dirs: Iterable[Path] = (),
                    from_year: int | None = None, to_year: int | None = None,
                    progress: ProgressCallback | None = None) -> ImportResult:
    """Import OpenAlex country co-authorship counts (edges CSV, or the folder holding it)."""
    from stigraph.importers.openalex import openalex_triples

    dirs = [Path(d) for d in seed_dirs]
    countries = known_countries(dirs)
    return run_import(
        "openalex",
        lambda log, stats, _matcher: openalex_triples(path, log=log, stats=stats,
                                                      countries=countries,
                                                      from_year=from_year, to_year=to_year),
        out, rejects=rejects, store=store, seed_dirs=dirs, match_seeds=False,
        progress=progress)


def import_cow_igo(folder: Path | str, out: Path | str, *, rejects: Path | str | None = None,
                   store: str = "oxigraph", seed_dirs: Iterable[Path] = (),
                   match_seeds: bool = True, correct_known_errors: bool = True,
                   progress: ProgressCallback | None = None) -> ImportResult:
    """Import the COW IGO v3.0 membership spells in ``folder`` (igos.csv and the spells)."""
    from stigraph.importers.cow_igo import cow_igo_triples

    dirs = [Path(d) for d in seed_dirs]
    countries = known_countries(dirs)
    return run_import(
        "cow-igo",
        lambda log, stats, matcher: cow_igo_triples(
            folder, log=log, stats=stats, matcher=matcher, countries=countries,
            correct_known_errors=correct_known_errors),
        out, rejects=rejects, store=store, seed_dirs=dirs, match_seeds=match_seeds,
        progress=progress)
