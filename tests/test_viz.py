"""Network pages: the pyvis network mirrors the graph; the page is offline and escapes data."""

from __future__ import annotations

import base64
import hashlib
import html as html_module
import json
import re
from pathlib import Path

import networkx as nx
import pytest

from stigraph.errors import ParameterError
from stigraph.outputs import network as viz

HOSTILE = '<img src=x onerror="window.__xss=1">'


def small_graph() -> nx.Graph:
    g = nx.Graph()
    g.add_node("id/actor/cern", label="CERN", kind="actor",
               **{"class": "IntergovernmentalOrganisation"})
    g.add_node("id/country/KE", label="Kenya", kind="country")
    g.add_node("id/country/UG", label="Uganda", kind="country")
    g.add_node("id/actor/evil", label=HOSTILE, kind="actor")
    g.add_edge("id/country/KE", "id/actor/cern", relation="observer", start="2020",
               source=["para 11"], weight=1.0)
    g.add_edge("id/country/UG", "id/actor/cern", provenance="predicted", score=0.5,
               explanation="<b>Kenya</b> is linked to CERN")
    g.add_edge("id/actor/evil", "id/country/KE", relation="partner")
    return g


def test_network_mirrors_graph_with_classes_sizes_and_predicted_links() -> None:
    g = small_graph()
    net = viz.to_network(g, size_by={"id/actor/cern": 1.0, "id/country/KE": 0.25})
    nodes = {n["id"]: n for n in net.nodes}
    assert set(nodes) == set(g.nodes)
    assert len(net.edges) == g.number_of_edges()
    assert nodes["id/actor/cern"]["color"] == viz.KIND_STYLE["IntergovernmentalOrganisation"][0]
    assert nodes["id/country/KE"]["color"] == viz.KIND_STYLE["Country"][0]
    # area proportional to the value: sqrt(0.25) = half the extra size of the largest
    assert nodes["id/actor/cern"]["size"] == pytest.approx(40.0)
    assert nodes["id/country/KE"]["size"] == pytest.approx(8.0 + 32.0 * 0.5)
    edges = {frozenset((e["from"], e["to"])): e for e in net.edges}
    predicted = edges[frozenset(("id/country/UG", "id/actor/cern"))]
    asserted = edges[frozenset(("id/actor/cern", "id/country/KE"))]
    assert predicted["dashes"] is True and asserted["dashes"] is False
    assert "not an asserted fact" in predicted["title"]
    assert "Dates: 2020 – ongoing" in asserted["title"] and "para 11" in asserted["title"]


def test_layout_is_deterministic_and_physics_off_for_large_graphs() -> None:
    g = small_graph()
    a, b = viz.to_network(g, seed=3), viz.to_network(g, seed=3)
    assert [(n["x"], n["y"]) for n in a.nodes] == [(n["x"], n["y"]) for n in b.nodes]
    assert a.options["physics"]["enabled"] is True
    big = nx.path_graph(viz.LARGE_GRAPH + 1)
    big = nx.relabel_nodes(big, {i: f"n{i}" for i in big})
    assert viz.to_network(big).options["physics"]["enabled"] is False


def test_ego_graph_by_key_label_and_depth() -> None:
    g = small_graph()
    assert set(viz.ego_graph(g, "cern", depth=1)) == {"id/actor/cern", "id/country/KE",
                                                      "id/country/UG"}
    assert set(viz.ego_graph(g, "Uganda", depth=2)) == {"id/country/UG", "id/actor/cern",
                                                        "id/country/KE"}
    assert len(viz.ego_graph(g, "cern", depth=2)) == 4
    with pytest.raises(ParameterError, match="no node"):
        viz.ego_graph(g, "nowhere")


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, flags=re.S)


def test_page_is_self_contained_and_escapes_data(tmp_path: Path) -> None:
    page = viz.write_network_html(viz.to_network(small_graph()), tmp_path / "n.html",
                                  title=f"Around {HOSTILE}")
    html = page.path.read_text(encoding="utf-8")
    assert page.nodes == 4 and page.edges == 3
    # nothing loaded from anywhere: no src/href attributes on scripts, styles or images
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html, flags=re.I)
    # the hostile label never appears as markup, only escaped (title) or \u-escaped (JSON)
    assert HOSTILE not in html
    assert "Around &lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in html
    data = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html,
                     flags=re.S)
    assert data is not None
    labels = {n["label"] for n in json.loads(data.group(1))["nodes"]}
    assert HOSTILE in labels
    # the CSP allows exactly the page's own inline scripts, by hash, and no network
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp is not None
    policy = html_module.unescape(csp.group(1))
    assert "default-src 'none'" in policy
    for script in _scripts(html):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_script_json_cannot_close_the_script_block() -> None:
    text = viz.script_json({"label": "</script><script>alert(1)</script>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["label"] == "</script><script>alert(1)</script>&\u2028"


def test_large_graphs_are_drawn_as_their_best_ranked_nodes() -> None:
    from stigraph.outputs.network import drawable, ego_graph

    G = nx.star_graph(["hub", *[f"n{i:02d}" for i in range(30)]])
    G.add_edge("n01", "n02")
    rank = {v: (100.0 if v == "n29" else float(G.degree(v))) for v in G}
    drawn, note = drawable(G, rank, limit=4)
    # hub (30), n29 (ranked 100), then n01 and n02 (degree 2)
    assert set(drawn) == {"hub", "n29", "n01", "n02"}
    assert drawn.number_of_edges() == 4
    assert note == ("Large graph: drawn are the 4 nodes of 31 with the highest PageRank; "
                    "4 of its 31 links join them.")
    ego = ego_graph(G, "n05")  # the ego is kept even when others rank higher
    assert set(drawable(ego, limit=1)[0]) == {"n05"}
    assert drawable(G, rank, limit=31) == (G, "")
