"""How much a country already works with an organisation's members, as of an origin year.

Two sources, both read directly with :mod:`csv` (the files the importers read, plain or
``.gz``):

- **OpenAlex country co-authorship** (``openalex_country_coauthorship_edges_*.csv``: year,
  ``iso2_a``, ``iso2_b``, ``coauthored_works``): works with authors in both countries, per
  publication year. A year's count is taken as known at the end of that year.
- **CORDIS Horizon Europe projects** (``he_project.csv``, ``he_organization.csv``): a project
  links the countries of its participating organisations (CORDIS writes Greece ``EL`` and the
  United Kingdom ``UK``; read as ``GR`` and ``GB``). A project is known from the year of its
  ``startDate`` (the grant is signed before it starts).

:data:`ACTIVITY_FEATURES` are computed by :func:`activity_columns` for the open pairs of a
:class:`~.joins.Snapshot` from facts dated before the origin only: the latest co-authorship
year ``y`` at or before ``origin - 1`` (missing when the data start later), projects started
by the end of ``origin - 1`` (missing when no project had started by then: Horizon Europe
starts in 2021, so COW origins have no project count, rather than a false 0).
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stigraph.errors import DataImportError

__all__ = ["ACTIVITY_FEATURES", "Activity", "activity_columns", "load_activity"]

CORDIS_CODES = {"EL": "GR", "UK": "GB"}
GROWTH_YEARS = 5

#: (name, meaning) of each activity column, in order.
ACTIVITY_FEATURES: tuple[tuple[str, str], ...] = (
    ("coauthor_members", "works the country co-authored with the organisation's member "
     "countries in the latest OpenAlex year before the origin (a work with two members "
     "counts for each)"),
    ("coauthor_members_share", "share of the country's international co-authorship (summed "
     "over partner countries) that is with the organisation's members, that year"),
    ("coauthor_members_growth", f"log2 of (works with members that year + 1) / (works with "
     f"the same members {GROWTH_YEARS} years earlier + 1)"),
    ("cordis_shared_projects", "Horizon Europe projects started before the origin with an "
     "organisation of the country and one of a member country"),
    ("cordis_shared_projects_last_year", "of those, projects started in the year before the "
     "origin"),
)


@dataclass
class Activity:
    """Co-authorship by year and projects with their countries, indexed by ISO2 code."""

    codes: list[str]
    coauthor: dict[int, np.ndarray] = field(default_factory=dict)  # year -> country × country
    project_start: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    project_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    project_cols: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    files: list[Path] = field(default_factory=list)

    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}


def _open(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern)) + sorted(folder.glob(pattern + ".gz"))
    if not found:
        raise DataImportError(f"{folder}: no {pattern} (or .gz)")
    return found[0]


def _reader(path: Path, required: tuple[str, ...]) -> csv.DictReader:
    handle = _open(path)
    reader = csv.DictReader(handle)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        handle.close()
        raise DataImportError(f"{path}: missing column(s) {', '.join(missing)}")
    return reader


def _int(text: str, path: Path, line: int, column: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise DataImportError(f"{path}, line {line}: {column} {text!r} is not a number") from exc


def _load_coauthor(folder: Path, act: Activity, index: dict[str, int]) -> None:
    path = _one(folder, "openalex_country_coauthorship_edges*.csv")
    act.files.append(path)
    n = len(act.codes)
    for line, row in enumerate(_reader(path, ("year", "iso2_a", "iso2_b", "coauthored_works")),
                               start=2):
        a, b = index.get(row["iso2_a"].strip()), index.get(row["iso2_b"].strip())
        if a is None or b is None or a == b:
            continue
        year = _int(row["year"], path, line, "year")
        works = _int(row["coauthored_works"], path, line, "coauthored_works")
        matrix = act.coauthor.setdefault(year, np.zeros((n, n)))
        matrix[a, b] = matrix[b, a] = float(works)


def _load_projects(folder: Path, act: Activity, index: dict[str, int]) -> None:
    projects = _one(folder, "*project.csv")
    organisations = _one(folder, "*organization.csv")
    act.files += [projects, organisations]
    start: dict[str, int] = {}
    for line, row in enumerate(_reader(projects, ("projectID", "startDate")), start=2):
        text = (row["startDate"] or "").strip()
        if text:
            start[row["projectID"].strip()] = _int(text[:4], projects, line, "startDate")
    members: dict[str, set[int]] = defaultdict(set)
    for row in _reader(organisations, ("projectID", "country")):
        code = (row["country"] or "").strip().upper()
        i = index.get(CORDIS_CODES.get(code, code))
        if i is not None and row["projectID"].strip() in start:
            members[row["projectID"].strip()].add(i)
    keys = sorted(members)
    act.project_start = np.array([start[k] for k in keys], dtype=int)
    rows = [i for k in keys for i in sorted(members[k])]
    cols = [p for p, k in enumerate(keys) for _ in members[k]]
    act.project_rows, act.project_cols = np.array(rows, dtype=int), np.array(cols, dtype=int)


def load_activity(codes: list[str], *, openalex: Path | None = None,
                  cordis: Path | None = None) -> Activity:
    """Co-authorship (``openalex`` folder) and Horizon Europe projects (``cordis`` folder)
    between the countries ``codes``; either may be None (its features are then missing)."""
    act = Activity(sorted(codes))
    index = act.index()
    if openalex is not None:
        _load_coauthor(Path(openalex), act, index)
    if cordis is not None:
        _load_projects(Path(cordis), act, index)
    return act


def _coauthor_columns(act: Activity, origin: int, rows: np.ndarray,
                      M: np.ndarray) -> np.ndarray:
    """coauthor_members, _share and _growth of every (snapshot country, organisation)."""
    out = np.full((len(rows), M.shape[1], 3), np.nan)
    years = [y for y in act.coauthor if y <= origin - 1]
    if not years:
        return out
    y = max(years)
    W = act.coauthor[y][np.ix_(rows, rows)]
    with_members = W @ M
    total = W.sum(1)[:, None]
    out[:, :, 0] = with_members
    out[:, :, 1] = np.divide(with_members, total, out=np.zeros_like(with_members),
                             where=total > 0)
    if y - GROWTH_YEARS in act.coauthor:
        before = act.coauthor[y - GROWTH_YEARS][np.ix_(rows, rows)] @ M
        out[:, :, 2] = np.log2((with_members + 1.0) / (before + 1.0))
    return out


def _project_columns(act: Activity, origin: int, rows: np.ndarray,
                     M: np.ndarray) -> np.ndarray:
    """cordis_shared_projects and _last_year of every (snapshot country, organisation)."""
    out = np.full((len(rows), M.shape[1], 2), np.nan)
    started = act.project_start <= origin - 1
    if not started.any():
        return out
    local = np.full(len(act.codes), -1)
    local[rows] = np.arange(len(rows))
    keep = started[act.project_cols] & (local[act.project_rows] >= 0)
    P = np.zeros((len(rows), len(act.project_start)))
    P[local[act.project_rows[keep]], act.project_cols[keep]] = 1.0
    P = P[:, started]
    last = (act.project_start[started] == origin - 1).astype(float)
    has_member = (P.T @ M > 0).astype(float)  # project × organisation
    out[:, :, 0] = P @ has_member
    out[:, :, 1] = (P * last[None, :]) @ has_member
    return out


def activity_columns(act: Activity | None, origin: int, countries: list[str],
                     M: np.ndarray) -> np.ndarray:
    """The :data:`ACTIVITY_FEATURES` of every (country, organisation) of a snapshot's
    membership matrix ``M`` (countries × organisations, full members as of ``origin - 1``),
    shaped countries × organisations × features; missing (NaN) where not known. For an open
    pair the country is not a member, so no count includes the country with itself."""
    if act is None:
        return np.full((len(countries), M.shape[1], len(ACTIVITY_FEATURES)), np.nan)
    index = act.index()
    known = np.array([c in index for c in countries])
    rows = np.array([index[c] for c in countries if c in index], dtype=int)
    Mk = M[known]
    out = np.full((len(countries), M.shape[1], len(ACTIVITY_FEATURES)), np.nan)
    out[known] = np.concatenate([_coauthor_columns(act, origin, rows, Mk),
                                 _project_columns(act, origin, rows, Mk)], axis=2)
    return out
