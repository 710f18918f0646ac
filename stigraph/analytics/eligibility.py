"""Which actors and initiatives are open to a country: the one rule that recommendations and
programme gaps share, so that neither proposes a body the country cannot join.

A body is open to a country when it has no member country at all, or a member from the
country's region *and* a member among its peers (its income group as of the year, or the
members of a given group); a club whose members all come from one sub-region (ASEAN:
South-eastern Asia) is open only to that sub-region. Regional bodies of other regions (ASEAN,
CAREC and CYTED for Kenya) and clubs of another income group (OECD DAC for Uganda) are not.

>>> import networkx as nx
>>> from stigraph.projection.groups import CountryInfo
>>> def info(iso, region, sub):
...     return CountryInfo(iri=iso, iso2=iso, label=iso, region=region, subregion=sub,
...                        income="LM")
>>> infos = {"KE": info("KE", "Africa", "Eastern Africa"),
...          "UG": info("UG", "Africa", "Eastern Africa"),
...          "KH": info("KH", "Asia", "South-eastern Asia")}
>>> G = nx.Graph([("KH", "asean", {"relation": "membership"}),
...               ("UG", "gcf", {"relation": "membership"})])
>>> nx.set_node_attributes(G, {"asean": "actor", "gcf": "actor"}, "kind")
>>> sorted(open_organisations(G, infos, ["KE"])["KE"])
['gcf']
"""

from __future__ import annotations

from typing import Any

from stigraph.projection import groups as _groups

__all__ = ["open_organisations"]


def open_organisations(G: Any, infos: dict[str, _groups.CountryInfo], sources: list[str], *,
                       group: set[str] | None = None) -> dict[str, set[Any]]:
    """Source -> the actors and initiatives open to it: with no member country at all, or with
    a member from its region *and* a member among its peers (its income group as of the year;
    with ``group``, a member of the group), and for clubs of one sub-region, from that
    sub-region. Regional bodies of other regions (CAREC, ASEAN, CYTED for Kenya; ASEAN for
    Afghanistan) and clubs of another income group (OECD DAC for Uganda) are left out."""
    members: dict[Any, set[str]] = {}
    for v, kind in G.nodes(data="kind"):
        if kind in ("actor", "initiative", "project"):
            members[v] = {c for c, d in G[v].items()
                          if d.get("relation") == "membership" and c in infos}
    result: dict[str, set[Any]] = {}
    for s in sources:
        info = infos[s]
        peers = (group - {s}) if group is not None else _income_peers(infos, s)
        result[s] = {org for org, ms in members.items() if _open_to(ms, infos, info, peers)}
    return result


def _income_peers(infos: dict[str, _groups.CountryInfo], source: str) -> set[str]:
    income = infos[source].income
    return {k for k, o in infos.items() if o.income is not None and o.income == income
            and k != source}


def _open_to(members: set[str], infos: dict[str, _groups.CountryInfo],
             info: _groups.CountryInfo, peers: set[str]) -> bool:
    """Open: no member country at all, or a member from the region and one among the peers
    (and, for a club of one sub-region, from that sub-region)."""
    if not members:
        return True
    return (any(infos[m].region == info.region for m in members) and bool(members & peers)
            and _open_subregion(members, infos, info))


def _open_subregion(members: set[str], infos: dict[str, _groups.CountryInfo],
                    info: _groups.CountryInfo) -> bool:
    """A club whose members all come from one sub-region (ASEAN: South-eastern Asia) is open
    only to that sub-region; Afghanistan shares ASEAN's region (Asia) but not its sub-region."""
    subregions = {infos[m].subregion for m in members}
    return len(subregions) > 1 or info.subregion in subregions


