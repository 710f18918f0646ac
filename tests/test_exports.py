"""Exports: GEXF 1.3, VOSviewer map/network files, GraphML, checked against their documented
structure (the GEXF XSD cannot be fetched here and no installable package ships it, so the
test checks the elements, attributes and references the GEXF 1.3 primer and XSD define)."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from stigraph.build.builder import build_graph
from stigraph.cli import main
from stigraph.outputs import exports
from stigraph.projection import networks as projection

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "fixtures" / "report-seeds"
NS = {"g": exports.GEXF_NS}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def small() -> nx.Graph:
    g = nx.Graph()
    g.add_node("id/country/KE", label="Kenya", **{"class": "Country"}, code="KE",
               region="Africa", income="lower-middle income (FY2025)")
    g.add_node("id/actor/cern", label="CERN", **{"class": "IntergovernmentalOrganisation"})
    g.add_node("id/country/UG", label="Uganda\tand a tab", **{"class": "Country"})
    g.add_node("id/actor/lonely", label="Lonely")
    g.add_edge("id/country/KE", "id/actor/cern", weight=2.0, relation="observer",
               start="2016", end="2024-02", source=["para 11", "https://x.org"])
    g.add_edge("id/country/UG", "id/actor/cern", weight=1.5)
    return g


def check_gexf(path: Path) -> ET.Element:
    """The GEXF 1.3 structure: root, meta, graph, declared attributes, valid references."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{exports.GEXF_NS}}}gexf" and root.get("version") == "1.3"
    assert [child.tag.split("}")[1] for child in root] == ["meta", "graph"]
    assert DATE.match(root.find("g:meta", NS).get("lastmodifieddate"))
    graph = root.find("g:graph", NS)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    assert graph.get("defaultedgetype") in ("undirected", "directed", "mutual")
    parts = [child.tag.split("}")[1] for child in graph]
    assert parts == ["attributes", "attributes", "nodes", "edges"]
    declared = {}
    for block in graph.findall("g:attributes", NS):
        assert block.get("class") in ("node", "edge") and block.get("mode") == "static"
        declared[block.get("class")] = {
            a.get("id"): a.get("type") for a in block.findall("g:attribute", NS)}
        assert set(declared[block.get("class")].values()) <= {
            "integer", "long", "double", "float", "boolean", "string", "liststring", "anyURI"}
    nodes = graph.findall("g:nodes/g:node", NS)
    ids = [n.get("id") for n in nodes]
    assert len(ids) == len(set(ids)) == int(graph.find("g:nodes", NS).get("count"))
    for node in nodes:
        assert node.get("label")
        for value in node.findall("g:attvalues/g:attvalue", NS):
            kind = declared["node"][value.get("for")]
            if kind == "double":
                float(value.get("value"))
    edges = graph.findall("g:edges/g:edge", NS)
    assert len(edges) == int(graph.find("g:edges", NS).get("count"))
    assert len({e.get("id") for e in edges}) == len(edges)
    for edge in edges:
        assert edge.get("source") in ids and edge.get("target") in ids
        assert float(edge.get("weight")) > 0
        for key in ("start", "end"):
            if edge.get(key) is not None:
                assert DATE.match(edge.get(key))
        if edge.get("start") and edge.get("end"):
            assert edge.get("start") <= edge.get("end")
        for value in edge.findall("g:attvalues/g:attvalue", NS):
            assert value.get("for") in declared["edge"]
    return root


def test_gexf_structure_attributes_and_intervals(tmp_path: Path) -> None:
    path = exports.write_gexf(small(), tmp_path / "s.gexf",
                              measures={"PageRank": {"id/actor/cern": 0.5}})
    root = check_gexf(path)
    graph = root.find("g:graph", NS)
    titles = {a.get("id"): a.get("title")
              for a in graph.findall("g:attributes[@class='node']/g:attribute", NS)}
    kenya = graph.find("g:nodes/g:node[@id='id/country/KE']", NS)
    values = {titles[v.get("for")]: v.get("value")
              for v in kenya.findall("g:attvalues/g:attvalue", NS)}
    assert values == {"class": "Country", "code": "KE", "region": "Africa",
                      "income group": "lower-middle income (FY2025)"}
    def edge_between(a: str, b: str) -> ET.Element:
        (found,) = [e for e in graph.findall("g:edges/g:edge", NS)
                    if {e.get("source"), e.get("target")} == {a, b}]
        return found

    edge = edge_between("id/actor/cern", "id/country/KE")
    # a start of "2016" is the start of 2016, an end of "2024-02" the end of February 2024
    assert (edge.get("start"), edge.get("end"), edge.get("weight")) == (
        "2016-01-01", "2024-02-29", "2")
    texts = {v.get("for"): v.get("value") for v in edge.findall("g:attvalues/g:attvalue", NS)}
    assert texts == {"0": "observer", "1": "2016", "2": "2024-02", "3": "para 11; https://x.org"}
    undated = edge_between("id/actor/cern", "id/country/UG")
    assert undated.get("start") is None and undated.get("weight") == "1.5"


def test_vosviewer_files_follow_the_manual(tmp_path: Path) -> None:
    g = small()
    positions = {n: (float(i), float(-i)) for i, n in enumerate(sorted(g))}
    clusters = {n: 0 for n in g} | {"id/actor/lonely": 1}
    map_path, net_path = exports.write_vosviewer(g, tmp_path / "s.txt", positions=positions,
                                                 clusters=clusters,
                                                 measures={"PageRank": {"id/actor/cern": 0.5}})
    assert (map_path.name, net_path.name) == ("s_map.txt", "s_network.txt")
    with map_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    header = list(rows[0])
    assert header == ["id", "label", "x", "y", "cluster", "weight<Links>",
                      "weight<Total link strength>", "score<PageRank>"]
    by_label = {r["label"]: r for r in rows}
    assert [int(r["id"]) for r in rows] == list(range(1, 5))
    assert set(by_label) == {"Kenya", "CERN", "Uganda and a tab", "Lonely"}  # tab removed
    assert by_label["CERN"]["weight<Links>"] == "2"
    assert by_label["CERN"]["weight<Total link strength>"] == "3.5"  # 2 + 1.5
    assert by_label["Lonely"]["cluster"] == "2" and by_label["Kenya"]["cluster"] == "1"
    lines = [line.split("\t") for line in net_path.read_text(encoding="utf-8").splitlines()]
    assert all(len(cells) == 3 for cells in lines)
    ids = {r["id"]: r["label"] for r in rows}
    links = {frozenset((ids[a], ids[b])): float(w) for a, b, w in lines}
    assert links == {frozenset(("Kenya", "CERN")): 2.0,
                     frozenset(("Uganda and a tab", "CERN")): 1.5}


@pytest.mark.parametrize("fmt", ["gexf", "vosviewer", "graphml"])
def test_cli_export_matches_the_projection(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("countries.txt" if fmt == "vosviewer" else f"countries.{fmt}")
    done = CliRunner().invoke(main, [
        "export", "--format", fmt, "--projection", "country-organisation", "--seeds",
        str(SEEDS), "--no-default-seeds", "--as-of", "2024-06-30", "--out", str(out), "-q"])
    assert done.exit_code == 0, done.output
    expected = projection.project(build_graph([SEEDS], default_seeds=False).graph,
                                  "country-organisation", as_of="2024-06-30")
    want = {frozenset((u, v)): w for u, v, w in expected.edges(data="weight")}
    if fmt == "gexf":
        root = check_gexf(out)
        got = {frozenset((e.get("source"), e.get("target"))): float(e.get("weight"))
               for e in root.iter(f"{{{exports.GEXF_NS}}}edge")}
    elif fmt == "graphml":
        read = nx.read_graphml(out)
        got = {frozenset((u, v)): float(w) for u, v, w in read.edges(data="weight")}
    else:
        with (tmp_path / "countries_map.txt").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        labels = {n: d["label"] for n, d in expected.nodes(data=True)}
        assert sorted(r["label"] for r in rows) == sorted(labels.values())
        ids = {r["id"]: r["label"] for r in rows}
        got = {frozenset((ids[a], ids[b])): float(w) for a, b, w in (
            line.split("\t") for line in
            (tmp_path / "countries_network.txt").read_text(encoding="utf-8").splitlines())}
        want = {frozenset((labels[u], labels[v])): w for u, v, w in expected.edges(data="weight")}
    assert got == want


def test_gexf_stream_is_the_text_elementtree_writes(tmp_path: Path) -> None:
    # the stream must be the document ElementTree writes of the same tree (same escaping,
    # same indentation): parsed and written again by ElementTree, it comes back byte for byte
    g = small()
    g.add_node('q"<&>\n', label='odd "label" <&>\r\n')
    g.add_edge('q"<&>\n', "id/actor/cern", relation="a & b <c>", source=["x\ty"])
    path = exports.write_gexf(g, tmp_path / "s.gexf", measures={"PageRank": {"id/actor/cern": 0.5},
                                                                "class": {}},
                              description='text with <markup> & "quotes"\nand a line')
    ET.register_namespace("", exports.GEXF_NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    text = path.read_text(encoding="utf-8")
    root = ET.fromstring(text.encode("utf-8"))
    ET.indent(root)
    again = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
    assert text == again + "\n"
    for empty in (nx.Graph(), nx.DiGraph()):
        check_gexf(exports.write_gexf(empty, tmp_path / "e.gexf"))
