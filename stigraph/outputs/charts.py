"""Charts for the report, written as PNG and SVG with matplotlib's Agg backend.

Every chart takes plain records (no analytics objects), writes ``{stem}.png`` and
``{stem}.svg`` atomically and returns both paths. Output is deterministic: fixed size, fonts
and colours, no timestamps in the files, a fixed SVG hash salt — the same data gives the same
bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from stigraph.writing.atomic import atomic_open

__all__ = ["Chart", "gap_heatmap", "memberships_over_time", "top_actors_chart"]

INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9e2ec"
ACCENT = "#1d4e89"
SERIES = ["#1d4e89", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#0b7285", "#c2255c",
          "#5c940d"]

_STYLE: Any = {  # matplotlib types rc keys as literals
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "xtick.color": MUTED,
    "ytick.color": INK,
    "svg.hashsalt": "stigraph",
    "svg.fonttype": "path",
    "path.simplify": True,
}


@dataclass(frozen=True)
class Chart:
    """The two files of one chart and its accessible description."""

    png: Path
    svg: Path
    title: str
    alt: str


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, stem: Path, title: str, alt: str) -> Chart:
    stem.parent.mkdir(parents=True, exist_ok=True)
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    for path, fmt, metadata in (
        (png, "png", {"Software": None}),
        (svg, "svg", {"Date": None, "Creator": None}),
    ):
        buffer = io.BytesIO()
        with matplotlib.rc_context(_STYLE):  # svg.hashsalt applies when saving
            fig.savefig(buffer, format=fmt, dpi=150 if fmt == "png" else 100,
                        metadata=metadata, facecolor="white")
        with atomic_open(path, "wb") as handle:
            handle.write(buffer.getvalue())
    return Chart(png=png, svg=svg, title=title, alt=alt)


def _short(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def top_actors_chart(
    rows: Sequence[Mapping[str, Any]],
    stem: Path | str,
    *,
    measure: str = "pagerank",
    label: str = "label",
    top: int = 15,
    title: str | None = None,
) -> Chart:
    """Horizontal bars of the ``top`` rows by ``measure`` (largest at the top).

    ``rows`` are records with at least ``label`` and ``measure`` keys (for instance the
    centrality table). Ties are broken by label so the chart is stable.
    """
    chosen = sorted(rows, key=lambda r: (-float(r.get(measure) or 0.0), str(r.get(label))))[:top]
    chosen = list(reversed(chosen))
    title = title or f"Top {len(chosen)} actors by {measure.replace('_', ' ')}"
    with matplotlib.rc_context(_STYLE):
        fig = _figure(8.0, max(2.5, 0.34 * len(chosen) + 1.2))
        ax = fig.add_subplot()
        values = [float(r.get(measure) or 0.0) for r in chosen]
        names = [_short(str(r.get(label))) for r in chosen]
        bars = ax.barh(range(len(chosen)), values, color=ACCENT, height=0.66)
        ax.set_yticks(range(len(chosen)), names)
        ax.set_xlabel(measure.replace("_", " "))
        ax.set_title(title)
        ax.grid(axis="x", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        top_value = max(values, default=0.0) or 1.0
        for bar, value in zip(bars, values, strict=True):
            ax.text(bar.get_width() + top_value * 0.01, bar.get_y() + bar.get_height() / 2,
                    f"{value:.3g}", va="center", fontsize=8, color=MUTED)
        ax.set_xlim(0, top_value * 1.12)
    alt = "; ".join(f"{r.get(label)}: {float(r.get(measure) or 0.0):.3g}"
                    for r in reversed(chosen))
    return _save(fig, Path(stem), title, f"{title}. {alt}")


def gap_heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float]],
    stem: Path | str,
    *,
    title: str = "Cooperation areas covered, by country",
    value_label: str = "links in the area",
    row_groups: Sequence[str] | None = None,
) -> Chart:
    """A country × cooperation-area heat map; zero cells (gaps) are white with a dot.

    ``values[i][j]`` is the coverage of ``columns[j]`` for ``rows[i]`` (for instance the
    number of actors or programmes in that area the country takes part in).
    ``row_groups`` optionally labels each row (LDC, SIDS…) in a narrow column on the left.
    """
    n_rows, n_cols = len(rows), len(columns)
    if any(len(r) != n_cols for r in values) or len(values) != n_rows:
        raise ValueError("values must have one row per country and one column per area")
    top = max((max(r, default=0.0) for r in values), default=0.0) or 1.0
    cmap = LinearSegmentedColormap.from_list("coverage", ["#ffffff", "#c6dbef", "#1d4e89"])
    with matplotlib.rc_context(_STYLE):
        fig = _figure(min(4.0 + 0.55 * n_cols, 14.0), max(3.0, 0.24 * n_rows + 2.6))
        ax = fig.add_subplot()
        image = ax.imshow(values, aspect="auto", cmap=cmap, vmin=0, vmax=top,
                          interpolation="nearest")
        _mark_gaps(ax, values)
        _heatmap_ticks(ax, rows, columns, row_groups)
        ax.set_title(title)
        bar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.01)
        bar.set_label(value_label)
    gaps = sum(1 for r in values for v in r if v <= 0)
    alt = (f"{title}: {n_rows} countries by {n_cols} cooperation areas; {gaps} of "
           f"{n_rows * n_cols} cells are gaps (no link in the area).")
    return _save(fig, Path(stem), title, alt)


def _mark_gaps(ax: Any, values: Sequence[Sequence[float]]) -> None:
    """A small dot on every zero cell."""
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value <= 0:
                ax.plot(j, i, marker="o", markersize=2.2, color="#d9480f")


def _heatmap_ticks(ax: Any, rows: Sequence[str], columns: Sequence[str],
                   row_groups: Sequence[str] | None) -> None:
    """Area names below (slanted), country names (with their group) left, a light grid."""
    n_rows, n_cols = len(rows), len(columns)
    ax.set_xticks(range(n_cols), [_short(c, 34) for c in columns], rotation=40, ha="right",
                  rotation_mode="anchor")
    labels = [_short(r, 28) for r in rows]
    if row_groups:
        labels = [f"{label}  [{group}]" if group else label
                  for label, group in zip(labels, row_groups, strict=True)]
    ax.set_yticks(range(n_rows), labels, fontsize=8)
    ax.set_xticks([x - 0.5 for x in range(1, n_cols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, n_rows)], minor=True)
    ax.grid(which="minor", color="#eef2f6", linewidth=0.6)
    ax.tick_params(which="minor", length=0)


def memberships_over_time(
    series: Mapping[str, Sequence[tuple[int, int]]],
    stem: Path | str,
    *,
    title: str = "Members over time",
    ylabel: str = "members (cumulative, dated memberships only)",
) -> Chart:
    """Step lines of member counts per year, one line per organisation.

    ``series`` maps an organisation's label to ``(year, count)`` pairs in year order.
    """
    with matplotlib.rc_context(_STYLE):
        fig = _figure(8.0, 4.2)
        ax = fig.add_subplot()
        for index, (name, points) in enumerate(sorted(series.items())):
            if not points:
                continue
            years = [int(p[0]) for p in points]
            counts = [int(p[1]) for p in points]
            ax.step(years, counts, where="post", label=_short(name, 36),
                    color=SERIES[index % len(SERIES)], linewidth=1.8)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.set_xlabel("year")
        ax.grid(color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if series:
            ax.legend(frameon=False, fontsize=8, loc="upper left")
    parts = []
    for name, points in sorted(series.items()):
        if points:
            parts.append(f"{name}: {points[0][1]} in {points[0][0]} to {points[-1][1]} in "
                         f"{points[-1][0]}")
    return _save(fig, Path(stem), title, f"{title}. " + "; ".join(parts))
