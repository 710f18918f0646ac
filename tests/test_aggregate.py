"""Networks too large to draw are drawn as groups with a page per group
(stigraph.outputs.aggregate): the grouping by hand on a small graph, and the pages in a real
headless Chromium — each draws the nodes and links it states, the overview lists a page per
group, and every drill-down link opens a page that draws what it states."""

from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import pytest

from stigraph.outputs import aggregate

try:
    from tests.chromium import Chromium
    from tests.test_browser import assert_draws_what_it_says, assert_stayed_local
except ImportError:  # tests/ on sys.path (rootdir-relative import mode)
    from chromium import Chromium  # type: ignore[no-redef]
    from test_browser import assert_draws_what_it_says, assert_stayed_local  # type: ignore[no-redef]

C = "https://w3id.org/stigraph/id/country/"


def _world() -> tuple[nx.Graph, dict[str, str]]:
    """Three countries' organisations (A: 6, B: 4, C: 3), two projects, one programme."""
    g = nx.Graph()
    countries: dict[str, str] = {}
    for country, n in (("AA", 6), ("BB", 4), ("CC", 3)):
        for i in range(n):
            org = f"org-{country}-{i}"
            g.add_node(org, label=f"Org {country} {i}", kind="actor", **{"class": "University"})
            countries[org] = C + country
    for country, n in (("AA", 6), ("BB", 4), ("CC", 3)):  # a chain inside each country
        for i in range(n - 1):
            g.add_edge(f"org-{country}-{i}", f"org-{country}-{i + 1}", weight=1.0)
    g.add_node("p1", label="Project one", kind="project", **{"class": "Project"})
    g.add_node("p2", label="Project two", kind="project", **{"class": "Project"})
    g.add_node("prog", label="A programme", kind="initiative", **{"class": "Programme"})
    g.add_edges_from([("p1", "org-AA-0"), ("p1", "org-AA-1"), ("p1", "org-BB-0")], weight=1.0)
    g.add_edges_from([("p2", "org-CC-0"), ("p2", "org-BB-1"), ("p2", "org-BB-2")], weight=1.0)
    g.add_edges_from([("prog", "org-AA-5"), ("prog", "org-CC-2")], weight=2.0)
    g.add_edge("org-AA-3", "org-BB-3", weight=3.0)
    return g, countries


def test_grouping_by_hand() -> None:
    g, countries = _world()
    grouping = aggregate.group_nodes(g, countries=countries,
                                     country_labels={C + "AA": "Aland"})
    # p1 goes with AA (two of its three organisations), p2 with BB
    assert grouping.group_of["p1"] == f"country:{C}AA"
    assert grouping.group_of["p2"] == f"country:{C}BB"
    assert grouping.group_of["prog"] == "class:Programme"
    assert {k: len(v) for k, v in grouping.members.items()} == {
        f"country:{C}AA": 7, f"country:{C}BB": 5, f"country:{C}CC": 3, "class:Programme": 1}
    assert grouping.labels[f"country:{C}AA"] == "Aland"
    over = grouping.overview(g)
    a, b, c, prog = f"country:{C}AA", f"country:{C}BB", f"country:{C}CC", "class:Programme"
    # A–B: p1–org-BB-0 (1) and org-AA-3–org-BB-3 (3); B–C: p2–org-CC-0 (1); programme: 2 each
    assert sorted((min(u, v), max(u, v), w) for u, v, w in over.edges(data="weight")) == sorted(
        [(a, b, 4.0), (b, c, 1.0), (prog, a, 2.0), (prog, c, 2.0)])
    # inside A: its chain (5) and p1's two links; inside B: chain (3) and p2's two
    assert over.nodes[a]["internal"] == 7 and over.nodes[b]["internal"] == 5
    assert sum(links for _, _, links in over.edges(data="links")) + sum(
        d["internal"] for _, d in over.nodes(data=True)) == g.number_of_edges()
    down = grouping.drill_down(g, c)
    assert set(down) == {"org-CC-0", "org-CC-1", "org-CC-2", b, prog}
    assert down[b]["org-CC-0"]["weight"] == 1.0 and down[prog]["org-CC-2"]["weight"] == 2.0
    assert down.number_of_edges() == 2 + 2


def _open(browser: Chromium, url: str) -> None:
    browser.open(url)
    browser.wait_until("document.body.getAttribute('data-stabilised') === '1'", timeout=60)
    time.sleep(0.2)


@pytest.mark.browser
@pytest.mark.parametrize("shared", [False, True], ids=["inlined", "shared"])
def test_group_pages_in_a_browser(browser: Chromium, tmp_path: Path, shared: bool) -> None:
    # shared: every page loads the one copy of vis-network in tmp_path (the group pages from
    # the folder above theirs); else each page carries its own
    assets = tmp_path if shared else None
    g, countries = _world()
    small = aggregate.write_network_pages(g, tmp_path / "whole.html", title="t",
                                          description="d", countries=countries, assets=assets)
    assert len(small) == 1  # small enough: one page, node by node
    pages = aggregate.write_network_pages(g, tmp_path / "net.html", title="World",
                                          description="A small world.", countries=countries,
                                          aggregate_above=10, assets=assets)
    assert len(pages) == 1 + 4 and pages[0].path == tmp_path / "net.html"
    for page in [*small, *pages]:
        html = page.path.read_text(encoding="utf-8")
        assert ("is missing beside this page" in html) is shared  # the loader
        assert (len(html) < 100_000) is shared  # vis-network alone is 470 kB
    assert (tmp_path / "vis-network.min.js").exists() is shared
    _open(browser, pages[0].path.as_uri())
    nodes, _edges = assert_draws_what_it_says(browser)
    assert nodes == 4  # the groups
    links = browser.evaluate("Array.from(document.querySelectorAll('#groups a'))"
                             ".map(a => [a.href, +a.dataset.members])")
    assert len(links) == 4 and sorted(m for _, m in links) == [1, 3, 5, 7]
    text = browser.evaluate("document.querySelector('header').innerText")
    assert "too many to draw one by one" in text
    assert "Of the network's 19 links, 14 join members of one group" in text  # by hand
    assert_stayed_local(browser)
    for href, members in links:
        _open(browser, href)
        nodes, _edges = assert_draws_what_it_says(browser)
        members_drawn = browser.evaluate(
            "network.body.data.nodes.get({filter: n => !/\\(group\\)$/.test(n.label)}).length")
        assert members_drawn == members or nodes == 0
        assert browser.evaluate("document.getElementById('back').getAttribute('href')") \
            == "../net.html"
        assert_stayed_local(browser)
        if shared:
            assert (tmp_path / "vis-network.min.js").as_uri() in browser.requests()
    # a group node on the overview opens its page from the details box
    _open(browser, pages[0].path.as_uri())
    key = f"country:{C}AA"
    browser.evaluate(f"void (network.selectNodes(['{key}']), network.body.emitter.emit("
                     f"'click', {{nodes: ['{key}'], edges: []}}))")
    href = browser.evaluate("document.querySelector('#details a.group-page').href")
    assert href.endswith("net/country-aa.html")


@pytest.mark.browser
def test_shared_script_page_runs_no_script_of_its_markup(browser: Chromium,
                                                         tmp_path: Path) -> None:
    # the policy of a page that loads the shared vis-network: only its own inline loader runs,
    # and only scripts that loader creates; a script element in the markup (as injected
    # markup would be) is blocked, even one naming the shared file itself
    g, countries = _world()
    (page,) = aggregate.write_network_pages(g, tmp_path / "p.html", title="t", description="d",
                                            countries=countries, assets=tmp_path)
    (tmp_path / "evil.js").write_text("window.__xss = 1;", encoding="utf-8")
    html = page.path.read_text(encoding="utf-8")
    injected = html.replace("<noscript>", '<script src="evil.js"></script><script>'
                            "window.__xss = 2;</script><noscript>", 1)
    (tmp_path / "q.html").write_text(injected, encoding="utf-8")
    _open(browser, (tmp_path / "q.html").as_uri())
    assert browser.evaluate("typeof window.__xss") == "undefined"
    assert browser.evaluate("network.body.data.nodes.length") > 0  # the page itself drew
    blocked = [e for e in browser.errors() if "Content Security Policy" in str(e)]
    assert len(blocked) == 2 and len(browser.errors()) == 2
