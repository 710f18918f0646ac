"""Partnership gaps of developing countries: country × cooperation-area coverage against peers.

A country *covers* an area through the actors and initiatives it takes part in that address it
(the bipartite country–organisation projection and each organisation's areas). Its coverage of
an area is compared with its peers' (same World Bank income group as of the year, or the same
M49 region): ``none`` when it has no link there while the peer median is above 0, ``weak`` when
it has fewer than ``weak`` × the peer median, ``ok`` otherwise.

>>> import networkx as nx
>>> B = nx.Graph([("KE", "gcf"), ("UG", "gcf"), ("UG", "cgiar"), ("TZ", "cgiar")])
>>> areas = {"gcf": {"a:fund": "funding"}, "cgiar": {"a:cap": "capacity"}}
>>> m = coverage(B, areas, ["KE", "UG", "TZ"])
>>> m["KE"], m["UG"]
({'a:fund': 1}, {'a:cap': 1, 'a:fund': 1})
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import networkx as nx

from stigraph.analytics.records import AreaGap, CoverageRow, ProgrammeGap
from stigraph.projection.groups import CountryInfo, peers

__all__ = ["area_gaps", "coverage", "coverage_matrix", "open_programmes"]


def coverage(B: nx.Graph, areas: Mapping[Any, Mapping[str, str]],
             countries: Sequence[Any]) -> dict[Any, dict[str, int]]:
    """Country -> {area: number of its organisations addressing that area} (zeros left out)."""
    result: dict[Any, dict[str, int]] = {}
    for c in countries:
        counts: dict[str, int] = {}
        for org in (B[c] if c in B else ()):  # noqa: SIM401 (nx.Graph has no .get)
            for area in areas.get(org, {}):
                counts[area] = counts.get(area, 0) + 1
        result[c] = dict(sorted(counts.items()))
    return result


def coverage_matrix(B: nx.Graph, areas: Mapping[Any, Mapping[str, str]],
                    infos: Mapping[str, CountryInfo], area_labels: Mapping[str, str],
                    countries: Sequence[str]) -> list[CoverageRow]:
    """One row per country, one column per area (by its slug), cells = links in that area."""
    cov = coverage(B, areas, countries)
    rows = []
    for c in countries:
        info = infos[c]
        rows.append(CoverageRow(
            country=info.iso2, label=info.label, groups=";".join(info.group_labels()),
            counts={area.rsplit("/", 1)[-1]: cov[c].get(area, 0) for area in sorted(area_labels)},
            areas_covered=sum(1 for a in area_labels if cov[c].get(a, 0) > 0)))
    return rows


def area_gaps(B: nx.Graph, areas: Mapping[Any, Mapping[str, str]],
              infos: Mapping[str, CountryInfo], area_labels: Mapping[str, str],
              countries: Sequence[str], *, by: str = "income", weak: float = 0.5,
              include_ok: bool = False) -> list[AreaGap]:
    """Areas where each country has no or weak links compared with its peers.

    Returns rows ``country``, ``area``, ``area_label``, ``links``, ``peer_median``,
    ``peer_mean``, ``peers`` (how many), ``status`` (none / weak / ok), ``gap`` (peer median
    minus links), sorted by country, then the largest gap first.
    """
    everyone = sorted(infos)
    cov = coverage(B, areas, everyone)
    rows = []
    for c in countries:
        info = infos[c]
        group = peers(info, dict(infos), by=by)
        peer_group = (f"income:{info.income}" if by == "income" and info.income
                      else f"region:{info.region}")
        for area in sorted(area_labels):
            values = [cov[p].get(area, 0) for p in group]
            median = float(statistics.median(values)) if values else 0.0
            links = cov[c].get(area, 0)
            status = _status(links, median, weak)
            if status == "ok" and not include_ok:
                continue
            rows.append(AreaGap(
                country=info.iso2, label=info.label, area=area.rsplit("/", 1)[-1],
                area_label=area_labels[area], links=links, peer_median=median,
                peer_mean=float(statistics.fmean(values)) if values else 0.0,
                peers=len(group), peer_group=peer_group, status=status,
                gap=float(median - links)))
    rows.sort(key=lambda r: (r.country, -r.gap, r.area))
    return rows


def _status(links: int, median: float, weak: float) -> str:
    if links == 0 and median > 0:
        return "none"
    if links < weak * median:
        return "weak"
    return "ok"


def open_programmes(B: nx.Graph, infos: Mapping[str, CountryInfo], country: str, *,
                    by: str = "income", limit: int | None = None,
                    exclude: Collection[Any] = (),
                    eligible: Collection[Any] | None = None) -> list[ProgrammeGap]:
    """Actors and programmes open to ``country`` that it is not part of.

    At least one peer (same income group or region) takes part in each; ``eligible``, when
    given, keeps only those bodies (the rule recommendations use:
    :func:`stigraph.analytics.eligibility.open_organisations`). ``exclude``: nodes that
    cannot be joined (e.g. ended). Sorted by how many peers take part, then label.
    """
    info = infos[country]
    group = set(peers(info, dict(infos), by=by))
    joined = set(B[country]) if country in B else set()
    counts: dict[Any, list[str]] = {}
    for p in sorted(group):
        if p not in B:
            continue
        for org in B[p]:
            if org not in joined and org not in infos and org not in exclude \
                    and (eligible is None or org in eligible):
                counts.setdefault(org, []).append(infos[p].label)
    rows = [ProgrammeGap(country=info.iso2, target=org,
                         target_label=str(B.nodes[org].get("label", org)),
                         target_kind=str(B.nodes[org].get("kind", "")),
                         peer_members=len(names), peers="; ".join(sorted(names)[:5]))
            for org, names in counts.items()]
    rows.sort(key=lambda r: (-r.peer_members, r.target_label, str(r.target)))
    return rows[:limit] if limit is not None else rows
