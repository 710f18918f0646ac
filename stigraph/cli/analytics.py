"""Analytics commands: centrality, communities, gaps, recommend, evaluate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from stigraph.analytics import api, defaults
from stigraph.analytics.centrality import MEASURES
from stigraph.analytics.links import METHODS
from stigraph.analytics.predicted_rdf import predicted_links_rdf
from stigraph.analytics.records import Recommendation
from stigraph.build.builder import GraphSource, open_graph
from stigraph.cli.evidence import chosen_evidence, evidence_options
from stigraph.cli.model import (
    emit_rows,
    model_recommendations,
    rolling_options,
    rolling_rows,
)
from stigraph.cli.options import (
    DATE,
    emit,
    format_option,
    graph_source,
    out_option,
    reports_errors,
)
from stigraph.errors import ParameterError
from stigraph.neo4j import gds
from stigraph.outputs.tables import write_rows
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.networks import PROJECTIONS
from stigraph.store.files import write_graph


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


_LIST_COLUMNS = ("shared", "new_areas", "evidence")


def _flat(rows: Sequence[dict[str, Any]], fmt: str) -> list[dict[str, Any]]:
    if fmt == "json":
        return list(rows)
    return [{k: ("; ".join(map(str, v)) if isinstance(v, list) else v) for k, v in r.items()}
            for r in rows]


def _emit(rows: Sequence[dict[str, Any]], fmt: str, out: Path | None,
          columns: Sequence[str] | None = None) -> None:
    flat = _flat(rows, fmt)
    if out is not None:
        write_rows(out, flat, fmt, columns)
        click.echo(f"wrote {len(flat)} rows to {out}", err=True)
    else:
        emit(flat, fmt, columns)


def _inputs(source: GraphSource, as_of: dt.date | None, area: str | None) -> AnalysisInputs:
    """The graph from the graph-source options, as the inputs of one command's analyses
    (``--evidence`` and ``--counting`` are read from the command's context:
    :func:`~stigraph.cli.evidence.chosen_evidence`)."""
    evidence, counting = chosen_evidence()
    return AnalysisInputs(open_graph(source).graph, as_of=_iso(as_of), area=area,
                          evidence=evidence, counting=counting)


def _note_uncertain(inputs: AnalysisInputs) -> None:
    """Say on stderr how many facts the date leaves out because their dates are too coarse."""
    left_out = len(inputs.uncertain)
    if left_out:
        day = inputs.as_of or "today"
        click.echo(f"{left_out} membership(s) with dates uncertain on {day} left out (list them: "
                   f"stigraph query uncertain-facts --param as_of={inputs.as_of or 'YYYY-MM-DD'})",
                   err=True)


def _common(func: Any) -> Any:
    for option in reversed([
        click.option("--as-of", "as_of", type=DATE,
                     help="Analyse the graph as of this date (YYYY-MM-DD; YYYY-MM or YYYY: its "
                     "last day). Default: today."),
        click.option("--area", metavar="SLUG", help="Only organisations addressing this "
                     "cooperation area (e.g. research-collaboration)."),
        click.option("--seed", type=int, default=defaults.SEED, show_default=True,
                     help="Random seed (sampling, Louvain, baselines)."),
        evidence_options,
        out_option("the rows, in --format, instead of printing them (written atomically)"),
    ]):
        func = option(func)
    return graph_source(format_option(func))


_projection = click.option("--projection", type=click.Choice(list(PROJECTIONS)),
                           default="country-country", show_default=True,
                           help="Which projection to analyse.")


@click.command()
@_common
@_projection
@click.option("--group", help="Rank within a country group: LDC, LLDC, SIDS, developing, an "
              "income code (L, LM, UM, H) or a region (Africa).")
@click.option("--by", type=click.Choice(MEASURES), default="pagerank", show_default=True)
@click.option("--top", type=int, help="Only the first N rows.")
@click.option("--sample", "k", type=int, help="Sample this many sources for betweenness and "
              "closeness (large graphs).")
@gds.backend_options
@reports_errors
def centrality(source: GraphSource, fmt: str, as_of: dt.date | None,
                area: str | None, seed: int,
               out: Path | None, projection: str, group: str | None, by: str, top: int | None,
               k: int | None, backend: str, **neo4j: Any) -> None:
    """Degree, strength, betweenness, closeness, eigenvector and PageRank of each node.

    \b
    Example:
        stigraph centrality --group LDC --as-of 2020 --top 10 --format table
    """
    inputs = _inputs(source, as_of, area)
    report = gds.report_function(api.centrality_report, backend, neo4j)
    rows = report(inputs, projection=projection, group=group, by=by, k=k, seed=seed, top=top)
    _emit([r.as_row() for r in rows], fmt, out)
    _note_uncertain(inputs)


@click.command()
@_common
@_projection
@click.option("--resolution", type=float, default=1.0, show_default=True)
@click.option("--summary", is_flag=True, help="One row per community instead of per node.")
@gds.backend_options
@reports_errors
def communities(source: GraphSource, fmt: str, as_of: dt.date | None,
                area: str | None, seed: int,
                out: Path | None, projection: str, resolution: float, summary: bool,
                backend: str, **neo4j: Any) -> None:
    """Louvain communities (seeded) and their modularity.

    \b
    Example:
        stigraph communities --summary --seed 1 --format table
    """
    inputs = _inputs(source, as_of, area)
    report = gds.report_function(api.communities_report, backend, neo4j)
    rows = report(inputs, projection=projection, seed=seed, resolution=resolution,
                  summary=summary)
    _emit(rows, fmt, out)
    _note_uncertain(inputs)


@click.command()
@_common
@click.option("--country", help="A country code (KE); default: every developing country.")
@click.option("--group", help="Every country of a group (LDC, SIDS, L, Africa…).")
@click.option("--kind", type=click.Choice(["areas", "matrix", "programmes"]), default="areas",
              show_default=True, help="areas: no/weak areas vs peers; matrix: country × area "
              "counts; programmes: open to the country, not joined.")
@click.option("--peers", "by", type=click.Choice(["income", "region"]), default="income",
              show_default=True, help="Compare with the same income group or region.")
@click.option("--weak", type=float, default=0.5, show_default=True,
              help="Weak = fewer links than this share of the peer median.")
@click.option("--top", type=int, help="Programmes: at most N per country.")
@reports_errors
def gaps(source: GraphSource, fmt: str, as_of: dt.date | None,
          area: str | None, seed: int, out: Path | None,
         country: str | None, group: str | None, kind: str, by: str, weak: float,
         top: int | None) -> None:
    """Partnership gaps of developing countries by cooperation area, against their peers.

    \b
    Example:
        stigraph gaps --country KE --kind programmes --format table
        stigraph gaps --kind matrix --format csv --out gaps.csv
    """
    # the gaps are counted over every organisation, whatever --area says (as before)
    inputs = _inputs(source, as_of, None)
    rows = api.gaps_report(inputs, country=country, group=group, by=by, weak=weak, kind=kind,
                           top=top)
    _emit([r.as_row() for r in rows], fmt, out)
    _note_uncertain(inputs)


@click.command()
@_common
@click.option("--country", help="A country code (KE).")
@click.option("--group", help="Every country of a group (LDC, SIDS…); peers = the group.")
@click.option("--top", type=int, default=10, show_default=True,
              help="How many organisations and how many partner countries (each).")
@click.option("--method", type=click.Choice([*METHODS, "model"]), default="model",
              show_default=True, help="model: the trained accession model for organisations "
              "(`stigraph train`; the 'model' extra), explained by its features; partner "
              "countries then come from the ensemble. preferential_attachment: the "
              "popularity baseline; any index or the ensemble for everything.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path),
              help="With --method model: the trained model (trained and written here when "
              "missing or stale) [default: the user cache folder, $STIGRAPH_CACHE_DIR/models, "
              "keyed by the hash of the model's inputs].")
@click.option("--targets", type=click.Choice(["all", "organisations", "countries"]),
              default="all", show_default=True, help="What may be recommended: organisations "
              "(actors and programmes) and partner countries, ranked separately and labelled "
              "in the target_group column, or one of the two.")
@click.option("--rdf", "rdf_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the predictions as RDF (stig:PredictedLink), e.g. predicted.ttl.")
@reports_errors
def recommend(source: GraphSource, fmt: str, as_of: dt.date | None,
               area: str | None, seed: int,
              out: Path | None, country: str | None, group: str | None, top: int, method: str,
              targets: str, model_path: Path | None, rdf_out: Path | None) -> None:
    """Actors, programmes and partner countries a country is not yet linked to, explained.

    Organisations and partner countries are ranked separately (top N of each). With the
    model (the default) an organisation's score is the probability of joining within five
    years; with an index, scores are percentile ranks among the candidates, not
    probabilities; see the README's Analytics section for what they mean and their limits.

    \b
    Example:
        stigraph recommend --country KE --top 10 --format table
        stigraph recommend --country KE --method preferential_attachment
        stigraph recommend --group LDC --top 3 --rdf predicted.ttl
    """
    kinds = {"all": ("actor", "initiative", "country"), "organisations": ("actor", "initiative"),
             "countries": ("country",)}[targets]
    inputs = _inputs(source, as_of, area)
    recs: list[Recommendation] = []
    if method == "model":
        if targets != "countries":
            recs = model_recommendations(inputs.rdf, country=country, group=group,
                                         as_of=as_of, top=top, model_path=model_path)
        method, kinds = "ensemble", tuple(k for k in kinds if k == "country")
    if kinds:
        recs += api.recommend_report(inputs, country=country, group=group, top=top,
                                     method=method, kinds=kinds, seed=seed)
    if rdf_out is not None:
        write_graph(predicted_links_rdf(recs, as_of=inputs.as_of), rdf_out)
        click.echo(f"wrote {len(recs)} predicted links to {rdf_out}", err=True)
    _emit([r.as_row() for r in recs], fmt, out)
    _note_uncertain(inputs)


@click.command()
@_common
@click.option("--cutoff", type=DATE, help="Time split: the graph as of this date predicts "
              "later links (default: ~25% of dated memberships start after it).")
@click.option("--fraction", type=float, default=defaults.HOLDOUT_FRACTION, show_default=True,
              help="Hold-out share of country–organisation links.")
@click.option("--split", "splits", type=click.Choice(["holdout", "time", "country-time",
                                                     "rolling"]),
              multiple=True, help="Which protocol (default holdout and time); country-time: "
              "direct country–country links such as imported co-authorship; rolling: the "
              "accession model's rolling-origin back-test on real joins (COW IGO and the "
              "curated STI bodies; reads no graph).")
@rolling_options
@reports_errors
def evaluate(source: GraphSource, fmt: str, as_of: dt.date | None,
              area: str | None, seed: int,
             out: Path | None, cutoff: dt.date | None, fraction: float,
             splits: tuple[str, ...], **rolling: Any) -> None:
    """Evaluate the link-prediction methods against random and popularity baselines.

    --as-of is the end date of the evaluation (default today).

    \b
    Example:
        stigraph evaluate --format table
        stigraph evaluate --split time --cutoff 2019-12-31
        stigraph evaluate --include out/openalex.nt --split country-time --cutoff 2010
        stigraph evaluate --split rolling --format table
    """
    if "rolling" in splits:
        if len(splits) > 1:
            raise ParameterError("--split rolling runs alone (it reads no graph)")
        emit_rows(rolling_rows(seed=seed, **rolling), fmt, out)
        return
    inputs = _inputs(source, as_of, area)
    rows = api.evaluation_report(inputs, cutoff=_iso(cutoff), fraction=fraction, seed=seed,
                                 splits=splits or ("holdout", "time"))
    _emit([r.as_row() for r in rows], fmt, out)
    _note_uncertain(inputs)


COMMANDS = [centrality, communities, gaps, recommend, evaluate]
