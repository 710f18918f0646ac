"""``stigraph report`` (the analyst's report) and ``stigraph viz`` (one network page)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from stigraph.cli.options import F, reports_errors
from stigraph.errors import ParameterError
from stigraph.store import STORES

_STEPS = 7


def _seed_inputs(func: F) -> F:
    """The seed folders and extra RDF files both commands build their graph from."""
    options = [
        click.option("--seeds", "seed_dirs", multiple=True,
                     type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="Extra seed folder (repeatable)."),
        click.option("--no-default-seeds", is_flag=True,
                     help="Read only the --seeds folders, not the project's own seeds/."),
        click.option("--include", multiple=True,
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Extra RDF file to add, e.g. importer output (repeatable)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _as_of(value: str | None) -> dt.date | None:
    if not value:
        return None
    from stigraph.projection.networks import as_of_date

    text = as_of_date(value)
    return dt.date.fromisoformat(text) if text else None


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out/report"), show_default=True, help="Folder to write the report to.")
@click.option("--as-of", "as_of", metavar="DATE",
              help="Look at the graph on this date (YYYY-MM-DD or YYYY). Default: today.")
@click.option("--country", metavar="ISO2", help="Country to focus on (e.g. KE).")
@click.option("--group", metavar="GROUP",
              help="Country group to focus the gaps and recommendations on: ldc, lldc, sids, "
                   "developing.")
@_seed_inputs
@click.option("--store", type=click.Choice(STORES), default="auto",
              show_default=True,
              help="Embedded RDF store; auto = Oxigraph when installed, else rdflib's memory.")
@click.option("--top", type=click.IntRange(1, 200), default=15, show_default=True,
              help="How many actors the rankings show.")
@click.option("--strict", is_flag=True, help="Stop if the graph does not pass validation.")
@click.option("--no-networks", is_flag=True, help="Skip the network pages.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@reports_errors
def report(out_dir: Path, as_of: str | None, country: str | None, group: str | None,
           seed_dirs: tuple[Path, ...], no_default_seeds: bool, include: tuple[Path, ...],
           store: str, top: int, strict: bool, no_networks: bool, quiet: bool) -> None:
    """Build the graph, analyse it and write the analyst's report.

    Writes OUT/report.html (one self-contained page: open it in any browser, offline), the
    network pages, charts, CSV tables and the graph files, and prints the path to open.

    \b
    Example:
        stigraph report --out out/report
        stigraph report --out out/ke --as-of 2023-12-31 --country KE --group ldc
    """
    from stigraph.outputs.report import ReportSettings, build_report

    settings = ReportSettings(seed_dirs=seed_dirs, default_seeds=not no_default_seeds,
                              include=include, store=store,
                              as_of=_as_of(as_of), country=country, group=group, top=top,
                              strict=strict, networks=not no_networks)
    started = time.perf_counter()
    count = 0

    def progress(step: str) -> None:
        nonlocal count
        count += 1
        if not quiet:
            click.echo(f"[{count}/{_STEPS}] {step}… ({time.perf_counter() - started:.1f} s)",
                       err=True)

    result = build_report(out_dir, settings, progress=progress)
    if not result.conforms:
        click.echo(f"Warning: the graph has {result.violations} validation problems; the report "
                   "lists them.", err=True)
    if not quiet:
        click.echo(f"Done in {result.seconds:.1f} s. Open:", err=True)
    click.echo(str(result.path.resolve()))


@click.command()
@click.argument("view", type=click.Choice(["country", "actor", "bipartite", "cooperation"]))
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="HTML file to write.")
@click.option("--ego", metavar="NODE",
              help="Only the neighbourhood of this node (slug, ISO code, label or IRI).")
@click.option("--depth", type=click.IntRange(0, 6), default=1, show_default=True,
              help="How many links out from --ego.")
@click.option("--size-by", type=click.Choice(["pagerank", "degree", "betweenness",
                                              "eigenvector", "strength", "closeness", "none"]),
              default="pagerank", show_default=True, help="Centrality that sets node size.")
@click.option("--as-of", "as_of", metavar="DATE", help="Look at the graph on this date.")
@_seed_inputs
@reports_errors
def viz(view: str, out_file: Path, ego: str | None, depth: int, size_by: str,
        as_of: str | None, seed_dirs: tuple[Path, ...], no_default_seeds: bool,
        include: tuple[Path, ...]) -> None:
    """Write an interactive network page (self-contained HTML, works offline).

    VIEW is the projection: country (countries linked by shared organisations), actor
    (actors and initiatives), bipartite (countries and the organisations they take part in)
    or cooperation (all three together).

    \b
    Example:
        stigraph viz country --out out/countries.html
        stigraph viz cooperation --ego cern --depth 2 --out out/cern.html
    """
    from stigraph.outputs.report.views import network_page

    if ego is None and depth != 1:
        raise ParameterError("--depth needs --ego")
    page = network_page(view, out_file, ego=ego, depth=depth,
                        size_by=None if size_by == "none" else size_by,
                        as_of=_as_of(as_of), seed_dirs=seed_dirs, include=include,
                        default_seeds=not no_default_seeds)
    click.echo(f"{page.nodes} nodes, {page.edges} links", err=True)
    click.echo(str(page.path.resolve()))


COMMANDS = [report, viz]
