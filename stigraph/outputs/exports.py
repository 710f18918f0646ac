"""A projection as files analysts' tools open: GEXF 1.3 (Gephi), VOSviewer map and network
files, GraphML.

**GEXF 1.3** (gexf.net/1.3): ``<gexf version="1.3">`` with ``<meta>``, a ``<graph
mode="dynamic" timeformat="date">`` whose node attributes are declared in ``<attributes
class="node">`` (class, code, region, income group, and any numeric measure given, e.g.
PageRank) and given in each node's ``<attvalues>``; each edge has its ``weight`` and, when the
source dates it, ``start`` and ``end`` so Gephi's timeline can play it. GEXF's ``date`` is a
full ``xsd:date``, so a date at a coarser precision becomes the interval it stands for (a start
of "2016" is 2016-01-01, an end of "2016-03" is 2016-03-31) and the text as the source gave
it stays in the edge attributes ``start_text`` and ``end_text``.

**VOSviewer** (the map and network file formats of the VOSviewer manual, section "Map and
network files"): the map file is tab-separated with a header row, columns ``id`` (an integer),
``label``, ``x``, ``y``, ``cluster`` (an integer from 1), ``weight<Links>``, ``weight<Total
link strength>`` and a ``score<…>`` column per numeric measure; the network file has no header
and one line per link, ``id1 <TAB> id2 <TAB> strength``.

**GraphML**: written as a stream (:mod:`stigraph.outputs.graphml`), list attributes joined
with "; ".

Every file is written atomically.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import IO, Any

import networkx as nx

from stigraph import __version__
from stigraph.errors import ParameterError
from stigraph.outputs import netview
from stigraph.outputs.graphml import write_graphml_stream
from stigraph.writing.atomic import atomic_open

__all__ = ["EXPORT_FORMATS", "GEXF_NS", "LAYOUT_UP_TO", "gexf_date", "vosviewer_layout",
           "write_analyst_files", "write_gexf", "write_graphml", "write_vosviewer"]

EXPORT_FORMATS = ("gexf", "vosviewer", "graphml")
GEXF_NS = "http://gexf.net/1.3"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: Node attributes written when present: attribute name -> GEXF title.
_NODE_TEXT = {"class": "class", "code": "code", "region": "region", "income": "income group"}


def gexf_date(text: str, *, end: bool = False) -> str | None:
    """A source date as a full ISO date: the first day of its period, or with ``end`` the last.

    >>> gexf_date("2016"), gexf_date("2016", end=True), gexf_date("2024-02", end=True)
    ('2016-01-01', '2016-12-31', '2024-02-29')
    >>> gexf_date("2021-05-17"), gexf_date(""), gexf_date("n/a")
    ('2021-05-17', None, None)
    """
    text = str(text or "").strip()[:10]
    try:
        if len(text) == 4 and text.isdigit():
            return f"{text}-12-31" if end else f"{text}-01-01"
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            last = calendar.monthrange(year, month)[1]
            return f"{text}-{last:02d}" if end else f"{text}-01"
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    return str(value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _attr(value: str) -> str:
    """An XML attribute value, quoted, escaped as ElementTree escapes it."""
    for char, escape in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                         ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        value = value.replace(char, escape)
    return f'"{value}"'


def _element(indent: str, tag: str, attributes: Mapping[str, str],
             values: list[tuple[str, str]]) -> str:
    """One ``<node>`` or ``<edge>`` with its ``<attvalues>``, as indented text."""
    head = f"{indent}<{tag}" + "".join(f" {k}={_attr(v)}" for k, v in attributes.items())
    if not values:
        return head + " />\n"
    inner = "".join(f'{indent}    <attvalue for="{ident}" value={_attr(value)} />\n'
                    for ident, value in values)
    return f"{head}>\n{indent}  <attvalues>\n{inner}{indent}  </attvalues>\n{indent}</{tag}>\n"


def _gexf_nodes(handle: IO[str], graph: nx.Graph, ids: Mapping[str, str],
                measures: Mapping[str, Mapping[Hashable, float]]) -> None:
    for node in sorted(graph, key=str):
        data = graph.nodes[node]
        values = [(ids[name], _text(data[name])) for name in _NODE_TEXT if data.get(name)]
        values += [(ids[name], repr(float(by_node[node]))) for name, by_node in measures.items()
                   if node in by_node]
        handle.write(_element("      ", "node", {
            "id": str(node), "label": _text(data.get("label") or data.get("name") or node)},
            values))


def _interval(data: Mapping[str, Any]) -> dict[str, str]:
    start = gexf_date(str(data.get("start") or ""))
    end = gexf_date(str(data.get("end") or ""), end=True)
    if start and end and end < start:
        end = None
    return {k: v for k, v in (("start", start), ("end", end)) if v}


def _gexf_edges(handle: IO[str], graph: nx.Graph, edge_ids: Mapping[str, str]) -> None:
    rows = sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    for index, (u, v, data) in enumerate(rows):
        attributes = {"id": str(index), "source": str(u), "target": str(v),
                      "weight": _number(float(data.get("weight", 1.0) or 1.0)),
                      **_interval(data)}
        texts = (("relation", data.get("relation")), ("start_text", data.get("start")),
                 ("end_text", data.get("end")),
                 ("sources", data.get("source") or data.get("sources")))
        handle.write(_element("      ", "edge", attributes,
                              [(edge_ids[name], _text(value)) for name, value in texts if value]))


def _declarations(kind: str, declared: list[tuple[str, str, str]]) -> str:
    rows = "".join(f"      <attribute id={_attr(ident)} title={_attr(title)} type={_attr(t)} />\n"
                   for ident, title, t in declared)
    return f'    <attributes class="{kind}" mode="static">\n{rows}    </attributes>\n'


def write_gexf(graph: nx.Graph, path: Path | str, *,
               measures: Mapping[str, Mapping[Hashable, float]] | None = None,
               description: str = "") -> Path:
    """``graph`` as GEXF 1.3 with node attributes and dated edges (see the module docstring).

    Written as a stream, a line per element (the text ElementTree would write, indented by
    two spaces a level): the actor network (40,000 nodes, 870,000 links) as one XML tree took
    several GB and 17 s."""
    measures = measures or {}
    ids: dict[str, str] = {}
    node_attributes: list[tuple[str, str, str]] = []
    for name, title, kind in [*((n, t, "string") for n, t in _NODE_TEXT.items()),
                              *((m, m, "double") for m in measures)]:
        ids[name] = str(len(node_attributes))
        node_attributes.append((ids[name], title, kind))
    edge_ids = {"relation": "0", "start_text": "1", "end_text": "2", "sources": "3"}
    edge_type = "directed" if graph.is_directed() else "undirected"
    description = description or "stigraph projection"
    for char, escape in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        description = description.replace(char, escape)
    target = Path(path)
    with atomic_open(target) as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                     f'<gexf xmlns="{GEXF_NS}" xmlns:xsi="{_XSI}" version="1.3" '
                     f'xsi:schemaLocation="{GEXF_NS} http://gexf.net/1.3/gexf.xsd">\n'
                     f'  <meta lastmodifieddate="{dt.date.today().isoformat()}">\n'
                     f"    <creator>stigraph {__version__}</creator>\n"
                     f"    <description>{description}</description>\n"
                     "  </meta>\n"
                     f'  <graph mode="dynamic" timeformat="date" defaultedgetype="{edge_type}">\n')
        handle.write(_declarations("node", node_attributes))
        handle.write(_declarations("edge", [(i, name, "string") for name, i in edge_ids.items()]))
        for part, count in (("nodes", graph.number_of_nodes()),
                            ("edges", graph.number_of_edges())):
            if not count:
                handle.write(f'    <{part} count="0" />\n')
                continue
            handle.write(f'    <{part} count="{count}">\n')
            if part == "nodes":
                _gexf_nodes(handle, graph, ids, measures)
            else:
                _gexf_edges(handle, graph, edge_ids)
            handle.write(f"    </{part}>\n")
        handle.write("  </graph>\n</gexf>\n")
    return target


def _clean(text: str) -> str:
    """One cell of a tab-separated file: no tabs or line breaks inside."""
    return " ".join(str(text).split())


def _map_cells(graph: nx.Graph, node: Hashable, number: int,
               positions: Mapping[Hashable, tuple[float, float]] | None,
               clusters: Mapping[Hashable, int] | None,
               measures: Mapping[str, Mapping[Hashable, float]]) -> list[str]:
    """One line of a VOSviewer map file, in the header's column order."""
    cells = [str(number), _clean(_text(graph.nodes[node].get("label") or node))]
    if positions:
        x, y = positions.get(node, (0.0, 0.0))
        cells += [f"{x:.4f}", f"{y:.4f}"]
    if clusters:
        cells.append(str(int(clusters.get(node, 0)) + 1))
    strength = sum(float(d.get("weight", 1.0) or 1.0) for _, _, d in graph.edges(node, data=True))
    cells += [str(graph.degree(node)), _number(strength)]
    cells += [repr(float(values.get(node, 0.0))) for values in measures.values()]
    return cells


def write_vosviewer(graph: nx.Graph, path: Path | str, *,
                    positions: Mapping[Hashable, tuple[float, float]] | None = None,
                    clusters: Mapping[Hashable, int] | None = None,
                    measures: Mapping[str, Mapping[Hashable, float]] | None = None,
                    ) -> tuple[Path, Path]:
    """VOSviewer map and network files: ``STEM_map.txt`` and ``STEM_network.txt`` beside
    ``path`` (whose suffix is dropped). Returns both paths."""
    if graph.is_directed():
        graph = graph.to_undirected()
    measures = measures or {}
    target = Path(path)
    stem = target.with_suffix("") if target.suffix else target
    map_path = stem.parent / f"{stem.name}_map.txt"
    net_path = stem.parent / f"{stem.name}_network.txt"
    order = sorted(graph, key=str)
    number = {node: i for i, node in enumerate(order, start=1)}
    header = ["id", "label"]
    if positions:
        header += ["x", "y"]
    if clusters:
        header.append("cluster")
    header += ["weight<Links>", "weight<Total link strength>"]
    header += [f"score<{_clean(name).replace('<', '').replace('>', '')}>" for name in measures]
    lines = ["\t".join(header)]
    for node in order:
        lines.append("\t".join(_map_cells(graph, node, number[node], positions, clusters,
                                          measures)))
    links = []
    for u, v, data in graph.edges(data=True):
        a, b = sorted((number[u], number[v]))
        links.append((a, b, float(data.get("weight", 1.0) or 1.0)))
    with atomic_open(map_path) as handle:
        handle.write("\n".join(lines) + "\n")
    with atomic_open(net_path) as handle:
        handle.write("".join(f"{a}\t{b}\t{_number(w)}\n" for a, b, w in sorted(links)))
    return map_path, net_path


def write_graphml(graph: nx.Graph, path: Path | str) -> Path:
    """``graph`` as GraphML (list attributes joined with "; "), written atomically."""
    target = Path(path)
    with atomic_open(target) as handle:  # as a stream: :mod:`stigraph.outputs.graphml`
        write_graphml_stream(graph, handle, _scalar)
    return target


def _scalar(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value


def check_format(fmt: str) -> str:
    """``fmt`` if it is an export format, else a :class:`ParameterError` naming them."""
    if fmt not in EXPORT_FORMATS:
        raise ParameterError(f"unknown export format {fmt!r}; use {', '.join(EXPORT_FORMATS)}")
    return fmt


#: VOSviewer files get precomputed x, y up to this many nodes (above, VOSviewer lays it out).
LAYOUT_UP_TO = 5000


def vosviewer_layout(graph: Any, seed: int, *, same: Any = None
                     ) -> tuple[dict[Any, tuple[float, float]] | None, dict[Any, int]]:
    """Clusters (communities) and, up to LAYOUT_UP_TO nodes, x and y for VOSviewer.
    ``same``: a graph with the same nodes, links and weights in the same order (the
    projection ``graph`` decorates), whose communities are ``graph``'s: found on it, they
    reuse its igraph form, made once for its centrality."""
    alone = [n for n in graph if graph.degree(n) == 0]
    clusters = netview.communities(_linked(same if same is not None else graph, alone), seed)
    positions = (netview.community_layout(_linked(graph, alone), clusters, seed=seed)
                 if len(graph) - len(alone) <= LAYOUT_UP_TO else None)
    if positions is not None:
        # isolates in a row below the map, where VOSviewer shows them apart
        low = min((y for _, y in positions.values()), default=0.0) - 200.0
        for i, node in enumerate(sorted((n for n in graph if n not in positions), key=str)):
            positions[node] = (60.0 * i, low)
    lone = max(clusters.values(), default=-1) + 1
    for node in graph:
        clusters.setdefault(node, lone)
    return positions, clusters


def _linked(graph: Any, alone: list[Any]) -> Any:
    """``graph`` without the nodes ``alone``: a copy, as a subgraph view filters every node
    and link at each read (on the organisation network, 870,000 links, a copy costs less than
    the reads of the community detection)."""
    return graph if not alone else graph.subgraph(set(graph) - set(alone)).copy()


def write_analyst_files(graph: Any, stem: Path, *, pagerank: Mapping[Any, float], seed: int,
                        description: str, same: Any = None) -> list[Path]:
    """A decorated projection for Gephi and VOSviewer beside ``stem``: ``STEM.gexf``,
    ``STEM_map.txt`` and ``STEM_network.txt`` (PageRank and degree as node measures)."""
    measures = {"PageRank": {n: float(v) for n, v in pagerank.items()},
                "degree": {n: float(d) for n, d in graph.degree()}}
    gexf = write_gexf(graph, stem.with_suffix(".gexf"), measures=measures,
                              description=description)
    positions, clusters = vosviewer_layout(graph, seed, same=same)
    files = write_vosviewer(graph, stem, positions=positions, clusters=clusters,
                                    measures=measures)
    return [gexf, *files]
