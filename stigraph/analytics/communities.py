"""Communities of a weighted cooperation graph (Louvain) and their modularity.

Louvain (Blondel, Guillaume, Lambiotte & Lefebvre 2008) through
``networkx.community.louvain_communities`` with a seed, on the edge ``weight`` (a strength).
Communities are numbered 0, 1, … by size (largest first), ties by their smallest node id, so the
numbering is stable for a given seed. Isolated nodes are communities of their own.

>>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")])
>>> G.add_edge("c", "x")
>>> result = communities(G, seed=1)
>>> sorted(r["community"] for r in result.nodes)
[0, 0, 0, 1, 1, 1]
>>> round(result.modularity, 4)  # two triangles joined by one edge: 2 * (3/7 - (7/14)**2)
0.3571
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

__all__ = ["CommunityResult", "communities", "community_map"]


@dataclass
class CommunityResult:
    """Each node's community, the communities' sizes and the partition's modularity."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    modularity: float = 0.0
    seed: int = 0

    def summary(self) -> list[dict[str, Any]]:
        """One record per community: its number, size and its three strongest members."""
        by_community: dict[int, list[dict[str, Any]]] = {}
        for row in self.nodes:
            by_community.setdefault(int(row["community"]), []).append(row)
        out = []
        for number, size in enumerate(self.sizes):
            members = sorted(by_community.get(number, []),
                             key=lambda r: (-float(r["strength"]), str(r["node"])))
            out.append({"community": number, "size": size, "modularity": self.modularity,
                        "top_members": "; ".join(str(r.get("label", r["node"]))
                                                 for r in members[:3])})
        return out


def communities(G: nx.Graph, *, weight: str = "weight", resolution: float = 1.0,
                seed: int = 0) -> CommunityResult:
    """Louvain communities with ``seed``; modularity of the partition (Newman 2006).

    Each node record: ``node``, ``label``/``kind``/``code`` when present, ``community``,
    ``community_size`` and ``strength`` (sum of weights), sorted by community then node id.
    """
    if G.number_of_nodes() == 0:
        return CommunityResult(seed=seed)
    parts = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    ordered = sorted((sorted(p, key=str) for p in parts), key=lambda p: (-len(p), str(p[0])))
    modularity = (float(nx.community.modularity(G, ordered, weight=weight, resolution=resolution))
                  if G.number_of_edges() else 0.0)
    rows = []
    for number, members in enumerate(ordered):
        for v in members:
            attrs = G.nodes[v]
            row: dict[str, Any] = {"node": v}
            for key in ("code", "label", "kind"):
                if key in attrs:
                    row[key] = attrs[key]
            row.update(community=number, community_size=len(members),
                       strength=float(G.degree(v, weight=weight)))
            rows.append(row)
    return CommunityResult(nodes=rows, sizes=[len(p) for p in ordered], modularity=modularity,
                           seed=seed)


def community_map(result: CommunityResult) -> dict[Any, int]:
    """Node -> community number."""
    return {r["node"]: int(r["community"]) for r in result.nodes}
