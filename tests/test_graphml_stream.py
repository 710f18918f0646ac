"""The streaming GraphML writer reads back as NetworkX's own writer's file does."""

from __future__ import annotations

import io

import networkx as nx

from stigraph.outputs.graphml import write_graphml_stream


def _ours(G: nx.Graph) -> nx.Graph:
    out = io.StringIO()
    write_graphml_stream(G, out)
    return nx.read_graphml(io.StringIO(out.getvalue()))


def _theirs(G: nx.Graph) -> nx.Graph:
    return nx.read_graphml(io.StringIO("\n".join(nx.generate_graphml(G))))


def test_reads_back_like_networkx() -> None:
    G = nx.Graph(name="orgs", counting="fractional")
    G.add_node("https://w3id.org/stigraph/id/actor/pic-1", kind="actor", pic="1",
               label='<b>"R&D" & co</b>\nline two')
    G.add_node("lonely", kind="country", label="Kenya", member=True)
    G.add_edge("https://w3id.org/stigraph/id/actor/pic-1", "lonely", weight=0.25, projects=3,
               projects_fractional=1 / 3, distance=4.0)
    G.add_edge("lonely", "x", weight=1.0, relations=2.0)
    ours, theirs = _ours(G), _theirs(G)
    assert ours.graph == theirs.graph
    assert (ours.graph["name"], ours.graph["counting"]) == ("orgs", "fractional")
    assert dict(ours.nodes(data=True)) == dict(theirs.nodes(data=True))
    assert {frozenset((u, v)): d for u, v, d in ours.edges(data=True)} == \
        {frozenset((u, v)): d for u, v, d in theirs.edges(data=True)}
    assert ours.nodes["https://w3id.org/stigraph/id/actor/pic-1"]["label"] == \
        '<b>"R&D" & co</b>\nline two'
    assert ours["lonely"]["x"]["relations"] == 2.0 and "projects" not in ours["lonely"]["x"]
    assert isinstance(ours["https://w3id.org/stigraph/id/actor/pic-1"]["lonely"]["projects"], int)


def test_mixed_types_and_scalars() -> None:
    G = nx.Graph()
    G.add_edge("a", "b", w=1, tags=["x", "y"], note=None)
    G.add_edge("b", "c", w=2.5, tags="z")
    out = io.StringIO()
    write_graphml_stream(G, out, lambda v: "; ".join(v) if isinstance(v, list) else v)
    H = nx.read_graphml(io.StringIO(out.getvalue()))
    assert H["a"]["b"] == {"w": 1.0, "tags": "x; y"} and H["b"]["c"] == {"w": 2.5, "tags": "z"}
    assert 'attr.type="double"' in out.getvalue()
