"""Why a link is recommended, in words: the shared neighbours named, peers first.

:func:`explain` turns one scored pair (a row of :func:`stigraph.analytics.links.pair_scores`)
into the sentence a recommendation carries, the evidence paths ``source — shared — target``
and the shared neighbours in the order they are named.

>>> import networkx as nx
>>> G = nx.Graph([("KE", "UG"), ("UG", "cgiar")])
>>> nx.set_node_attributes(G, {"KE": "country", "UG": "country", "cgiar": "actor"}, "kind")
>>> nx.set_node_attributes(G, {"KE": "Kenya", "UG": "Uganda", "cgiar": "CGIAR"}, "label")
>>> row = {"source": "KE", "target": "cgiar", "shared": ["UG"], "contribution": [1.0]}
>>> explain(G, row, {"UG"}, "Africa", ["capacity"])[0]
'Uganda, peers in the same group (Africa), is a member of CGIAR; would add capacity'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

__all__ = ["explain", "label", "names"]


def label(G: nx.Graph, v: Any) -> str:
    """The node's ``label`` attribute, else the node itself as text."""
    return str(G.nodes[v].get("label", v)) if v in G else str(v)


def names(G: nx.Graph, nodes: Sequence[Any], limit: int = 3) -> str:
    """``A, B and C (and 2 more)``: the first ``limit`` labels."""
    labels = [label(G, z) for z in nodes[:limit]]
    more = len(nodes) - limit
    text = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return text + (f" (and {more} more)" if more > 0 else "")


def _ordered_shared(G: nx.Graph, row: dict[str, Any], peers: set[Any]) -> list[Any]:
    """Shared neighbours: peers first, then the ones that say most (largest contribution)."""
    weight = dict(zip(row["shared"], row.get("contribution", [1.0] * len(row["shared"])),
                      strict=True))
    return sorted(row["shared"], key=lambda z: (z not in peers, -weight[z], label(G, z)))


def _organisations(G: nx.Graph, u: Any, target: str, others: list[Any],
                   to_country: bool) -> list[str]:
    if not others:
        return []
    if to_country:  # the organisations both take part in say most
        return [f"both take part in {names(G, others)}"]
    return [f"{label(G, u)} already takes part in {names(G, others)}, linked to {target}"]


def _peers(G: nx.Graph, in_group: list[Any], peer_group: str, target: str,
           to_country: bool) -> list[str]:
    if not in_group:
        return []
    plural = len(in_group) > 1
    note = f", peers in the same group ({peer_group})," if peer_group else \
        ", peers in the same group,"
    if to_country:
        verb = ("cooperate" if plural else "cooperates") + " with both"
    else:
        verb = ("are members" if plural else "is a member") + f" of {target}"
    return [f"{names(G, in_group)}{note} {verb}"]


def _others(G: nx.Graph, rest: list[Any], also: bool, target: str,
            to_country: bool) -> list[str]:
    if not rest:
        return []
    plural = len(rest) > 1
    if to_country:
        verb = ("cooperate" if plural else "cooperates") + " with both"
    else:
        verb = ("take" if plural else "takes") + f" part in {target}"
    return [f"{'also ' if also else ''}{names(G, rest)} {verb}"]


def explain(G: nx.Graph, row: dict[str, Any], peers: set[Any], peer_group: str,
            new_areas: list[str]) -> tuple[str, list[str], list[Any]]:
    """(sentence, evidence paths, shared neighbours in the order named) for one scored pair."""
    u, v = row["source"], row["target"]
    shared = _ordered_shared(G, row, peers)
    target = label(G, v)
    to_country = G.nodes[v].get("kind") == "country"
    countries = [z for z in shared if G.nodes[z].get("kind") == "country"]
    in_group = [z for z in countries if z in peers]
    parts = [
        *_organisations(G, u, target,
                        [z for z in shared if G.nodes[z].get("kind") != "country"], to_country),
        *_peers(G, in_group, peer_group, target, to_country),
        *_others(G, [z for z in countries if z not in peers], bool(in_group), target,
                 to_country),
    ]
    if not shared:
        parts.append(f"no shared neighbours; {target} is well connected (degree {G.degree(v)})")
    if new_areas:
        parts.append("would add " + ", ".join(new_areas))
    paths = [f"{label(G, u)} — {label(G, z)} — {target}" for z in shared[:5]]
    return "; ".join(parts), paths, shared
