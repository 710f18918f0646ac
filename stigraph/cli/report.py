"""``stigraph report`` (the analyst's report) and ``stigraph viz`` (one network page)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from stigraph.build.builder import GraphSource
from stigraph.cli.evidence import chosen_evidence, evidence_options
from stigraph.cli.options import DATE, graph_source, out_option, reports_errors
from stigraph.cli.progress import Progress
from stigraph.errors import ParameterError

#: The report's steps (see :func:`stigraph.outputs.report.build_report`); ``--strict`` adds
#: one: the validation, run before the rest instead of beside it.
_STEPS = 5


@click.command()
@out_option("report.html with its networks/, charts/, tables/ and graph/ folders",
            folder=True, default=Path("out/report"))
@click.option("--as-of", "as_of", type=DATE,
              help="Look at the graph on this date (YYYY-MM-DD; YYYY-MM or YYYY: its last "
              "day). Default: today.")
@click.option("--country", metavar="ISO2", help="Country to focus on (e.g. KE): its "
              "recommendations, and its profile only instead of one per developing country.")
@click.option("--group", metavar="GROUP",
              help="Country group to focus the gaps and recommendations on: ldc, lldc, sids, "
                   "developing.")
@graph_source
@click.option("--top", type=click.IntRange(1, 200), default=15, show_default=True,
              help="How many actors the rankings show.")
@click.option("--strict", is_flag=True, help="Stop if the graph does not pass validation.")
@click.option("--no-networks", is_flag=True, help="Skip the network pages.")
@click.option("--developing", type=click.Choice(["dac", "m49", "income"]), default="dac",
              show_default=True, help="Which countries count as developing in the key-actors "
              "ranking: the OECD DAC List's rule, the UN M49 2020 flag or World Bank income.")
@evidence_options
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@reports_errors
def report(out: Path, as_of: dt.date | None, country: str | None, group: str | None,
           source: GraphSource, top: int, strict: bool, no_networks: bool, developing: str,
           quiet: bool) -> None:
    """Build the graph, analyse it and write the analyst's report.

    Writes OUT/report.html (one self-contained page: open it in any browser, offline), the
    network pages, charts, CSV tables and the graph files, and prints the path to open.

    \b
    Example:
        stigraph report --out out/report
        stigraph report --out out/ke --as-of 2023-12-31 --country KE --group ldc
    """
    from stigraph.outputs.report import ReportSettings, build_report

    evidence, counting = chosen_evidence()
    settings = ReportSettings(source=source, as_of=as_of, country=country, group=group, top=top,
                              strict=strict, networks=not no_networks, developing=developing,
                              evidence=evidence, counting=counting)
    count, label, steps = 0, "", _STEPS + (1 if strict else 0)
    bar = Progress(quiet=quiet)

    def progress(step: str, done: int | None = None, total: int | None = None) -> None:
        nonlocal count, label
        if done is None:  # a new step
            count += 1
            label = f"[{count}/{steps}] {step}"
            bar(label)
        else:  # how far the step is (sections done, pages drawn)
            bar(label, done, total)

    with bar:
        result = build_report(out, settings, progress=progress)
    if not result.conforms:
        click.echo(f"Warning: the graph has {result.violations} validation problems; the report "
                   "lists them.", err=True)
    if not quiet:
        click.echo(f"Done in {result.seconds:.1f} s. Open:", err=True)
    click.echo(str(result.path.resolve()))


@click.command()
@click.argument("view", type=click.Choice(["country", "actor", "bipartite", "cooperation"]))
@out_option("the network page (one self-contained HTML file)", required=True)
@click.option("--ego", metavar="NODE",
              help="Only the neighbourhood of this node (slug, ISO code, label or IRI).")
@click.option("--depth", type=click.IntRange(0, 6), default=1, show_default=True,
              help="How many links out from --ego.")
@click.option("--size-by", type=click.Choice(["pagerank", "degree", "betweenness",
                                              "eigenvector", "strength", "closeness", "none"]),
              default="pagerank", show_default=True, help="Centrality that sets node size.")
@click.option("--as-of", "as_of", type=DATE,
              help="Look at the graph on this date (YYYY-MM-DD; YYYY-MM or YYYY: its last "
              "day). Default: today.")
@graph_source
@evidence_options
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@reports_errors
def viz(view: str, out: Path, ego: str | None, depth: int, size_by: str,
        as_of: dt.date | None, source: GraphSource, quiet: bool) -> None:
    """Write an interactive network page (self-contained HTML, works offline).

    VIEW is the projection: country (countries linked by shared organisations, or by the
    evidence layers: --evidence), actor (actors and initiatives; with CORDIS data,
    organisations linked by the projects they share), bipartite (countries and the
    organisations they take part in) or cooperation (all three together).

    \b
    Example:
        stigraph viz country --out out/countries.html
        stigraph viz cooperation --ego cern --depth 2 --out out/cern.html
    """
    from stigraph.outputs.report.views import network_page

    if ego is None and depth != 1:
        raise ParameterError("--depth needs --ego")
    evidence, counting = chosen_evidence()
    with Progress(quiet=quiet) as bar:
        page = network_page(view, out, source, ego=ego, depth=depth,
                            size_by=None if size_by == "none" else size_by, as_of=as_of,
                            progress=bar, evidence=evidence, counting=counting)
    left = []
    if page.isolates:
        left.append(f"{page.isolates:,} unlinked nodes listed beside the graph")
    if page.left_out_nodes:
        left.append(f"{page.left_out_nodes:,} smaller nodes left out")
    if page.left_out_edges:
        left.append(f"{page.left_out_edges:,} weaker links left out")
    click.echo(f"draws {page.nodes:,} nodes and {page.shown_edges:,} of the {page.edges:,} links "
               "it carries (backbone slider on the page)"
               + (f"; {', '.join(left)}" if left else ""), err=True)
    click.echo(str(page.path.resolve()))


COMMANDS = [report, viz]
