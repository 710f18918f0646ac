"""Small charts as inline SVG text, drawn without matplotlib: one per country profile section.

The country profiles draw two or three charts for each of ~140 countries; matplotlib takes
about 0.2 s a chart, these take microseconds. Every label is XML-escaped here, so the markup
can go into a page as is; nothing refers to a font, script or file outside the page.

>>> "<b>" in bars([(2020, 1.0)], title="a <b>")
False
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ["STATUS_COLOURS", "Span", "bars", "timeline"]

#: Colour of a membership bar by its role (status), and of any other role.
STATUS_COLOURS: dict[str, str] = {"member": "#1d4e89", "associate-member": "#4fa3d1",
                                  "observer": "#f0a830"}
_OTHER = "#8a97a6"
_FONT = 'font-family="Helvetica, Arial, sans-serif"'


@dataclass(frozen=True)
class Span:
    """One membership spell: row label, role, first and last year (``end`` None: ongoing)."""

    label: str
    role: str
    start: int
    end: int | None


def _text(x: float, y: float, text: str, *, size: int = 11, anchor: str = "start",
          fill: str = "#1f2933") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}" {_FONT}>{escape(text)}</text>')


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>'
            + "".join(body) + "</svg>")


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _year_ticks(first: int, last: int) -> list[int]:
    span = max(last - first, 1)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= 10)
    return [y for y in range((first // step) * step, last + 1, step) if y >= first]


def timeline(spans: Sequence[Span], *, last_year: int, title: str) -> str:
    """One row per label, one bar per spell coloured by role, up to ``last_year``."""
    labels = list(dict.fromkeys(s.label for s in spans))
    first = min((s.start for s in spans), default=last_year)
    left, right, row, top = 250, 20, 16, 30
    width = 860
    height = top + row * len(labels) + 40
    scale = (width - left - right) / max(last_year + 1 - first, 1)
    body = [_text(left, 16, title, size=12)]
    for y in _year_ticks(first, last_year):
        x = left + (y - first) * scale
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" '
                    f'y2="{height - 32}" stroke="#e4e9ef"/>')
        body.append(_text(x, height - 20, str(y), size=10, anchor="middle", fill="#52606d"))
    rows = {label: i for i, label in enumerate(labels)}
    for label, i in rows.items():
        body.append(_text(left - 6, top + i * row + 11, _short(label), size=10, anchor="end"))
    for s in spans:
        end = last_year if s.end is None else min(s.end, last_year)
        x0 = left + (s.start - first) * scale
        w = max((end + 1 - s.start) * scale, 2.0)
        colour = STATUS_COLOURS.get(s.role, _OTHER)
        tip = f"{s.label}: {s.role.replace('-', ' ')} {s.start}\u2013" + (
            str(s.end) if s.end is not None else "")
        body.append(f'<rect x="{x0:.1f}" y="{top + rows[s.label] * row + 2}" width="{w:.1f}" '
                    f'height="{row - 5}" fill="{colour}"><title>{escape(tip)}</title></rect>')
    legend_x = left
    for role, colour in [*STATUS_COLOURS.items(), ("other role", _OTHER)]:
        body.append(f'<rect x="{legend_x}" y="{height - 12}" width="10" height="10" '
                    f'fill="{colour}"/>')
        body.append(_text(legend_x + 14, height - 3, role.replace("-", " "), size=10))
        legend_x += 130
    return _svg(width, height, title, body)


def bars(values: Sequence[tuple[int, float]], *, title: str, unit: str = "") -> str:
    """A bar per year (``(year, value)`` in year order), the largest value labelled."""
    width, height, left, bottom, top = 860, 200, 50, 30, 28
    if not values:
        return _svg(width, 60, title, [_text(10, 30, title + ": no data")])
    first, last = values[0][0], values[-1][0]
    n = last - first + 1
    largest = max(v for _, v in values) or 1.0
    slot = min((width - left - 10) / n, 40.0)
    plot = height - bottom - top
    body = [_text(left, 16, title + (f" ({unit})" if unit else ""), size=12)]
    body.append(_text(left - 6, top + 8, f"{largest:,.0f}", size=10, anchor="end",
                      fill="#52606d"))
    body.append(_text(left - 6, height - bottom, "0", size=10, anchor="end", fill="#52606d"))
    for year, value in values:
        h = plot * value / largest
        x = left + (year - first) * slot
        body.append(f'<rect x="{x + 1:.1f}" y="{height - bottom - h:.1f}" '
                    f'width="{max(slot - 2, 1):.1f}" height="{h:.1f}" fill="#1d4e89">'
                    f'<title>{year}: {value:,.0f}</title></rect>')
    for y in _year_ticks(first, last):
        x = left + (y - first + 0.5) * slot
        body.append(_text(x, height - bottom + 14, str(y), size=10, anchor="middle",
                          fill="#52606d"))
    return _svg(width, height, title, body)
