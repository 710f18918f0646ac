"""World maps as inline SVG, drawn by stigraph itself: no script, no font, nothing loaded.

The geometry is Natural Earth's 1:110m admin-0 countries (public domain) from the npm package
world-atlas (ISC), projected with Equal Earth and shipped as ``geo/world-110m.json`` by
``tools/make_world_map.py`` (see ``geo/NOTICE.md``). Each shape carries its UN M49 code and
ISO alpha-2 code, so a map takes values keyed by either. It is read once per process and each
shape's SVG path is made once per drawing width, so a page costs a string join.

Two maps: :func:`choropleth` (countries coloured by a measure in quantile classes of a
colour-blind-safe sequential palette, viridis; countries without a value grey) and
:func:`highlight_map` (one country and a few others highlighted). Both return a
:class:`Drawn`: the markup — the SVG in a ``<figure>`` with an HTML legend — and the codes
given that no shape matched (unknown codes, or countries too small for the 1:110m scale), which
the legend names too. Every data string is escaped here.

>>> classes = quantile_classes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], k=5)
>>> [c.label for c in classes.classes]
['1–2', '3–4', '5–6', '7–8', '9–10']
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from stigraph.errors import InputError

__all__ = ["CREDIT", "DISCLAIMER", "FOCUS", "GEOMETRY", "MISSING", "PALETTE", "PARTNER",
           "SOURCES_NOTE", "ZERO", "Classes", "Drawn", "MapClass", "Shape", "WorldMap",
           "choropleth", "highlight_map", "load", "quantile_classes", "switcher"]

#: The shipped geometry (made by tools/make_world_map.py).
GEOMETRY = Path(__file__).resolve().parent / "geo" / "world-110m.json"

#: Viridis (Smith & van der Walt, matplotlib), five steps from light (low) to dark (high):
#: sequential, perceptually uniform and readable with the common colour-vision deficiencies.
PALETTE = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
#: A value of zero: a count that is there and is nothing, apart from the classes.
ZERO = "#e9e4d0"
#: No value (no data, or not among the countries mapped).
MISSING = "#c4c4c4"
#: The highlight map: the country (Okabe–Ito vermillion) and its partners (Okabe–Ito blue).
FOCUS = "#d55e00"
PARTNER = "#0072b2"
_OTHER = "#e3e3e3"

CREDIT = ("Map: Natural Earth 1:110m admin-0 countries (public domain), via the world-atlas "
          "package (ISC licence); Equal Earth projection.")
#: The maps' credit in a report's sources section.
SOURCES_NOTE = ("The maps of the country profiles draw Natural Earth's 1:110m admin-0 countries "
                "v4.1.0 (public domain; made with Natural Earth) through the world-atlas package "
                "2.0.2 (ISC licence, Mike Bostock), in the Equal Earth projection "
                "(stigraph/outputs/geo/NOTICE.md).")
DISCLAIMER = ("Natural Earth draws de facto boundaries; the boundaries and names shown and the "
              "designations used do not imply official endorsement or acceptance, nor any "
              "position on the legal status of any country, territory or area or on the "
              "delimitation of its frontiers.")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class Shape:
    """One country or area of the map: codes, name and rings in tenths of a frame unit."""

    m49: str
    iso2: str
    name: str
    rings: tuple[tuple[tuple[int, int], ...], ...]


class WorldMap:
    """The shipped geometry: shapes by code, and each shape's SVG path per drawing width."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.width = int(document["width"])
        self.height = int(document["height"])
        self.precision = int(document["precision"])
        self.about: Mapping[str, Any] = document.get("about", {})
        shapes = []
        for item in document["shapes"]:
            rings = []
            for flat in item["rings"]:
                x, y = flat[0], flat[1]
                points = [(x, y)]
                for i in range(2, len(flat), 2):
                    x += flat[i]
                    y += flat[i + 1]
                    points.append((x, y))
                rings.append(tuple(points))
            shapes.append(Shape(str(item["m49"]), str(item["iso2"]), str(item["name"]),
                                tuple(rings)))
        self.shapes: tuple[Shape, ...] = tuple(shapes)
        self._by_code: dict[str, Shape] = {}
        for s in self.shapes:
            self._by_code[s.iso2.upper()] = s
            if s.m49:
                self._by_code[s.m49] = s
        self._paths: dict[tuple[int, int], dict[str, str]] = {}

    def shape(self, code: str) -> Shape | None:
        """The shape of an ISO alpha-2 code (any case) or a three-digit M49 code."""
        key = code.strip().upper()
        if key.isdigit():
            key = key.zfill(3)
        return self._by_code.get(key)

    def resolve(self, codes: Sequence[str]) -> tuple[dict[str, Shape], list[str]]:
        """``codes`` -> their shapes, and the codes no shape has (in the order given)."""
        found: dict[str, Shape] = {}
        unknown: list[str] = []
        for code in codes:
            shape = self.shape(code)
            if shape is None:
                unknown.append(code)
            else:
                found[code] = shape
        return found, unknown

    def paths(self, width: int, decimals: int = 1) -> dict[str, str]:
        """ISO2 -> the shape's SVG path data at ``width`` pixels, coordinates rounded to
        ``decimals`` (points that fall together dropped, rings of under three points left
        out); made once per width and kept."""
        key = (width, decimals)
        if key not in self._paths:
            self._paths[key] = {s.iso2: _path(s.rings, width / (self.width * self.precision),
                                              decimals) for s in self.shapes}
        return self._paths[key]

    def height_at(self, width: int) -> int:
        return math.ceil(self.height * width / self.width)


def _num(units: int, decimals: int) -> str:
    if decimals == 0 or units % 10**decimals == 0:
        return str(units // 10**decimals)
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**decimals)
    return f"{sign}{whole}.{frac:0{decimals}d}".rstrip("0")


def _path(rings: Sequence[Sequence[tuple[int, int]]], scale: float, decimals: int) -> str:
    """Relative SVG path data of ``rings`` scaled by ``scale``, on a grid of 10^-decimals."""
    grid = scale * 10**decimals
    parts = []
    for ring in rings:
        points: list[tuple[int, int]] = []
        for x, y in ring:
            q = (round(x * grid), round(y * grid))
            if not points or q != points[-1]:
                points.append(q)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) < 3:
            continue
        (x0, y0) = points[0]
        out = [f"M{_num(x0, decimals)}", _num(y0, decimals), "l"]
        for (xa, ya), (x1, y1) in itertools.pairwise(points):
            out.extend((_num(x1 - xa, decimals), _num(y1 - ya, decimals)))
        parts.append(_joined(out) + "z")
    return "".join(parts)


def _joined(tokens: Sequence[str]) -> str:
    """Path tokens with the separators SVG needs: none before a minus sign or after a
    command letter."""
    text = [tokens[0]]
    for before, token in itertools.pairwise(tokens):
        if not (token.startswith("-") or token == "l" or before == "l"):
            text.append(" ")
        text.append(token)
    return "".join(text)


@cache
def load(path: Path = GEOMETRY) -> WorldMap:
    """The map of ``path`` (the shipped geometry by default), read once per process."""
    try:
        return WorldMap(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        raise InputError(f"{path}: not a readable world map geometry ({error}); reinstall "
                         "stigraph, or remake it with tools/make_world_map.py") from error


# -- classes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapClass:
    """One class of a choropleth: its values' range, its colour and how many it holds."""

    low: float
    high: float
    colour: str
    count: int

    @property
    def label(self) -> str:
        if self.low == self.high:
            return _fmt(self.low)
        return f"{_fmt(self.low)}\u2013{_fmt(self.high)}"


@dataclass(frozen=True)
class Classes:
    """Quantile classes of the positive values; zero is a class of its own."""

    classes: tuple[MapClass, ...]
    zeros: int

    def colour(self, value: float) -> str:
        if value <= 0:
            return ZERO
        for c in self.classes:
            if value <= c.high:
                return c.colour
        return self.classes[-1].colour


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def quantile_classes(values: Sequence[float], *, k: int = 5) -> Classes:
    """Up to ``k`` classes holding about as many positive values each (quantiles; equal
    values never split), each labelled by the smallest and largest value it holds; the
    palette's steps are spread over the classes made.

    >>> quantile_classes([0, 0, 5, 5, 5, 7]).zeros
    2
    >>> [c.label for c in quantile_classes([0, 0, 5, 5, 5, 7]).classes]
    ['5', '7']
    """
    positive = sorted(v for v in values if v > 0)
    zeros = sum(1 for v in values if v <= 0)
    n = len(positive)
    groups: list[list[float]] = []
    if n:
        k = max(1, min(k, len(set(positive))))
        start = 0
        for i in range(1, k + 1):
            end = max(start + 1, math.ceil(i * n / k))
            while end < n and positive[end] == positive[end - 1]:
                end += 1  # equal values go in one class
            if start < n:
                groups.append(positive[start:end])
            start = end
            if start >= n:
                break
    steps = [round(i * (len(PALETTE) - 1) / max(len(groups) - 1, 1)) for i in range(len(groups))]
    if len(groups) == 1:
        steps = [len(PALETTE) // 2]
    return Classes(tuple(MapClass(g[0], g[-1], PALETTE[s], len(g))
                         for g, s in zip(groups, steps, strict=True)), zeros)


# -- drawing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """A drawn map: its markup (a ``<figure>``) and the codes given that no shape matched."""

    markup: str
    unmatched: tuple[str, ...]
    classes: Classes | None = None


def _swatch(colour: str) -> str:
    return (f'<svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" '
            f'fill="{colour}" stroke="#666" stroke-width="0.5"/></svg>')


def _svg(world: WorldMap, width: int, title: str, body: list[str], *, decimals: int) -> str:
    height = world.height_at(width)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="worldmap" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f"<title>{_e(title)}</title>"
            f'<g stroke="#ffffff" stroke-width="{0.5 if decimals else 0.4}" '
            'stroke-linejoin="round" fill-rule="evenodd">' + "".join(body) + "</g></svg>")


def _shape(d: str, colour: str, tip: str, href: str | None) -> str:
    path = f'<path d="{d}" fill="{colour}"><title>{_e(tip)}</title></path>'
    return f'<a href="{_e(href)}">{path}</a>' if href else path


def _not_drawn(codes: Sequence[str], names: Mapping[str, str], what: str) -> str:
    if not codes:
        return ""
    listed = ", ".join(names.get(c, c) for c in codes)
    return (f'<p class="note">{len(codes)} {_e(what)} no shape on the 1:110m map (small '
            f"islands and territories, or unknown codes), not drawn: {_e(listed)}.</p>")


def choropleth(values: Mapping[str, float], *, measure: str, source: str, period: str,
               names: Mapping[str, str] | None = None, links: Mapping[str, str] | None = None,
               missing: str = "no data", title: str | None = None, width: int = 960,
               k: int = 5, world: WorldMap | None = None) -> Drawn:
    """Countries coloured by ``values`` (code -> value; ISO2 or M49 codes) in quantile
    classes; ``names`` (code -> name) for the tooltips, ``links`` (code -> href) to make a
    country a link; every other country grey, its tooltip saying ``missing``.

    The legend states the measure, each class with its range and count, zero, the grey and
    what it means, the source and period, and the countries not drawn."""
    world = world or load()
    names = names or {}
    links = links or {}
    found, unmatched = world.resolve(list(values))
    classes = quantile_classes([values[c] for c in found], k=k)
    by_iso: dict[str, tuple[str, float]] = {}
    for code, shape in found.items():
        if shape.iso2 in by_iso:
            raise ValueError(f"codes {by_iso[shape.iso2][0]!r} and {code!r} are both "
                             f"{shape.name}: give one value per country")
        by_iso[shape.iso2] = (code, values[code])
    paths = world.paths(width, 1)
    body = []
    for shape in world.shapes:
        d = paths[shape.iso2]
        if not d:
            continue
        if shape.iso2 in by_iso:
            code, value = by_iso[shape.iso2]
            name = names.get(code) or names.get(shape.iso2) or shape.name
            tip = f"{name}: {_fmt(value)} {measure} ({source}, {period})"
            body.append(_shape(d, classes.colour(value), tip, links.get(code)))
        else:
            name = names.get(shape.iso2) or names.get(shape.m49) or shape.name
            body.append(_shape(d, MISSING, f"{name}: {missing}", None))
    heading = title or f"{measure[:1].upper()}{measure[1:]}, {period}"
    legend = (f"<figcaption>{_e(heading)}</figcaption>"
              + _class_legend(classes, measure, missing)
              + f'<p class="note">Source: {_e(source)}; {_e(period)}. {_e(CREDIT)} '
              f"{_e(DISCLAIMER)}</p>" + _not_drawn(unmatched, names, "countries with a value have"))
    svg = _svg(world, width, heading, body, decimals=1)
    return Drawn(f'<figure class="worldmap">{svg}{legend}</figure>', tuple(unmatched), classes)


def _class_legend(classes: Classes, measure: str, missing: str) -> str:
    """The classes with their colour, range and number of countries, zero, and the grey."""
    items = [f'<li>{_swatch(c.colour)} {_e(c.label)} <span class="note">({c.count})</span>'
             "</li>" for c in classes.classes]
    if classes.zeros:
        items.insert(0, f'<li>{_swatch(ZERO)} 0 <span class="note">({classes.zeros})</span>'
                        "</li>")
    items.append(f"<li>{_swatch(MISSING)} {_e(missing)}</li>")
    return (f'<p class="note">{_e(measure)}: quantile classes (number of countries in each)'
            f'</p><ul class="legend">{"".join(items)}</ul>')


def highlight_map(focus: str, partners: Mapping[str, str], *, title: str, focus_tip: str,
                  focus_label: str, partner_label: str,
                  names: Mapping[str, str] | None = None,
                  links: Mapping[str, str] | None = None, width: int = 480,
                  world: WorldMap | None = None) -> Drawn:
    """A small map with ``focus`` and ``partners`` (code -> tooltip) highlighted, the other
    countries light grey with their name as tooltip; ``links`` (code -> href) make a
    highlighted country a link. The legend names the two colours and the countries not
    drawn."""
    world = world or load()
    names = names or {}
    links = links or {}
    found, unmatched = world.resolve([focus, *partners])
    focus_shape = found.get(focus)
    marked = {shape.iso2: code for code, shape in found.items() if code != focus}
    paths = world.paths(width, 0)
    others, top, last = [], [], []
    for shape in world.shapes:
        d = paths[shape.iso2]
        if not d:
            continue
        if focus_shape is not None and shape is focus_shape:
            last.append(_shape(d, FOCUS, focus_tip, None))  # drawn last, on top
        elif shape.iso2 in marked:
            code = marked[shape.iso2]
            top.append(_shape(d, PARTNER, partners[code], links.get(code)))
        else:
            others.append(d)
    legend = (f"<figcaption>{_e(title)}</figcaption>"
              f'<ul class="legend"><li>{_swatch(FOCUS)} {_e(focus_label)}</li>'
              f"<li>{_swatch(PARTNER)} {_e(partner_label)}</li>"
              f"<li>{_swatch(_OTHER)} other countries</li></ul>"
              f'<p class="note">{_e(CREDIT)} {_e(DISCLAIMER)}</p>'
              + _not_drawn(unmatched, names, "of these countries have"))
    # the other countries as one path: the page stays small (one map on each of ~140 pages)
    body = [f'<path d="{"".join(others)}" fill="{_OTHER}"/>', *top, *last]
    svg = _svg(world, width, title, body, decimals=0)
    return Drawn(f'<figure class="worldmap small">{svg}{legend}</figure>', tuple(unmatched))


def switcher(maps: Sequence[tuple[str, str, Drawn]], *, name: str = "map") -> tuple[str, str]:
    """Several maps, one shown at a time, switched by radio buttons without script:
    ``maps`` as (id, label, drawn). Returns the markup and the CSS rules it needs."""
    inputs, figures, rules = [], [], []
    for i, (key, label, drawn) in enumerate(maps):
        if not re.fullmatch(r"[a-z0-9-]+", key) or not re.fullmatch(r"[a-z0-9-]+", name):
            raise ValueError(f"map id {name}-{key!r}: lower-case letters, digits and '-' only")
        ident = f"{name}-{key}"
        checked = " checked" if i == 0 else ""
        inputs.append(f'<input type="radio" name="{_e(name)}" id="{_e(ident)}"{checked}>'
                      f'<label for="{_e(ident)}">{_e(label)}</label>')
        figures.append(f'<div class="panel" id="{_e(ident)}-panel">{drawn.markup}</div>')
        rules.append(f"#{ident}:checked ~ #{ident}-panel {{ display: block; }}")
    css = (".maps > .panel { display: none; } .maps > input { margin-left: .8rem; } "
           ".maps > label { font-weight: 600; margin-right: .4rem; } " + " ".join(rules))
    return f'<div class="maps">{"".join(inputs)}{"".join(figures)}</div>', css
