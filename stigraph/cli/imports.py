"""``stigraph import``: turn public data sets (CORDIS, GCF, OpenAlex, COW IGO) into RDF files."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from stigraph.cli.options import emit, format_option, out_option, reports_errors
from stigraph.cli.progress import Progress
from stigraph.importers import (
    ImportResult,
    import_cordis,
    import_cow_igo,
    import_gcf,
    import_openalex,
)
from stigraph.store import STORES

F = Callable[..., Any]


def _common_options(func: F) -> F:
    for option in reversed([
        out_option("the RDF, .nt (streamed, fastest) or .ttl", required=True),
        click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path),
                     help="CSV file for the rows that were rejected or kept with a problem."),
        click.option("--store", type=click.Choice(STORES), default="auto",
                     show_default=True, help="Store used to write Turtle (.ttl) output."),
        click.option("--seeds", "seed_dirs", multiple=True,
                     type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="Extra seed folder with actors/countries to match (repeatable)."),
        click.option("--quiet", "-q", is_flag=True,
                     help="No progress display (rows read of each file, on stderr)."),
    ]):
        func = option(func)
    return func


def _report(result: ImportResult, fmt: str, elapsed: float, show_matches: bool) -> None:
    emit(result.summary_rows(), fmt, ["what", "count"])
    for row in result.rejects.summary():
        examples = row["examples"]
        sample = "; ".join(str(e) for e in examples) if isinstance(examples, list) else ""
        click.echo(f"{row['count']} {row['reason']} ({row['action']}), e.g. {sample}", err=True)
    if show_matches:
        for match in result.matches:
            click.echo(f"matched {match['source_id']} {match['source_name']!r} "
                       f"({match['country'] or '-'}) -> {match['seed_actor']} "
                       f"by {match['rule']}", err=True)
    click.echo(f"wrote {result.triples} triples to {result.out} in {elapsed:.1f} s", err=True)


@click.group(name="import")
def import_group() -> None:
    """Import public data sets into RDF files that `stigraph build --include` adds.

    \b
    Example:
        stigraph import cordis data/cordis_horizon_europe --out out/cordis.nt \\
            --rejects out/cordis-rejects.csv
        stigraph build --include out/cordis.nt --store oxigraph
    """


@import_group.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_common_options
@format_option
@reports_errors
def cordis(folder: Path, out: Path, rejects: Path | None, store: str,
           seed_dirs: tuple[Path, ...], quiet: bool, fmt: str) -> None:
    """Import CORDIS organisations, projects, participations and fields of science.

    FOLDER holds the CORDIS CSV files (organization.csv, project.csv, euroSciVoc.csv, any
    prefix; ',' or ';' separated; Horizon Europe or Horizon 2020). Organisations that are seed
    actors (CERN, CGIAR centres…) are matched and listed.

    \b
    Example:
        stigraph import cordis ../shared/data/cordis_horizon_europe --out out/cordis.nt \\
            --rejects out/cordis-rejects.csv --format table
    """
    started = time.perf_counter()
    with Progress(quiet=quiet) as bar:
        result = import_cordis(folder, out, rejects=rejects, store=store, seed_dirs=seed_dirs,
                                progress=bar)
    _report(result, fmt, time.perf_counter() - started, show_matches=True)


@import_group.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@_common_options
@format_option
@reports_errors
def gcf(source: Path, out: Path, rejects: Path | None, store: str,
        seed_dirs: tuple[Path, ...], quiet: bool, fmt: str) -> None:
    """Import Green Climate Fund projects, countries, accredited entities and result areas.

    SOURCE is the GCF API JSON (v1-projects.json) or a folder with its CSV export
    (gcf_projects.csv, gcf_project_countries.csv, gcf_project_entities.csv,
    gcf_project_result_areas.csv).

    \b
    Example:
        stigraph import gcf ../shared/data/gcf/v1-projects.json --out out/gcf.ttl
    """
    started = time.perf_counter()
    with Progress(quiet=quiet) as bar:
        result = import_gcf(source, out, rejects=rejects, store=store, seed_dirs=seed_dirs,
                            progress=bar)
    _report(result, fmt, time.perf_counter() - started, show_matches=True)


@import_group.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@_common_options
@click.option("--from-year", type=int, help="First year to import.")
@click.option("--to-year", type=int, help="Last year to import.")
@format_option
@reports_errors
def openalex(source: Path, out: Path, rejects: Path | None, store: str,
             seed_dirs: tuple[Path, ...], from_year: int | None, to_year: int | None,
             quiet: bool, fmt: str) -> None:
    """Import OpenAlex country co-authorship counts per year (country–country weights).

    SOURCE is the edges CSV (year,iso2_a,iso2_b,coauthored_works) or the folder holding it
    and the yearly totals.

    \b
    Example:
        stigraph import openalex ../shared/data/openalex_country_coauthorship \\
            --from-year 2015 --out out/openalex.nt
    """
    started = time.perf_counter()
    with Progress(quiet=quiet) as bar:
        result = import_openalex(source, out, rejects=rejects, store=store,
                                 seed_dirs=seed_dirs, from_year=from_year, to_year=to_year,
                                 progress=bar)
    _report(result, fmt, time.perf_counter() - started, show_matches=False)


@import_group.command(name="cow-igo")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_common_options
@click.option("--as-published", is_flag=True,
              help="Keep COW's known errors as published (marked) instead of correcting them.")
@format_option
@reports_errors
def cow_igo(folder: Path, out: Path, rejects: Path | None, store: str,
            seed_dirs: tuple[Path, ...], as_published: bool, quiet: bool, fmt: str) -> None:
    """Import Correlates of War IGO v3.0: IGOs and dated membership spells of states.

    FOLDER holds igos.csv and igo_membership_spells.csv (plain or .gz). IGOs that are seed
    actors (CERN, OECD, ASEAN, the UN…) are matched and listed; historical states without an
    ISO code are rejected; the source's known errors are corrected, citing the official page.
    Cite: Pevehouse et al. (2020), doi:10.1177/0022343319881175.

    \b
    Example:
        stigraph import cow-igo ../shared/data/cow_igo --out out/cow-igo.nt \\
            --rejects out/cow-igo-rejects.csv --format table
    """
    started = time.perf_counter()
    with Progress(quiet=quiet) as bar:
        result = import_cow_igo(folder, out, rejects=rejects, store=store,
                                seed_dirs=seed_dirs, correct_known_errors=not as_published,
                                progress=bar)
    _report(result, fmt, time.perf_counter() - started, show_matches=True)




@click.command()
@click.argument("dataset", type=click.Choice(["cordis", "gcf"]))
@click.option("--url", help="Fetch from this address instead of the official one (a mirror).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Cache folder [default: $STIGRAPH_CACHE_DIR, else "
              "$XDG_CACHE_HOME/stigraph, else ~/.cache/stigraph].")
@reports_errors
def fetch(dataset: str, url: str | None, cache_dir: Path | None) -> None:
    """Download the current official files of DATASET into the user cache (resumable).

    cordis: the CORDIS Horizon Europe CSV archive of the EU open data portal; gcf: the Green
    Climate Fund open data API's projects. Prints the import command to run next.

    \b
    Example:
        stigraph fetch cordis
        stigraph fetch gcf --url https://mirror.example.org/v1/projects
    """
    from stigraph.cli.options import default_cache_dir
    from stigraph.importers.fetch import SOURCES
    from stigraph.importers.fetch import fetch as run_fetch

    address = url or SOURCES[dataset].url
    click.echo(f"fetching {address}", err=True)
    with click.progressbar(length=0, label=dataset, file=sys.stderr, show_pos=True) as bar:
        def progress(done: int, total: int | None) -> None:
            if total and bar.length != total:
                bar.length = total
            bar.update(done - bar.pos)

        result = run_fetch(dataset, cache_dir or default_cache_dir(), url=url,
                           progress=progress)
    resumed = f", resumed at byte {result.resumed_from:,}" if result.resumed_from else ""
    click.echo(f"wrote {result.file} ({result.size:,} bytes, SHA-256 {result.sha256}"
               f"{resumed}); recorded in {result.file.parent / 'checksums.csv'}", err=True)
    click.echo(f"next: {result.next_command()}")


COMMANDS = [import_group, fetch]
