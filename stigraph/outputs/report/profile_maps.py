"""The country profiles' maps (:mod:`stigraph.outputs.worldmap`), from what the profiles count.

- The index: one choropleth per measure the profiles compute for every developing country —
  Horizon Europe projects, co-authored works, GCF projects, memberships — switched by radio
  buttons without script (:func:`index_maps`); each country links to its profile, its tooltip
  giving name, value, source and years; countries without a profile are grey.
- Each profile: a small map of the country and its top partner countries, as the profile's
  partner table ranks them (:func:`partner_map`).

The geometry's paths are made once per width, so ~140 maps cost a string join each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from markupsafe import Markup

from stigraph.outputs import worldmap
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.partners import PartnerSources

__all__ = ["MEASURES", "IndexMaps", "Measure", "index_maps", "partner_map"]


@dataclass(frozen=True)
class Measure:
    """One measure of the index maps: its key in a profile's counts, name and source."""

    key: str
    name: str
    source: str


MEASURES = (
    Measure("projects", "Horizon Europe projects", "CORDIS, European Commission"),
    Measure("works", "co-authored works, summed over partner countries",
            "OpenAlex via V. Batagelj"),
    Measure("gcf", "GCF projects", "Green Climate Fund open data"),
    Measure("memberships", "memberships and participations",
            "curated seeds and COW IGO v3"),
)
NO_PROFILE = "no profile (not a developing country under this definition)"


class _Data(Protocol):
    """What the maps read of the profiles' shared data (profiles.ProfileData)."""

    as_of: str
    inputs: AnalysisInputs
    sources: PartnerSources

    @property
    def gcf(self) -> Mapping[str, list[dict[str, Any]]]: ...

    @property
    def memberships(self) -> Mapping[str, list[dict[str, Any]]]: ...


class _Profile(Protocol):
    iri: str
    iso2: str
    label: str
    counts: dict[str, float]

    @property
    def file(self) -> str: ...


@dataclass(frozen=True)
class IndexMaps:
    """The index's maps: markup, the CSS their switch needs, and the profiled countries no
    shape matched (too small for the 1:110m scale), by ISO2 code."""

    markup: Markup
    style: Markup
    unmatched: tuple[str, ...]


def _span(years: Iterable[int | None]) -> tuple[int, int] | None:
    known = [y for y in years if y is not None]
    return (min(known), max(known)) if known else None


def _year(value: Any) -> int | None:
    text = str(value or "")
    return int(text[:4]) if text[:4].isdigit() else None


def periods(data: _Data, countries: Sequence[str]) -> dict[str, str]:
    """Measure key -> the years its counts cover for ``countries`` (IRIs), as the profiles
    count them: project start years, publication years, approval years, start years."""
    spans = {
        "projects": _span(c.year for country in countries
                          for c in data.sources.projects_of(country)),
        "works": _span(int(r["year"]) for country in countries
                       for r in data.sources.works_of(country) if r["year"] is not None),
        "gcf": _span(_year(r["start"]) for country in countries
                     for r in data.gcf.get(country, [])),
        "memberships": _span(_year(r["start"]) for country in countries
                             for r in data.memberships.get(country, [])),
    }
    what = {"projects": "projects started", "works": "works published",
            "gcf": "projects approved", "memberships": "started"}
    return {key: (f"{what[key]} {_years(span)}, as of {data.as_of}" if span
                  else f"as of {data.as_of}") for key, span in spans.items()}


def _years(span: tuple[int, int]) -> str:
    return str(span[0]) if span[0] == span[1] else f"{span[0]}\u2013{span[1]}"


def _names(inputs: AnalysisInputs) -> dict[str, str]:
    return {info.iso2: info.label for info in inputs.infos.values()}


def index_maps(data: _Data, profiles: Sequence[_Profile]) -> IndexMaps:
    """One choropleth per measure of :data:`MEASURES` over the profiled countries, each
    country linked to its profile, switched without script."""
    names = _names(data.inputs)
    links = {p.iso2: p.file for p in profiles}
    span = periods(data, [p.iri for p in profiles])
    drawn = []
    unmatched: tuple[str, ...] = ()
    for m in MEASURES:
        one = worldmap.choropleth({p.iso2: p.counts[m.key] for p in profiles},
                                  measure=m.name, source=m.source, period=span[m.key],
                                  names=names, links=links, missing=NO_PROFILE)
        drawn.append((m.key, m.name[:1].upper() + m.name[1:].split(",")[0], one))
        unmatched = one.unmatched
    markup, style = worldmap.switcher(drawn)
    return IndexMaps(Markup(markup), Markup(style), unmatched)


def partner_map(data: _Data, iso2: str, label: str,
                rows: Sequence[Mapping[str, Any]]) -> Markup:
    """The small map of a profile: the country ``iso2`` and its partner countries ``rows``
    (as ``stigraph partners`` ranks them), each partner's tooltip giving its rank and
    weight."""
    tips = {str(r["code"]): f"{r['label']}: partner {i} of {len(rows)}, weight "
                            f"{float(r['weight']):.2f}" for i, r in enumerate(rows, 1)}
    drawn = worldmap.highlight_map(
        iso2, tips, title=f"{label} and its top {len(rows)} partner countries on {data.as_of}",
        focus_tip=f"{label} (this profile)", focus_label=label,
        partner_label=f"its top {len(rows)} partner countries (table below)",
        names=_names(data.inputs))
    return Markup(drawn.markup)
