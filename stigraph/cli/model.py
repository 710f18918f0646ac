"""The accession model's commands: ``stigraph train`` and ``stigraph backtest``.

Both read the Correlates of War IGO spells (the shipped copy in ``data/cow_igo`` unless
``--cow`` names another folder) and the project's country seeds; neither needs the RDF graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path
from typing import Any

import click

from stigraph.analytics import backtest as bt
from stigraph.analytics.explain_model import origin_of, recommend_with_model
from stigraph.analytics.joins import JoinData, load_join_data
from stigraph.analytics.model import KINDS, TrainedModel, load_model, save_model, train
from stigraph.analytics.records import Recommendation
from stigraph.cli.options import emit, format_option, out_option, reports_errors
from stigraph.errors import ParameterError
from stigraph.outputs.tables import write_rows
from stigraph.projection.groups import members_of
from stigraph.resources import seeds_dir, shipped_data_dir

__all__ = ["COMMANDS", "DEFAULT_MODEL", "data_fingerprint", "ensure_model", "join_data",
           "model_recommendations"]

#: Where `stigraph train` writes the model and `recommend --method model` reads it.
DEFAULT_MODEL = Path("out/model/accession.joblib")


def _cow_option(func: Any) -> Any:
    return click.option(
        "--cow", "cow", type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder of the COW IGO files (igos.csv, igo_membership_spells.csv, plain or "
        ".gz). Default: the shipped copy.")(func)


def _cow_folder(cow: Path | None) -> Path:
    return cow if cow is not None else shipped_data_dir() / "cow_igo"


def data_fingerprint(cow: Path | None) -> str:
    """SHA-256 over the files the model learns from (COW files and country seeds)."""
    folder = _cow_folder(cow)
    digest = hashlib.sha256()
    files = sorted(p for p in folder.iterdir() if p.name.startswith(("igos.csv",
                                                                      "igo_membership")))
    files += [seeds_dir() / n for n in ("countries.csv", "country-groups.csv",
                                        "income-groups.csv")]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def join_data(cow: Path | None) -> JoinData:
    return load_join_data(_cow_folder(cow), seeds_dir())


def ensure_model(path: Path, cow: Path | None, *, kind: str = "boosting",
                 seed: int = 0) -> TrainedModel:
    """The model at ``path``, retrained (and rewritten) when missing or stale: trained on
    other data than the current files, or on other features than this version computes."""
    fingerprint = data_fingerprint(cow)
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
    model = train(join_data(cow), kind=kind, seed=seed, source=fingerprint)
    save_model(model, path)
    return model


def model_recommendations(graph: Any, *, country: str | None, group: str | None,
                          as_of: dt.date | None, top: int, cow: Path | None = None,
                          model_path: Path = DEFAULT_MODEL) -> list[Recommendation]:
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
             [info.iso2 for info in members_of(graph, group or "", year=year)])
    codes = [c for c in codes if c in data.countries] if group else codes
    origin = origin_of(year, bool(as_of and (as_of.month, as_of.day) == (12, 31)), data)
    if as_of is None or as_of.year > data.last_year:
        click.echo(f"the COW data end in {data.last_year}: the model reads memberships as of "
                   f"{origin - 1}-12-31", err=True)
    rows = recommend_with_model(trained, data, codes, origin=origin, top=top)
    missing = sorted(set(codes) - {r["country"] for r in rows})
    if missing:
        click.echo(f"no COW memberships as of {origin - 1} for {', '.join(missing)}: no "
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
@click.option("--cutoff", type=int, help="Train on join windows that end before this year "
              "(default: the year after the data's last, 2015 on COW v3).")
@click.option("--horizon", type=int, default=5, show_default=True,
              help="Years within which a join counts.")
@click.option("--kind", type=click.Choice(KINDS), default="boosting", show_default=True,
              help="boosting: gradient boosting (chosen by the back-test); logistic: the "
              "readable baseline.")
@click.option("--seed", type=int, default=0, show_default=True)
@out_option("the trained model (joblib)", default=DEFAULT_MODEL)
@format_option
@reports_errors
def train_command(cow: Path | None, cutoff: int | None, horizon: int, kind: str, seed: int,
                  out: Path, fmt: str) -> None:
    """Train the accession model on real joins before a cutoff and write it.

    The model gives a calibrated probability that a country joins an organisation within
    the horizon, from features as of the cutoff only. It is written with its cutoff,
    features, training metrics and library versions.

    \b
    Example:
        stigraph train
        stigraph train --cutoff 2005 --kind logistic --out out/model/logistic-2005.joblib
    """
    start = time.perf_counter()
    model = train(join_data(cow), cutoff=cutoff, horizon=horizon, kind=kind, seed=seed,
                  source=data_fingerprint(cow))
    seconds = time.perf_counter() - start
    save_model(model, out)
    click.echo(f"wrote the model to {out}", err=True)
    emit([{"model": str(out), "kind": model.kind, "cutoff": model.cutoff,
           "horizon": model.horizon, "origins": ", ".join(map(str, model.origins)),
           **model.metrics, "seconds": round(seconds, 1),
           "scikit-learn": model.versions["scikit-learn"]}], fmt)


def _origins(text: str) -> list[int]:
    try:
        years = [int(t) for t in text.split(",") if t.strip()]
    except ValueError as exc:
        raise ParameterError(f"--origins {text!r}: write years separated by commas, "
                             "e.g. 1990,1995,2000") from exc
    if not years:
        raise ParameterError("--origins: give at least one year")
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


@click.command("backtest")
@_cow_option
@click.option("--origins", default="1990,1995,2000,2005,2010", show_default=True,
              help="Test origins (years); the models are retrained before each.")
@click.option("--horizon", type=int, default=5, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the models, the random baseline, tie-breaking and the bootstrap.")
@click.option("--boot", type=int, default=1000, show_default=True,
              help="Bootstrap resamples of country-years for the 95 % intervals.")
@click.option("--by", type=click.Choice(["methods", "region", "type", "scope"]),
              default="methods", show_default=True, help="methods: one row per method; "
              "region/type/scope: recall@10 of the models and popularity per country region, "
              "organisation type or regional/universal scope.")
@out_option("the rows, in --format, instead of printing them (written atomically)")
@format_option
@reports_errors
def backtest_command(cow: Path | None, origins: str, horizon: int, seed: int, boot: int,
                     by: str, out: Path | None, fmt: str) -> None:
    """Rolling-origin back-test of the accession model against baselines.

    At each origin the models are trained only on joins before it and every method ranks
    the open, eligible organisations of each country; hits@1/5/10 per country-year, MRR,
    recall@10, AUC-PR and Brier score with bootstrap 95 % intervals.

    \b
    Example:
        stigraph backtest --format table
        stigraph backtest --by region --format table
    """
    data = join_data(cow)
    result = bt.backtest(data, origins=_origins(origins), horizon=horizon, seed=seed)
    if by == "methods":
        rows = bt.summary(result, n_boot=boot, seed=seed)
    else:
        rows = bt.breakdown(result, data, ["model_boosting", "model_logistic", "popularity",
                                           "recent_popularity"], by=by)
    click.echo(f"{len(result.labels)} test pairs, {int(result.labels.sum())} joins; "
               f"{result.info['filtered_joins']} joins removed by the eligibility rules, "
               f"{result.info['ambiguous']} ambiguous pairs left out", err=True)
    flat = [_fmt_row(r, fmt) for r in rows]
    if out is not None:
        write_rows(out, flat, fmt)
        click.echo(f"wrote {len(flat)} rows to {out}", err=True)
    else:
        emit(flat, fmt)


COMMANDS = [train_command, backtest_command]
