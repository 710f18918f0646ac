"""Network views: a NetworkX graph as a pyvis network, and a self-contained HTML page of it.

:func:`to_network` turns a graph into a :class:`pyvis.network.Network` (colour by class, size
by a centrality, tooltips with relation, dates and source, predicted links dashed, a
precomputed layout). :func:`write_network_html` writes that network as one HTML file that
works offline: vis-network's JavaScript and CSS (shipped inside the pyvis package) are inlined,
nothing is loaded from a CDN, and a Content-Security-Policy lets only the page's own scripts
run (by hash), so markup that slips into the data cannot execute.

Escaping: labels are drawn on the canvas and tooltips are set as text (vis-network 9 puts a
string ``title`` in ``innerText``), so data strings stay plain text there; wherever a data
string enters HTML markup (title, legend) the Jinja2 template escapes it (autoescape on), and
the graph data travels as JSON with ``<``, ``>`` and ``&`` written as ``\\u`` escapes.

Node attributes read: ``label`` (or ``name``), ``class`` (class name; else ``kind`` or ``type``,
where ``country``, ``actor``, ``initiative`` stand for their classes), ``acronym``,
``code``, ``page`` (the page of the group a node stands for). Edge attributes read:
``relation`` (or ``predicate``), ``role``, ``start``, ``end``,
``source``, ``provenance`` (``predicted`` draws the edge dashed), ``score``, ``explanation``,
``weight``. Missing ones are simply left out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from stigraph import __version__
from stigraph.errors import ParameterError
from stigraph.outputs import netview
from stigraph.vocab.namespaces import iri_key
from stigraph.writing.atomic import atomic_open

__all__ = [
    "DEFAULT_COLOR",
    "KIND_STYLE",
    "LARGE_GRAPH",
    "MAX_DRAWN",
    "NetworkPage",
    "drawable",
    "ego_graph",
    "find_node",
    "node_label",
    "to_network",
    "write_network_html",
]

#: Colour and legend label per class. Colours are from the Okabe–Ito and Tableau palettes,
#: chosen to stay apart for colour-blind readers where it matters most (countries vs actors vs
#: initiatives).
KIND_STYLE: dict[str, tuple[str, str]] = {
    "Country": ("#4e79a7", "Country or area"),
    "CountryGroup": ("#a0cbe8", "Country group"),
    "IntergovernmentalOrganisation": ("#e15759", "Intergovernmental organisation"),
    "RegionalOrganisation": ("#ff9d9a", "Regional organisation"),
    "UNEntity": ("#009e73", "UN entity"),
    "ResearchOrganisation": ("#b07aa1", "Research organisation"),
    "University": ("#d4a6c8", "University"),
    "Partnership": ("#f28e2b", "Partnership or network"),
    "Fund": ("#edc948", "Fund or funding body"),
    "Foundation": ("#b6992d", "Foundation"),
    "PublicBody": ("#76b7b2", "Public body"),
    "GovernmentAgency": ("#499894", "Government agency"),
    "Company": ("#9c755f", "Company"),
    "Accelerator": ("#ffbe7d", "Incubator or accelerator"),
    "Forum": ("#86bcb6", "Forum"),
    "NonGovernmentalOrganisation": ("#bab0ac", "Non-governmental organisation"),
    "Actor": ("#79706e", "Other actor"),
    "Initiative": ("#59a14f", "Initiative"),
    "Programme": ("#8cd17d", "Programme"),
    "FundingProgramme": ("#59a14f", "Funding programme"),
    "Project": ("#b8e0a8", "Project"),
    "Platform": ("#4b9b3a", "Platform or system"),
    "Event": ("#cfe8c4", "Event"),
    "Agreement": ("#3c6e2f", "Agreement or decision"),
    "CooperationArea": ("#d37295", "Cooperation area"),
    "SDG": ("#fabfd2", "Sustainable Development Goal"),
}
DEFAULT_COLOR = "#c7c7c7"
PREDICTED_COLOR = "#d9480f"
ASSERTED_COLOR = "#8796a5"

#: Above this many nodes the page shows the precomputed layout with physics off from the start.
LARGE_GRAPH = 300

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class NetworkPage:
    """What :func:`write_network_html` wrote."""

    path: Path
    nodes: int
    edges: int
    shown_edges: int = 0
    isolates: int = 0
    left_out_nodes: int = 0
    left_out_edges: int = 0


def node_label(graph: nx.Graph, node: Hashable) -> str:
    """The display label of ``node``: its ``label`` or ``name`` attribute, else its IRI key."""
    data = graph.nodes[node]
    label = data.get("label") or data.get("name")
    return str(label) if label else iri_key(str(node))


def find_node(graph: nx.Graph, key: str) -> Hashable:
    """The node whose id, IRI key (``cern``, ``KE``), label or acronym is ``key``.

    Raises :class:`ParameterError` naming close candidates when nothing or several match.
    """
    if key in graph:
        return key
    wanted = key.casefold()
    hits = [
        n for n, d in graph.nodes(data=True)
        if wanted in {iri_key(str(n)).casefold(), str(d.get("label", "")).casefold(),
                      str(d.get("acronym", "")).casefold()}
    ]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        near = sorted(
            node_label(graph, n) for n in graph if wanted in node_label(graph, n).casefold()
        )
        hint = f" Did you mean: {', '.join(near[:5])}?" if near else ""
        raise ParameterError(f"no node {key!r} in this graph.{hint}")
    some = ", ".join(sorted(map(str, hits))[:5])
    raise ParameterError(f"{key!r} matches {len(hits)} nodes ({some}); use the full IRI")


def ego_graph(graph: nx.Graph, node: str, *, depth: int = 1) -> nx.Graph:
    """The neighbourhood of ``node`` (id, key, label or acronym) up to ``depth`` links away."""
    if depth < 0:
        raise ParameterError("--depth must be 0 or more")
    centre = find_node(graph, node)
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    keep = nx.single_source_shortest_path_length(undirected, centre, cutoff=depth)
    # in the graph's own node order: ``graph.subgraph(keep)`` iterates a set of the nodes,
    # whose order changes with Python's string hashing from one run to the next, and with it
    # the direction each edge is listed in (and so the page's edge order)
    sub = graph.__class__()
    sub.graph.update(graph.graph)
    sub.add_nodes_from((n, data) for n, data in graph.nodes(data=True) if n in keep)
    sub.add_edges_from((u, v, data) for u, v, data in graph.edges(data=True)
                       if u in keep and v in keep)
    sub.graph["ego"] = centre
    return sub


#: Network pages draw at most this many nodes; a larger graph is cut to its best-ranked nodes.
MAX_DRAWN = 1000


def drawable(graph: nx.Graph, ranking: Mapping[Hashable, float] | None = None, *,
             limit: int = MAX_DRAWN) -> tuple[nx.Graph, str]:
    """``graph`` cut to its ``limit`` best nodes for drawing, and a sentence saying so.

    Nodes are ranked by ``ranking`` (e.g. PageRank; default: degree), ties by node id; the
    ego of an ego graph is always kept. A graph of at most ``limit`` nodes comes back as it is,
    with an empty sentence.

    >>> g, note = drawable(nx.star_graph(4), limit=3)
    >>> sorted(g.nodes), note.split(";")[0]
    ([0, 1, 2], 'Large graph: drawn are the 3 nodes of 5 with the highest degree')
    """
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    if n <= limit:
        return graph, ""
    score = ranking if ranking is not None else dict(graph.degree())
    ego = graph.graph.get("ego")
    order = sorted(graph, key=lambda v: (v != ego, -float(score.get(v, 0.0)), str(v)))
    keep = set(order[:limit])
    sub = graph.__class__()
    sub.graph.update(graph.graph)
    sub.add_nodes_from((v, d) for v, d in graph.nodes(data=True) if v in keep)
    sub.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    measure = "PageRank" if ranking is not None else "degree"
    note = (f"Large graph: drawn are the {limit:,} nodes of {n:,} with the highest {measure}; "
            f"{sub.number_of_edges():,} of its {m:,} links join them.")
    return sub, note


_KIND_ALIASES = {"country": "Country", "actor": "Actor", "initiative": "Initiative",
                 "project": "Project", "area": "CooperationArea", "group": "CountryGroup"}


def _kind(data: Mapping[str, Any]) -> str:
    kind = data.get("class") or data.get("kind") or data.get("type") or "Other"
    kind = _KIND_ALIASES.get(str(kind), kind)
    return iri_key(str(kind).rstrip("#")) if ("/" in str(kind) or "#" in str(kind)) else str(kind)


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def _is_predicted(data: Mapping[str, Any]) -> bool:
    return "predict" in str(data.get("provenance", "")).lower() or bool(data.get("predicted"))


def _node_text(graph: nx.Graph, node: Hashable, kind: str, size_value: float | None,
               size_name: str) -> str:
    data = graph.nodes[node]
    lines = [node_label(graph, node)]
    lines.append(KIND_STYLE.get(kind, (DEFAULT_COLOR, kind))[1])
    if data.get("acronym"):
        lines.append(f"Acronym: {data['acronym']}")
    if size_value is not None:
        lines.append(f"{size_name}: {size_value:.3g}")
    lines.append(f"Links: {graph.degree(node)}")
    sources = _as_list(data.get("source"))
    if sources:
        lines.append("Source: " + "; ".join(sources))
    lines.append(str(node))
    return "\n".join(lines)


def _predicted_text(graph: nx.Graph, u: Hashable, v: Hashable, data: Mapping[str, Any]) -> str:
    lines = [f"Predicted: {node_label(graph, u)} – {node_label(graph, v)}",
             "A recommendation, not an asserted fact."]
    if data.get("score") is not None:
        lines.append(f"Score: {float(data['score']):.3g}")
    if data.get("method"):
        lines.append(f"Method: {data['method']}")
    if data.get("explanation"):
        lines.append(str(data["explanation"]))
    return "\n".join(lines)


def _edge_details(data: Mapping[str, Any]) -> list[str]:
    """Roles, dates, weight (when not 1) and at most six sources of an asserted link."""
    lines = []
    for key in ("role", "relations"):
        values = _as_list(data.get(key))
        if values:
            lines.append(f"{key.capitalize()}: {', '.join(values)}")
    start, end = data.get("start"), data.get("end")
    if start or end:
        lines.append(f"Dates: {start or '?'} – {end or 'ongoing'}")
    if data.get("weight") not in (None, 1, 1.0):
        lines.append(f"Weight: {float(data['weight']):.3g}")
    sources = _as_list(data.get("source") or data.get("sources"))
    if sources:
        more = f" (+{len(sources) - 6} more)" if len(sources) > 6 else ""
        lines.append("Source: " + "; ".join(sources[:6]) + more)
    return lines


def _edge_text(graph: nx.Graph, u: Hashable, v: Hashable, data: Mapping[str, Any]) -> str:
    if _is_predicted(data):
        return _predicted_text(graph, u, v, data)
    rel = data.get("relation") or data.get("predicate") or "linked to"
    rel = iri_key(str(rel)) if "/" in str(rel) else str(rel)
    lines = [f"{node_label(graph, u)} — {rel} — {node_label(graph, v)}", *_edge_details(data)]
    return "\n".join(lines)


def _canonical(graph: nx.Graph) -> nx.Graph:
    """The same graph with nodes and edges in sorted order (an undirected edge's ends too).

    A layout and the page's data follow the graph's insertion order, which for graphs built
    from sets changes from run to run; sorted, the same graph always gives the same page.
    """
    copy = graph.__class__()
    copy.graph.update(graph.graph)
    copy.add_nodes_from(sorted(graph.nodes(data=True), key=lambda n: str(n[0])))

    def ends(edge: tuple[Hashable, Hashable, dict[str, object]]) -> tuple[Hashable, Hashable]:
        u, v = edge[0], edge[1]
        return (u, v) if graph.is_directed() or str(u) <= str(v) else (v, u)

    copy.add_edges_from(sorted(((*ends(e), e[2]) for e in graph.edges(data=True)),
                               key=lambda e: (str(e[0]), str(e[1]))))
    return copy


def _sizes(
    values: Mapping[Hashable, float] | None, all_nodes: Iterable[Hashable]
) -> dict[Hashable, float]:
    """Node sizes between 8 and 40 px, area proportional to the value."""
    nodes = list(all_nodes)
    if not values:
        return dict.fromkeys(nodes, 14.0)
    top = max((float(values.get(n, 0.0)) for n in nodes), default=0.0)
    if top <= 0:
        return dict.fromkeys(nodes, 14.0)
    return {n: 8.0 + 32.0 * math.sqrt(max(float(values.get(n, 0.0)), 0.0) / top) for n in nodes}


def _node_options(graph: nx.Graph, node: Hashable, view: netview.NetworkView, size: float,
                  size_by: Mapping[Hashable, float] | None, size_name: str,
                  ego: Hashable | None) -> dict[str, Any]:
    data = graph.nodes[node]
    kind = _kind(data)
    label = node_label(graph, node)
    value = float(size_by[node]) if size_by and node in size_by else None
    x, y = view.positions[node]
    searchable = " ".join(
        [label, str(data.get("acronym", "")), str(data.get("code", "")), iri_key(str(node))]
    ).lower()
    return {"label": label, "title": _node_text(graph, node, kind, value, size_name),
            "color": KIND_STYLE.get(kind, (DEFAULT_COLOR, kind))[0], "size": size, "x": x,
            "y": y, "kind": kind, "search": searchable, "rank": view.label_rank[node],
            "community": view.community[node] + 1,
            "region": str(data.get("region", "") or ""),
            "income": str(data.get("income", "") or ""),
            "page": str(data.get("page", "") or ""),
            "borderWidth": 4 if node == ego else 1}


def _edge_options(graph: nx.Graph, u: Hashable, v: Hashable, data: Mapping[str, Any],
                  rank: int) -> dict[str, Any]:
    predicted = _is_predicted(data)
    weight = float(data.get("weight", 1.0) or 1.0)
    return {"title": _edge_text(graph, u, v, data),
            "color": PREDICTED_COLOR if predicted else ASSERTED_COLOR, "dashes": predicted,
            "predicted": predicted, "width": 1.0 + min(math.log1p(weight), 4.0), "rank": rank,
            "start": str(data.get("start") or "")[:10], "end": str(data.get("end") or "")[:10],
            "layers": sorted(set(_as_list(data.get("layers")))
                             or {"predicted" if predicted else "asserted"})}


def to_network(
    graph: nx.Graph,
    *,
    size_by: Mapping[Hashable, float] | None = None,
    size_name: str = "centrality",
    seed: int = 42,
    physics: bool | None = None,
    heading: str = "",
    max_nodes: int = netview.MAX_NODES,
    link_budget: int = netview.LINK_BUDGET,
    max_links: int = netview.MAX_LINKS,
) -> Network:
    """A pyvis network of what a page draws of ``graph`` (see :mod:`stigraph.outputs.netview`).

    Isolates are left out of the drawing (the page lists them), above ``max_nodes`` linked
    nodes only the largest are drawn, every link carries its backbone rank (the page draws the
    links of rank ≤ its slider), and nodes sit in a layout that keeps communities apart.

    Parameters
    ----------
    graph : networkx.Graph
        Nodes carry ``label`` and ``kind``; edges carry relation, dates and source (see the
        module docstring). Edges with ``provenance`` "predicted" are drawn dashed.
    size_by : mapping, optional
        A value per node (a centrality); node area is proportional to it, labels go first to
        the largest, and the top-N cut keeps the largest.
    size_name : str
        What ``size_by`` is, for tooltips and the page legend.
    seed : int
        Seed of the communities and the layout, so the same graph always looks the same.
    physics : bool, optional
        Let vis-network's physics move the layout before stopping. Default: off, the
        precomputed community layout as it is (physics would pull the communities together).
    max_nodes, link_budget, max_links : int
        See :func:`stigraph.outputs.netview.prepare`.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("a", label="CERN", kind="IntergovernmentalOrganisation")
    >>> g.add_node("b", label="Kenya", kind="Country")
    >>> g.add_node("c", label="Tuvalu", kind="Country")
    >>> g.add_edge("a", "b", relation="memberOf", source="para 11")
    >>> net = to_network(g)
    >>> len(net.nodes), len(net.edges), net.stigraph_view.isolates
    (2, 1, ['c'])
    """
    graph = _canonical(graph)
    sizes = _sizes(size_by, graph.nodes)
    view = netview.prepare(graph, size_by, max_nodes=max_nodes, link_budget=link_budget,
                           max_links=max_links, radius=sizes, seed=seed)
    drawn = view.graph
    if physics is None:
        physics = False
    net = Network(heading=heading, directed=graph.is_directed(), cdn_resources="in_line")
    ego = graph.graph.get("ego")
    for node in sorted(drawn.nodes, key=str):
        _add_node(net, str(node), **_node_options(graph, node, view, sizes[node], size_by,
                                                   size_name, ego))
    edge_rows = sorted(drawn.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    for index, (u, v, data) in enumerate(edge_rows):
        _add_edge(net, str(u), str(v), id=f"e{index}",
                  **_edge_options(graph, u, v, data, view.edge_rank[netview._key(u, v)]))
    net.set_options(json.dumps(_options(physics, drawn.number_of_nodes())))
    net.stigraph_size_name = size_name if size_by else ""
    net.stigraph_view = view
    net.stigraph_isolates = [node_label(graph, n) for n in view.isolates]
    return net


def _add_node(net: Network, node_id: str, **options: Any) -> None:
    # pyvis's own add_node checks membership in a list (quadratic on large graphs); the ids
    # here are unique already, so build the same record directly.
    record = Node(node_id, "dot", **options).options
    net.nodes.append(record)
    net.node_ids.append(node_id)
    net.node_map[node_id] = record


def _add_edge(net: Network, source: str, target: str, **options: Any) -> None:
    # pyvis's add_edge scans every edge for duplicates (quadratic); NetworkX edges are unique.
    net.edges.append(Edge(source, target, net.directed, **options).options)


def _options(physics: bool, n: int) -> dict[str, Any]:
    return {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "font": {"size": 13, "face": "Segoe UI, Helvetica Neue, Arial, sans-serif",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1.5},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n > LARGE_GRAPH,
                        "navigationButtons": False, "keyboard": False},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "springLength": 120,
                          "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": 150, "fit": True},
        },
        "layout": {"randomSeed": 1, "improvedLayout": False},
    }


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's minified JS and CSS, from the copy shipped inside the pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover - sanity check
        raise RuntimeError("vis-network assets cannot be inlined safely")
    return js, css


@cache
def _page_script() -> str:
    return (_TEMPLATES / "network.js").read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` block: ``<``, ``>``, ``&``, U+2028/9 escaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def csp_hash(script: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: Iterable[str], *, dynamic: bool = False) -> str:
    """No network at all; only the listed inline scripts run; styles and data: images allowed.

    ``dynamic``: the listed scripts may load further scripts (``'strict-dynamic'``: a script
    element they create runs, one in the page's markup does not), and style sheets may come
    from the page's own origin (a local file beside it). The shared vis-network files are
    loaded so: a ``<script src>`` or hash for an external file does not work over ``file:``
    (Chromium checks no integrity there), and ``'self'`` would let any local script run.
    """
    hashes = " ".join(csp_hash(s) for s in scripts)
    scripts_from = f"'strict-dynamic' {hashes}" if dynamic else hashes
    styles_from = "'self' 'unsafe-inline'" if dynamic else "'unsafe-inline'"
    return (
        "default-src 'none'; "
        f"script-src {scripts_from}; "
        f"style-src {styles_from}; img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


#: The files the pages of one folder share (``write_network_html(assets=...)``).
VIS_JS, VIS_CSS, PAGE_JS = "vis-network.min.js", "vis-network.css", "network.js"


def _write_assets(folder: Path, files: Mapping[str, str]) -> None:
    """The shared files in ``folder``, written (atomically) where missing or different."""
    for name, text in files.items():
        target = folder / name
        try:
            if target.read_text(encoding="utf-8") == text:
                continue
        except (FileNotFoundError, UnicodeDecodeError):
            pass
        with atomic_open(target) as handle:
            handle.write(text)


def _loader(prefix: str) -> str:
    """The page's one inline script when it shares vis-network: load it, then the page script;
    a sentence on the page if a file is missing."""
    urls = json.dumps([f"{prefix}{VIS_JS}", f"{prefix}{PAGE_JS}"])
    return ("(function () {\n"
            f"  var urls = {urls};\n"
            "  function next(i) {\n"
            "    if (i >= urls.length) { return; }\n"
            "    var s = document.createElement(\"script\");\n"
            "    s.src = urls[i];\n"
            "    s.onload = function () { next(i + 1); };\n"
            "    s.onerror = function () {\n"
            "      var p = document.createElement(\"p\");\n"
            "      p.textContent = \"Cannot draw the network: \" + urls[i] +\n"
            "        \" is missing beside this page.\";\n"
            "      document.body.insertBefore(p, document.body.firstChild);\n"
            "    };\n"
            "    document.body.appendChild(s);\n"
            "  }\n"
            "  next(0);\n"
            "})();\n")


def _camel(values: Mapping[str, Any]) -> dict[str, Any]:
    """``total_nodes`` -> ``totalNodes``: the page script's spelling."""
    return {k.split("_")[0] + "".join(w.capitalize() for w in k.split("_")[1:]): v
            for k, v in values.items()}


def _legend(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = Counter(n.get("kind", "Other") for n in nodes)
    return [{"kind": kind, "color": KIND_STYLE.get(kind, (DEFAULT_COLOR, kind))[0],
             "label": KIND_STYLE.get(kind, (DEFAULT_COLOR, kind))[1], "count": count}
            for kind, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _view_counts(view: netview.NetworkView | None, nodes: int, edges: int) -> dict[str, int]:
    if view is None:  # a network not made by to_network: nothing cut, every link at level 1
        return {"total_nodes": nodes, "total_edges": edges, "cut_nodes": 0, "cut_edges": 0,
                "default_k": 1, "max_k": 1}
    return {"total_nodes": view.total_nodes, "total_edges": view.total_edges,
            "cut_nodes": view.cut_nodes, "cut_edges": view.cut_edges,
            "default_k": view.default_k, "max_k": view.max_k}


def _size_note(size_name: str) -> str:
    if size_name:
        return (f"Node area is proportional to {size_name}; labels go to the largest nodes "
                "first and never overlap: zoom in for more.")
    return "All nodes have the same size; labels never overlap: zoom in for more."


def _page_facts(net: Network, nodes: list[dict[str, Any]],
                edges: list[dict[str, Any]]) -> dict[str, Any]:
    """What the page template states: counts, what was left out, the filters' choices."""
    view: netview.NetworkView | None = getattr(net, "stigraph_view", None)
    counts = _view_counts(view, len(nodes), len(edges))
    for edge in edges:
        edge.setdefault("rank", 1)
    size_name = getattr(net, "stigraph_size_name", "")
    years = sorted({int(str(e[key])[:4]) for e in edges for key in ("start", "end")
                    if str(e.get(key, ""))[:4].isdigit()})
    return {
        **counts,
        "legend": _legend(nodes),
        "has_predicted": any(e.get("predicted") for e in edges),
        "size_note": _size_note(size_name),
        "shown_edges": sum(1 for e in edges if int(e["rank"]) <= counts["default_k"]),
        "isolates": sorted(getattr(net, "stigraph_isolates", []), key=str.casefold),
        "regions": sorted({str(n["region"]) for n in nodes if n.get("region")}),
        "incomes": sorted({str(n["income"]) for n in nodes if n.get("income")}),
        "layers": sorted({str(layer) for e in edges for layer in e.get("layers", [])}),
        "years": (years[0], years[-1]) if years else None,
    }


def write_network_html(
    net: Network,
    path: Path | str,
    *,
    title: str = "stigraph network",
    description: str = "",
    footer: str = "",
    groups: Sequence[Any] = (),
    back: str = "",
    assets: Path | None = None,
) -> NetworkPage:
    """Write ``net`` as one self-contained HTML page at ``path`` (atomically).

    The page needs no network: vis-network is inlined, the data is embedded as JSON, and the
    Content-Security-Policy blocks every request and every script but the page's own.
    ``groups`` (records with ``label``, ``href``, ``members``): the pages of the groups an
    overview's nodes stand for, listed beside the graph; ``back``: the overview's address, on
    a group's page. ``assets``: a folder (the page's or one above it) where vis-network and
    the page script are written once and shared by every page that names it, instead of
    inlined in each (700 KB a page); the page then loads them with its one inline script,
    still offline and under a policy that runs nothing else (see
    :func:`content_security_policy`).
    """
    vis_js, vis_css = _vis_assets()
    page_js = _page_script()
    target = Path(path)
    if assets is not None:
        _write_assets(Path(assets), {VIS_JS: vis_js, VIS_CSS: vis_css, PAGE_JS: page_js})
        prefix = Path(os.path.relpath(Path(assets), target.parent)).as_posix() + "/"
        prefix = "" if prefix == "./" else prefix
        loader = _loader(prefix)
        shared = {"csp": content_security_policy([loader], dynamic=True),
                  "loader_js": Markup(loader), "vis_css_href": prefix + VIS_CSS,
                  "vis_css": "", "vis_js": "", "page_js": ""}
    else:
        shared = {"csp": content_security_policy([vis_js, page_js]), "loader_js": "",
                  "vis_css_href": "", "vis_css": Markup(vis_css), "vis_js": Markup(vis_js),
                  "page_js": Markup(page_js)}
    nodes = [dict(n) for n in net.nodes]
    edges = [dict(e) for e in net.edges]
    options = net.options
    if not isinstance(options, dict):
        options = json.loads(options if isinstance(options, str) else options.to_json())
    facts = _page_facts(net, nodes, edges)
    summary = {key: facts[key] for key in ("total_nodes", "total_edges", "cut_nodes",
                                             "cut_edges", "default_k", "max_k")}
    summary.update(nodes=len(nodes), edges=len(edges), isolates=len(facts["isolates"]))
    html = _environment().get_template("network.html").render(
        title=title,
        description=description,
        footer=footer,
        version=__version__,
        **shared,
        data_json=Markup(script_json({"nodes": nodes, "edges": edges, "options": options,
                                      "summary": _camel(summary)})),
        nodes_count=len(nodes),
        edges_count=len(edges),
        groups=groups,
        back=back,
        **facts,
    )
    with atomic_open(target) as handle:
        handle.write(html)
    return NetworkPage(path=target, nodes=len(nodes), edges=len(edges),
                       shown_edges=facts["shown_edges"], isolates=len(facts["isolates"]),
                       left_out_nodes=facts["cut_nodes"], left_out_edges=facts["cut_edges"])
