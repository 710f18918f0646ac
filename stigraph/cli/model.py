"""The accession model's commands: ``stigraph train`` and ``stigraph backtest``.

Both read the Correlates of War IGO spells (the shipped copy in ``data/cow_igo`` unless
``--cow`` names another folder) and the project's country seeds; neither needs the RDF graph.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import click

from stigraph.analytics import backtest as bt
from stigraph.analytics.curated import CURATED_BODIES, load_training_data
from stigraph.analytics.explain_model import origin_of, recommend_with_model
from stigraph.analytics.features import NAMES
from stigraph.analytics.joins import JoinData
from stigraph.analytics.model import KINDS, TrainedModel, load_model, save_model, train
from stigraph.analytics.records import Recommendation
from stigraph.build.cache import cache_key
from stigraph.cli.options import (
    default_cache_dir,
    emit,
    format_option,
    out_option,
    reports_errors,
)
from stigraph.errors import ParameterError
from stigraph.outputs.tables import write_rows
from stigraph.projection.groups import members_of
from stigraph.resources import seeds_dir, shipped_data_dir
from stigraph.store.memo import kept_value

__all__ = ["COMMANDS", "data_inputs", "default_model_path", "ensure_model", "join_data",
           "model_recommendations", "rolling_rows"]

#: Modules whose code is part of the model's key: what turns the inputs into features.
MODEL_CODE = ("joins.py", "curated.py", "activity.py", "features.py", "model.py")


def _cow_option(func: Any) -> Any:
    return click.option(
        "--cow", "cow", type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder of the COW IGO files (igos.csv, igo_membership_spells.csv, plain or "
        ".gz). Default: the shipped copy.")(func)


def _activity_options(func: Any) -> Any:
    func = click.option(
        "--openalex", type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder of the OpenAlex country co-authorship files (the activity features). "
        "Default: the shipped copy.")(func)
    return click.option(
        "--cordis", type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder of the CORDIS Horizon Europe project and organisation files (the "
        "shared-project features). Default: the shipped extract.")(func)


def _cow_folder(cow: Path | None) -> Path:
    return cow if cow is not None else shipped_data_dir() / "cow_igo"


def _folders(cow: Path | None, openalex: Path | None,
             cordis: Path | None) -> tuple[Path, Path, Path]:
    shipped = shipped_data_dir()
    return (_cow_folder(cow), openalex or shipped / "openalex_country_coauthorship",
            cordis or shipped / "cordis_horizon_europe")


def data_inputs(cow: Path | None = None, openalex: Path | None = None,
                cordis: Path | None = None) -> list[Path]:
    """Every file the model learns from: COW files, the seed tables of countries and curated
    memberships, the activity files, and the code that makes features of them."""
    folders = _folders(cow, openalex, cordis)
    files = [p for folder in folders for p in sorted(folder.iterdir()) if p.is_file()
             and p.name.endswith((".csv", ".csv.gz"))]
    files += [seeds_dir() / n for n in ("countries.csv", "country-groups.csv",
                                        "income-groups.csv", "actors.csv", "initiatives.csv",
                                        *CURATED_BODIES.values())]
    analytics = Path(__file__).resolve().parent.parent / "analytics"
    return files + [analytics / name for name in MODEL_CODE]


def _fingerprint(inputs: list[Path]) -> str:
    return cache_key(inputs, options={"features": list(NAMES)})


def default_model_path(cache_dir: Path, key: str, name: str = "boosting") -> Path:
    """Where the model of inputs ``key`` is kept: ``CACHE/models/accession-NAME-KEY.joblib``
    (NAME: the kind, with the cutoff and horizon when they are not the defaults)."""
    return cache_dir / "models" / f"accession-{name}-{key[:24]}.joblib"


def join_data(cow: Path | None, openalex: Path | None = None,
              cordis: Path | None = None) -> JoinData:
    """COW spells, the curated bodies and the activity counts (shipped copies by default)."""
    cow_dir, openalex_dir, cordis_dir = _folders(cow, openalex, cordis)
    # kept with the models, by the same hash of every input file and of the code (3–4 s of
    # CSV reading saved on each recommend and report)
    fingerprint = _fingerprint(data_inputs(cow, openalex, cordis))
    return kept_value(default_cache_dir() / "models", f"join-data-{fingerprint[:24]}",
                      lambda: load_training_data(cow_dir, seeds_dir(), openalex=openalex_dir,
                                                 cordis=cordis_dir), code=())


def ensure_model(path: Path | None, cow: Path | None = None, *, kind: str = "boosting",
                 seed: int = 0, openalex: Path | None = None,
                 cordis: Path | None = None) -> TrainedModel:
    """The trained model, retrained (and rewritten) when missing or stale: trained on other
    inputs (data files, seeds, feature code) than the current ones. ``path`` None: the user
    cache folder, keyed by the inputs' hash."""
    fingerprint = _fingerprint(data_inputs(cow, openalex, cordis))
    if path is None:
        path = default_model_path(default_cache_dir(), fingerprint, kind)
    if path.is_file():
        try:
            model = load_model(path)
        except ParameterError:
            model = None
        if model is not None and model.data == fingerprint:
            return model
        click.echo(f"{path}: stale (other data or features); retraining", err=True)
    else:
        click.echo(f"{path}: no trained model; training (about a minute)", err=True)
    model = train(join_data(cow, openalex, cordis), kind=kind, seed=seed, source=fingerprint)
    try:
        save_model(model, path)
    except OSError as exc:  # a cache that cannot be written never fails the command
        click.echo(f"{path}: not written ({exc.strerror}); the model is used unsaved", err=True)
    return model


def model_recommendations(graph: Any, *, country: str | None, group: str | None,
                          as_of: dt.date | None, top: int, cow: Path | None = None,
                          model_path: Path | None = None) -> list[Recommendation]:
    """``recommend --method model``: organisations for a country or every country of a
    group, from the trained model (retrained first when missing or stale), explained. The
    score is the probability of joining within the horizon (also under ``scores['model']``);
    ``evidence`` lists each reason with its feature, value and how much it raises the
    probability."""
    if not country and not group:
        raise ParameterError("say which country (--country KE) or group (--group LDC)")
    data = join_data(cow)
    trained = ensure_model(model_path, cow)
    year = as_of.year if as_of else None
    codes = ([country.strip().upper()] if country else
             [info.iso2 for info in members_of(graph, group or "", year=year)
              if info.iso2 in data.countries])
    origin = origin_of(year, bool(as_of and (as_of.month, as_of.day) == (12, 31)), data)
    if as_of is None or as_of.year > data.last_year:
        click.echo(f"the join data end in {data.last_year} (COW's in "
                   f"{data.last_of('cow')}): the model reads memberships as of "
                   f"{origin - 1}-12-31", err=True)
    rows = recommend_with_model(trained, data, codes, origin=origin, top=top)
    missing = sorted(set(codes) - {r["country"] for r in rows})
    if missing:
        click.echo(f"no memberships as of {origin - 1} for {', '.join(missing)}: no "
                   "model recommendation for them", err=True)
    return [_record(r) for r in rows]


def _record(row: dict[str, Any]) -> Recommendation:
    evidence = [f"{name} = {value:g}: raises the probability by {rise:.4f}"
                for name, value, rise in zip(row["reason_features"], row["reason_values"],
                                             row["reason_raises_by"], strict=True)]
    return Recommendation(
        country=row["country"], country_label=row["country_label"],
        target_group=row["target_group"], rank=row["rank"], target=row["target"],
        target_code=row["target_code"], target_label=row["target_label"],
        target_kind=row["target_kind"], method="model", score=row["score"],
        scores={"model": row["score"]}, shared=[], peers_shared=0, new_areas=[],
        explanation=row["explanation"], evidence=evidence, source=row["source"])


@click.command("train")
@_cow_option
@_activity_options
@click.option("--cutoff", type=int, help="Train on join windows that end before this year "
              "(default: the year after the data's last: 2026 with the curated bodies).")
@click.option("--horizon", type=int, default=5, show_default=True,
              help="Years within which a join counts.")
@click.option("--kind", type=click.Choice(KINDS), default="boosting", show_default=True,
              help="boosting: gradient boosting (chosen by the back-test); logistic: the "
              "readable baseline.")
@click.option("--seed", type=int, default=0, show_default=True)
@out_option("the trained model (joblib) [default: the user cache folder, "
            "$STIGRAPH_CACHE_DIR/models/accession-KEY.joblib, where recommend finds it]")
@format_option
@reports_errors
def train_command(cow: Path | None, openalex: Path | None, cordis: Path | None,
                  cutoff: int | None, horizon: int, kind: str, seed: int, out: Path | None,
                  fmt: str) -> None:
    """Train the accession model on real joins before a cutoff and write it.

    The model gives a calibrated probability that a country joins an organisation within
    the horizon, from features as of the cutoff only. It is written with its cutoff,
    features, training metrics, library versions and the hash of its inputs (KEY): recommend
    retrains it when an input changes.

    \b
    Example:
        stigraph train
        stigraph train --cutoff 2005 --kind logistic --out out/model/logistic-2005.joblib
    """
    start = time.perf_counter()
    fingerprint = _fingerprint(data_inputs(cow, openalex, cordis))
    model = train(join_data(cow, openalex, cordis), cutoff=cutoff, horizon=horizon, kind=kind,
                  seed=seed, source=fingerprint)
    seconds = time.perf_counter() - start
    name = kind if cutoff is None and horizon == 5 else f"{kind}-cutoff{cutoff}-h{horizon}"
    out = out if out is not None else default_model_path(default_cache_dir(), fingerprint, name)
    save_model(model, out)
    click.echo(f"wrote the model to {out}", err=True)
    emit([{"model": str(out), "kind": model.kind, "cutoff": model.cutoff,
           "horizon": model.horizon, "origins": ", ".join(map(str, model.origins)),
           **model.metrics, "seconds": round(seconds, 1),
           "scikit-learn": model.versions["scikit-learn"]}], fmt)


def _origins(text: str, option: str = "--origins") -> list[int]:
    try:
        years = [int(t) for t in text.split(",") if t.strip()]
    except ValueError as exc:
        raise ParameterError(f"{option} {text!r}: write years separated by commas, "
                             "e.g. 1990,1995,2000") from exc
    if not years:
        raise ParameterError(f"{option}: give at least one year")
    return years


def _fmt_row(row: dict[str, Any], fmt: str) -> dict[str, Any]:
    if fmt == "json":
        return row
    out = {}
    for key, value in row.items():
        if key.endswith("_ci"):
            continue
        ci = row.get(f"{key}_ci")
        if isinstance(value, float):
            out[key] = (f"{value:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{value:.3f}")
        else:
            out[key] = "" if value is None else value
    return out


def rolling_options(func: Any) -> Any:
    """The options of the rolling-origin back-test (``evaluate --split rolling``, ``backtest``)."""
    for option in reversed([
        click.option("--origins", default=",".join(map(str, bt.DEFAULT_ORIGINS)),
                     show_default=True, help="Rolling: test origins on COW (years); the "
                     "models are retrained before each."),
        click.option("--curated-origins", default=",".join(map(str, bt.CURATED_ORIGINS)),
                     show_default=True, help="Rolling: test origins on the curated STI "
                     f"bodies (horizon {bt.CURATED_HORIZON} years: their data end in 2025)."),
        click.option("--horizon", type=int, default=5, show_default=True,
                     help="Rolling: the COW horizon in years."),
        click.option("--test", type=click.Choice(["cow", "curated", "both"]), default="both",
                     show_default=True, help="Rolling: which organisations are ranked and "
                     "scored; both: each, and together (country-years pooled)."),
        click.option("--boot", type=int, default=1000, show_default=True,
                     help="Rolling: bootstrap resamples of country-years (95 % intervals)."),
        click.option("--by", type=click.Choice(["methods", "region", "type", "organisation",
                                                "scope"]),
                     default="methods", show_default=True, help="Rolling: methods: one row "
                     "per method; else recall@10 (COW) and recall@1 (curated: at most 7 "
                     "candidates) of the models and the popularity baselines per country "
                     "region, organisation type, organisation or regional/universal scope."),
    ]):
        func = option(func)
    return _activity_options(_cow_option(func))


BREAKDOWN_METHODS = ["model_boosting", "model_logistic", "popularity", "recent_popularity"]


def rolling_rows(*, cow: Path | None, openalex: Path | None, cordis: Path | None,
                 origins: str, curated_origins: str, horizon: int, test: str, seed: int,
                 boot: int, by: str) -> list[dict[str, Any]]:
    """The rows of the rolling-origin back-test, each with its ``test`` set (cow, curated,
    together)."""
    data = join_data(cow, openalex, cordis)
    parts: dict[str, bt.Backtest] = {}
    if test in ("cow", "both"):
        parts["cow"] = bt.backtest(data, origins=_origins(origins), horizon=horizon,
                                   seed=seed, source="cow")
    if test in ("curated", "both"):
        parts["curated"] = bt.backtest(data, origins=_origins(curated_origins, "--curated-origins"),
                                       horizon=bt.CURATED_HORIZON, seed=seed,
                                       source="curated")
    if len(parts) == 2:
        parts["together"] = bt.combine([parts["cow"], parts["curated"]])
    rows: list[dict[str, Any]] = []
    for name, result in parts.items():
        click.echo(f"{name}: {len(result.labels)} test pairs, {int(result.labels.sum())} "
                   f"joins; {result.info['filtered_joins']} joins removed by the eligibility "
                   f"rules, {result.info['ambiguous']} ambiguous pairs left out", err=True)
        if by == "methods":
            found = bt.summary(result, n_boot=boot, seed=seed)
        else:
            found = bt.breakdown(result, data, BREAKDOWN_METHODS, by=by,
                                 k=1 if name == "curated" else 10)
        rows += [{"test": name, **row} for row in found]
    return rows


def emit_rows(rows: list[dict[str, Any]], fmt: str, out: Path | None) -> None:
    flat = [_fmt_row(r, fmt) for r in rows]
    if out is not None:
        write_rows(out, flat, fmt)
        click.echo(f"wrote {len(flat)} rows to {out}", err=True)
    else:
        emit(flat, fmt)


@click.command("backtest")
@rolling_options
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the models, the random baseline, tie-breaking and the bootstrap.")
@out_option("the rows, in --format, instead of printing them (written atomically)")
@format_option
@reports_errors
def backtest_command(cow: Path | None, openalex: Path | None, cordis: Path | None,
                     origins: str, curated_origins: str, horizon: int, test: str, boot: int,
                     by: str, seed: int, out: Path | None, fmt: str) -> None:
    """Rolling-origin back-test of the accession model (the same as
    `stigraph evaluate --split rolling`).

    At each origin the models are trained only on joins before it and every method ranks
    the open, eligible organisations of each country; hits@1/5/10 per country-year, MRR,
    recall@10, AUC-PR and Brier score with bootstrap 95 % intervals.

    \b
    Example:
        stigraph backtest --format table
        stigraph backtest --test curated --by organisation --format table
    """
    emit_rows(rolling_rows(cow=cow, openalex=openalex, cordis=cordis, origins=origins,
                           curated_origins=curated_origins, horizon=horizon, test=test,
                           seed=seed, boot=boot, by=by), fmt, out)


COMMANDS = [train_command, backtest_command]
