"""The accession model: fit on joins before a cutoff, calibrate, predict, persist.

Two scikit-learn classifiers over :data:`~stigraph.analytics.features.FEATURES`, both seeded:

- ``logistic``: logistic regression on standardised features with missing values imputed by
  the median plus a missing-indicator column (the readable baseline);
- ``boosting``: :class:`~sklearn.ensemble.HistGradientBoostingClassifier` (handles missing
  values itself), the stronger one.

Each is wrapped in :class:`~sklearn.calibration.CalibratedClassifierCV` (isotonic, 3 folds) so
its output is a probability of joining within the horizon; the Brier score of the held-out
period says how well calibrated it is. Training rows are the *eligible* open pairs
(:func:`~stigraph.analytics.joins.eligible`) of every origin ``c`` whose window
``[c, c + horizon - 1]`` ends before the cutoff, one origin every ``step`` years going back
from the latest, none before 1970 (the COW data's 1964/65 seam).

scikit-learn is in the ``model`` extra (``pip install 'stigraph[model]'``): the default install
stays light, and only ``stigraph train`` and ``--method model`` need it.
"""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from stigraph.analytics.features import NAMES, FeatureFrame, feature_matrix
from stigraph.analytics.joins import JoinData, eligible, labelled_pairs, snapshot
from stigraph.errors import ParameterError, StigraphError

__all__ = ["FIRST_ORIGIN", "KINDS", "TrainedModel", "TrainingSet", "fit", "load_model",
           "origin_set", "origins_before", "predict", "save_model", "train", "training_set"]

KINDS = ("boosting", "logistic")
FIRST_ORIGIN = 1970
FORMAT = 1


def _sklearn() -> Any:
    try:
        import sklearn
    except ImportError as exc:
        raise StigraphError("the accession model needs scikit-learn: pip install "
                            "'stigraph[model]'") from exc
    return sklearn


@dataclass
class TrainingSet:
    X: np.ndarray
    y: np.ndarray
    origin: np.ndarray
    frames: list[FeatureFrame] = field(default_factory=list)


def origins_before(cutoff: int, *, horizon: int = 5, step: int = 5,
                   first: int = FIRST_ORIGIN) -> list[int]:
    """Origins whose whole window ends before ``cutoff``, every ``step`` years, oldest first."""
    latest = cutoff - horizon
    return sorted(range(latest, first - 1, -step))


def origin_set(data: JoinData, origin: int, *, horizon: int = 5, source: str | None = None,
               ) -> tuple[FeatureFrame, np.ndarray]:
    """The eligible open pairs of one origin: their features and labels (``source``: of that
    source's organisations only; None: of every source whose data cover the window)."""
    snap = snapshot(data, origin)
    pairs, labels, _ = labelled_pairs(data, snap, horizon, source=source)
    keep = eligible(data, snap, pairs)
    pairs = [p for p, k in zip(pairs, keep, strict=True) if k]
    y = np.array([v for v, k in zip(labels, keep, strict=True) if k], dtype=int)
    return feature_matrix(data, snap, pairs), y


def training_set(data: JoinData, origins: list[int], *, horizon: int = 5,
                 cache: dict[int, tuple[FeatureFrame, np.ndarray]] | None = None,
                 ) -> TrainingSet:
    """Eligible open pairs of each origin with their features and labels (``cache`` keeps
    each origin's set for the next call)."""
    cache = cache if cache is not None else {}
    frames, ys = [], []
    for c in origins:
        if c not in cache:
            cache[c] = origin_set(data, c, horizon=horizon)
        frame, y = cache[c]
        frames.append(frame)
        ys.append(y)
    if not ys or not sum(int(y.sum()) for y in ys):
        raise ParameterError(f"no join events to train on at origins {origins}")
    return TrainingSet(np.vstack([f.X for f in frames]), np.concatenate(ys),
                       np.concatenate([np.full(len(y), f.origin) for f, y in
                                       zip(frames, ys, strict=True)]), frames)


def _estimator(kind: str, seed: int) -> Any:
    _sklearn()
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if kind == "boosting":
        base: Any = HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=40,
            l2_regularization=1.0, random_state=seed)
    elif kind == "logistic":
        base = make_pipeline(SimpleImputer(strategy="median", add_indicator=True),
                             StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
    else:
        raise ParameterError(f"unknown model {kind!r}; use one of {', '.join(KINDS)}")
    # shuffled folds: the rows come ordered by origin, and a fold of early origins only would
    # hold no income group at all (the World Bank's series start in FY1989)
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
    return CalibratedClassifierCV(base, method="isotonic", cv=folds)


def fit(X: np.ndarray, y: np.ndarray, *, kind: str = "boosting", seed: int = 0) -> Any:
    """A calibrated classifier of ``kind`` fitted on ``X``, ``y``."""
    if X.shape[1] != len(NAMES):
        raise ParameterError(f"{X.shape[1]} feature columns; the model reads {len(NAMES)}")
    model = _estimator(kind, seed)
    # a feature never observed in training (income groups before FY1989) is written as 0:
    # constant, so neither model uses it, where scikit-learn would refuse an empty column
    empty = np.isnan(X).all(0)
    if empty.any():
        X = X.copy()
        X[:, empty] = 0.0
    from threadpoolctl import threadpool_limits

    # one thread: OpenMP's threads fight over a busy machine's cores (seven times slower on
    # two shared cores, measured), and the fit is small enough for one
    with threadpool_limits(1):
        model.fit(X, y)
    return model


def predict(estimator: Any, X: np.ndarray) -> np.ndarray:
    """The calibrated probability of the positive class for each row of ``X``."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return np.asarray(estimator.predict_proba(X)[:, 1], dtype=float)


@dataclass
class TrainedModel:
    """A fitted model with what it was trained on."""

    estimator: Any
    kind: str
    cutoff: int
    horizon: int
    origins: list[int]
    features: list[str]
    metrics: dict[str, Any]
    versions: dict[str, str]
    trained_at: str
    data: str
    format: int = FORMAT

    def predict(self, X: np.ndarray) -> np.ndarray:
        return predict(self.estimator, X)


def train(data: JoinData, *, cutoff: int | None = None, horizon: int = 5, kind: str = "boosting",
          seed: int = 0, step: int = 5, source: str = "") -> TrainedModel:
    """Train on the origins before ``cutoff`` (default: the latest the data allow)."""
    cutoff = cutoff if cutoff is not None else data.last_year + 1
    if cutoff > data.last_year + 1:
        raise ParameterError(f"cutoff {cutoff}: the data end in {data.last_year}, so no join "
                             f"after it can be a label; use a cutoff of {data.last_year + 1} "
                             "or earlier")
    origins = origins_before(cutoff, horizon=horizon, step=step)
    if not origins:
        raise ParameterError(f"cutoff {cutoff}: no {horizon}-year window between "
                             f"{FIRST_ORIGIN} and it")
    ts = training_set(data, origins, horizon=horizon)
    estimator = fit(ts.X, ts.y, kind=kind, seed=seed)
    p = predict(estimator, ts.X)
    sklearn = _sklearn()
    from sklearn.metrics import average_precision_score, brier_score_loss

    metrics = {"rows": len(ts.y), "joins": int(ts.y.sum()),
               "train_brier": float(brier_score_loss(ts.y, p)),
               "train_auc_pr": float(average_precision_score(ts.y, p))}
    versions = {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                "numpy": np.__version__}
    return TrainedModel(estimator, kind, cutoff, horizon, origins, list(NAMES), metrics,
                        versions, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), source)


def save_model(model: TrainedModel, path: Path | str) -> Path:
    """Write ``model`` with joblib, atomically (a temporary file renamed into place)."""
    import joblib

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    joblib.dump(model, tmp)
    tmp.replace(target)
    return target


def load_model(path: Path | str) -> TrainedModel:
    """Read a model written by :func:`save_model`; refuse one of other features."""
    import joblib

    source = Path(path)
    if not source.is_file():
        raise ParameterError(f"{source}: no trained model; run `stigraph train --out {source}`")
    _sklearn()
    model = joblib.load(source)
    if not isinstance(model, TrainedModel) or model.format != FORMAT:
        raise ParameterError(f"{source}: not a stigraph accession model of format {FORMAT}; "
                             "retrain with `stigraph train`")
    if model.features != list(NAMES):
        raise ParameterError(f"{source}: trained on other features than this version "
                             "computes; retrain with `stigraph train`")
    return model
