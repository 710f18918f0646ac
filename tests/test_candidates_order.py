"""The recommendations of many sources take their candidates from one sorted list of the
graph's nodes (``Neighbourhoods.kinds``) instead of sorting the graph per source: the
candidates must be :func:`stigraph.analytics.links.candidates`', in its order, by group."""

from __future__ import annotations

import networkx as nx

from stigraph.analytics.links import TARGET_GROUPS, Neighbourhoods, _candidate_groups, candidates


def _graph() -> nx.Graph:
    G = nx.Graph()
    for node, kind in [("c:KE", "country"), ("c:UG", "country"), ("c:TZ", "country"),
                       ("a:eac", "actor"), ("a:igad", "actor"), ("i:he", "initiative"),
                       ("p:1", "project"), ("x:none", None), ("c:RW", "country")]:
        G.add_node(node, **({"kind": kind} if kind else {}))
    G.add_edge("c:KE", "a:eac", relation="membership")
    G.add_edge("c:UG", "a:eac", relation="membership")
    G.add_edge("c:KE", "c:UG", relation="country")  # shares an organisation only: a candidate
    G.add_edge("c:KE", "c:TZ", relation="country", direct=True)  # linked
    return G


def test_candidate_groups_are_the_candidates_in_order() -> None:
    G = _graph()
    nodes = Neighbourhoods(G).kinds
    for kinds in (("actor", "initiative", "country"), ("country",), ("actor",)):
        for source in ("c:KE", "c:UG", "c:RW"):
            groups = _candidate_groups(G, source, kinds, None, nodes)
            expected: dict[str, list[str]] = {}
            for t in candidates(G, source, kinds=kinds):
                group = TARGET_GROUPS.get(str(G.nodes[t].get("kind")), "organisation")
                expected.setdefault(group, []).append(t)
            assert groups == expected
            assert candidates(G, source, kinds=kinds, nodes=nodes) == candidates(
                G, source, kinds=kinds)  # the sorted list given = the graph sorted here
    ke = _candidate_groups(G, "c:KE", ("actor", "initiative", "country"), {"a:igad"}, nodes)
    # organisations only among the allowed (x:none, without a kind, is an organisation)
    assert ke == {"organisation": ["a:igad"], "country": ["c:RW", "c:UG"]}
