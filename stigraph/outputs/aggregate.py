"""Network pages for graphs too large to draw node by node: an overview of groups and a page
per group.

Above :data:`AGGREGATE_ABOVE` linked nodes, :func:`write_network_pages` draws the network as
groups — organisations by the country they are headquartered in (a country node joins its own
country's group), every other node by its class — with one node per group (its area grows with
the group's size) and one link per pair of groups that have links between their members (its
weight the sum of theirs). Each group has a drill-down page: its members one by one, with the
links among them, and the other groups as single nodes carrying the members' links to them.
Every page says what it draws and what it leaves out, and the overview lists the group pages.

>>> g = nx.Graph([("a1", "a2"), ("a1", "b1"), ("b1", "b2")])
>>> nx.set_node_attributes(g, {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}, "country")
>>> grouping = group_nodes(g, countries=nx.get_node_attributes(g, "country"))
>>> sorted(grouping.members.items())
[('country:A', ['a1', 'a2']), ('country:B', ['b1', 'b2'])]
>>> overview = grouping.overview(g)
>>> sorted(overview.edges(data="weight")), overview.nodes["country:A"]["internal"]
([('country:A', 'country:B', 1.0)], 1)
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Graph

from stigraph.outputs import netview
from stigraph.outputs import network as viz
from stigraph.queries.sparql import run_sparql
from stigraph.vocab.labels import label_of

__all__ = ["AGGREGATE_ABOVE", "GroupPage", "Grouping", "group_nodes", "headquarters",
           "write_network_pages"]

#: Above this many linked nodes a network is drawn as groups with a page per group.
AGGREGATE_ABOVE = netview.MAX_NODES


@dataclass(frozen=True)
class GroupPage:
    """A group's drill-down page, as the overview links to it."""

    key: str
    label: str
    href: str
    members: int


@dataclass
class Grouping:
    """Which group each node is in, and the groups' labels and classes."""

    group_of: dict[Hashable, str]
    members: dict[str, list[Hashable]]
    labels: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    def overview(self, graph: nx.Graph) -> nx.Graph:
        """One node per group, one link per pair of linked groups (weights summed)."""
        over = nx.Graph()
        over.graph.update({k: v for k, v in graph.graph.items() if k != "ego"})
        internal: dict[str, int] = defaultdict(int)
        for u, v, data in graph.edges(data=True):
            gu, gv = self.group_of[u], self.group_of[v]
            if gu == gv:
                internal[gu] += 1
                continue
            _add_weight(over, gu, gv, data)
        for key, nodes in self.members.items():
            over.add_node(key, label=f"{self.labels[key]} ({len(nodes):,})", kind=self.kinds[key],
                          members=len(nodes), internal=internal[key])
        return over

    def incident(self, graph: nx.Graph) -> dict[str, list[tuple[Hashable, Hashable, dict]]]:
        """Group -> the links that touch one of its members (each link at both its groups)."""
        found: dict[str, list[tuple[Hashable, Hashable, dict]]] = defaultdict(list)
        for u, v, data in graph.edges(data=True):
            gu, gv = self.group_of[u], self.group_of[v]
            found[gu].append((u, v, data))
            if gv != gu:
                found[gv].append((u, v, data))
        return found

    def drill_down(self, graph: nx.Graph, key: str,
                   incident: Mapping[str, list[tuple[Hashable, Hashable, dict]]] | None = None
                   ) -> nx.Graph:
        """The members of group ``key`` one by one, and every other group as one node."""
        members = set(self.members[key])
        sub = nx.Graph()
        sub.graph.update({k: v for k, v in graph.graph.items() if k != "ego"})
        sub.add_nodes_from((n, graph.nodes[n]) for n in self.members[key])
        edges = (incident or self.incident(graph)).get(key, [])
        for u, v, data in edges:
            inside = (u in members, v in members)
            if all(inside):
                sub.add_edge(u, v, **data)
            elif any(inside):
                node, other = (u, v) if inside[0] else (v, u)
                group = self.group_of[other]
                if group not in sub:
                    sub.add_node(group, label=f"{self.labels[group]} (group)",
                                 kind=self.kinds[group])
                _add_weight(sub, node, group, data)
        return sub


def _add_weight(g: nx.Graph, u: Hashable, v: Hashable, data: Mapping[str, object]) -> None:
    weight = data.get("weight", 1.0)
    w = float(weight) if isinstance(weight, int | float) else 1.0
    if g.has_edge(u, v):
        g[u][v]["weight"] += w
        g[u][v]["links"] += 1
    else:
        g.add_edge(u, v, weight=w, links=1, relation="links between the groups")


def _country_of(graph: nx.Graph, node: Hashable, kind: str,
                countries: Mapping[Hashable, str]) -> str | None:
    """A node's country: a country is its own; an organisation's is its headquarters'."""
    return str(node) if kind == "Country" else countries.get(node)


def _by_participants(graph: nx.Graph, node: Hashable,
                     country: Mapping[Hashable, str | None]) -> str | None:
    """The country most of a project's linked organisations come from (by link weight, then
    the country's IRI), or None when none of them has one."""
    votes: dict[str, float] = defaultdict(float)
    for other, data in graph[node].items():
        c = country.get(other)
        if c:
            w = data.get("weight", 1.0)
            votes[c] += float(w) if isinstance(w, int | float) else 1.0
    return min(votes, key=lambda c: (-votes[c], c)) if votes else None


def group_nodes(graph: nx.Graph, *, countries: Mapping[Hashable, str],
                country_labels: Mapping[str, str] | None = None) -> Grouping:
    """Organisations by their country (``countries``: node -> country IRI or code; a country
    node is in its own group), projects with the country most of their organisations come
    from, every other node by its class."""
    country_labels = country_labels or {}
    kind_of = {node: viz._kind(data) for node, data in graph.nodes(data=True)}
    country = {node: _country_of(graph, node, kind, countries) for node, kind in kind_of.items()}
    for node, kind in kind_of.items():
        if kind == "Project" and not country[node]:
            country[node] = _by_participants(graph, node, country)
    group_of: dict[Hashable, str] = {}
    labels: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for node, kind in kind_of.items():
        c = country[node]
        if c:
            key = f"country:{c}"
            if kind == "Country":
                labels[key] = country_labels.get(c) or viz.node_label(graph, node)
            else:
                labels.setdefault(key, country_labels.get(c) or c.rsplit("/")[-1])
            kinds[key] = "Country"
        else:
            key = f"class:{kind}"
            labels[key] = f"{viz.KIND_STYLE.get(kind, ('', kind))[1]}, no country"
            kinds[key] = kind
        group_of[node] = key
    members: dict[str, list[Hashable]] = defaultdict(list)
    for node in sorted(group_of, key=str):
        members[group_of[node]].append(node)
    return Grouping(group_of=group_of, members=dict(sorted(members.items())), labels=labels,
                    kinds=kinds)


def _file_key(key: str) -> str:
    tail = key.split(":", 1)[1].rstrip("/").rsplit("/", 1)[-1]
    return key.split(":", 1)[0] + "-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", tail).lower() or "x")


#: ``progress(what, done, total)``: group pages drawn so far, of how many.
Progress = Callable[[str, int, "int | None"], object]


def headquarters(rdf: Graph) -> tuple[dict[Hashable, str], dict[str, str]]:
    """Actor IRI -> the IRI of the country it is headquartered in (query
    ``evidence-headquarters``), and country IRI -> its label."""
    countries = {row["actor"]: str(row["country"])
                 for row in run_sparql(rdf, "evidence-headquarters", {})}
    return ({str(a): c for a, c in countries.items()},
            {c: label_of(rdf, c) for c in set(countries.values())})


def write_network_pages(
    graph: nx.Graph,
    path: Path,
    *,
    title: str,
    description: str,
    countries: Mapping[Hashable, str],
    country_labels: Mapping[str, str] | None = None,
    size_by: Mapping[Hashable, float] | None = None,
    size_name: str = "centrality",
    seed: int = 42,
    aggregate_above: int = AGGREGATE_ABOVE,
    progress: Progress | None = None,
    assets: Path | None = None,
) -> list[viz.NetworkPage]:
    """The network page at ``path``; for a graph of more than ``aggregate_above`` linked
    nodes, the overview of groups there and a page per group in the folder ``path``'s stem
    beside it. Returns the pages written, the overview first. ``assets``: the folder whose
    one copy of vis-network every page loads (see :func:`~stigraph.outputs.network.
    write_network_html`); default: inlined in each page."""
    linked = sum(1 for n in graph if graph.degree(n) > 0)
    if linked <= aggregate_above:
        net = viz.to_network(graph, size_by=size_by, size_name=size_name, seed=seed)
        if progress is not None:
            progress("Writing the page", 0, None)
        return [viz.write_network_html(net, path, title=title, description=description,
                                       assets=assets)]
    grouping = group_nodes(graph, countries=countries, country_labels=country_labels)
    groups = [GroupPage(key, grouping.labels[key], f"{path.stem}/{_file_key(key)}.html",
                        len(nodes))
              for key, nodes in sorted(grouping.members.items(),
                                       key=lambda kv: (-len(kv[1]), kv[0]))]
    style = _Style(title, description, size_by, size_name, seed, assets)
    pages = [_overview_page(graph, grouping, groups, path, style, linked)]
    incident = grouping.incident(graph)
    for i, group in enumerate(groups, start=1):
        pages.append(_group_page(graph, grouping, groups, group, incident, path, style))
        if progress is not None:
            progress(f"Drawing the group pages of {path.name}", i, len(groups))
    return pages


@dataclass(frozen=True)
class _Style:
    """What every page of one network shares."""

    title: str
    description: str
    size_by: Mapping[Hashable, float] | None
    size_name: str
    seed: int
    assets: Path | None = None


def _overview_page(graph: nx.Graph, grouping: Grouping, groups: list[GroupPage], path: Path,
                   style: _Style, linked: int) -> viz.NetworkPage:
    overview = grouping.overview(graph)
    for group in groups:
        overview.nodes[group.key]["page"] = group.href
    internal = sum(overview.nodes[g.key]["internal"] for g in groups)
    sizes: dict[Hashable, float] = {
        key: float(sum((style.size_by or {}).get(n, 1.0) for n in nodes))
        for key, nodes in grouping.members.items()}
    measure = style.size_name if style.size_by else "size"
    what = (f"{linked:,} linked nodes are too many to draw one by one: each node here is a "
            "group (organisations by their country, projects with the country most of their "
            f"organisations come from, other nodes by their class), its area the group's total "
            f"{measure}; each link joins two groups whose members are linked. Of the network's "
            f"{graph.number_of_edges():,} links, {internal:,} join members of one group and "
            "are drawn on the group pages only. Every group has its own page, listed beside "
            "the graph.")
    net = viz.to_network(overview, size_by=sizes, seed=style.seed,
                         size_name=f"total {style.size_name}" if style.size_by else "members")
    return viz.write_network_html(net, path, title=f"{style.title} — by group",
                                  description=f"{style.description} {what}", groups=groups,
                                  assets=style.assets)


def _group_page(graph: nx.Graph, grouping: Grouping, groups: list[GroupPage], group: GroupPage,
                incident: Mapping[str, list[tuple[Hashable, Hashable, dict]]], path: Path,
                style: _Style) -> viz.NetworkPage:
    sub = grouping.drill_down(graph, group.key, incident)
    for other in groups:
        if other.key in sub and other.key != group.key:
            sub.nodes[other.key]["page"] = Path(other.href).name
    sub.graph["always"] = [n for n in sub if n in grouping.members]
    sizes = {n: float((style.size_by or {}).get(n, 0.0)) for n in grouping.members[group.key]}
    # the other groups: drawn always, at half the largest member's size
    middle = 0.5 * max(sizes.values(), default=0.0)
    net = viz.to_network(sub, size_by={**sizes, **dict.fromkeys(sub.graph["always"], middle)},
                         size_name=style.size_name, seed=style.seed)
    others = sub.number_of_nodes() - group.members
    return viz.write_network_html(
        net, path.parent / path.stem / Path(group.href).name,
        title=f"{style.title} — {group.label}",
        description=(f"{style.description} The {group.members:,} members of this group one by "
                     f"one, with the links among them; the {others:,} other groups they are "
                     "linked to are drawn as one node each."),
        back=f"../{path.name}", assets=style.assets)
