"""The report and a network page in a real headless Chromium (Debian's ``chromium``).

Checks: no console errors, no request leaves the file (every URL is ``file:`` or ``data:``),
the network page draws as many nodes as the projection has, the hostile organisation name is
shown as text (in the search results and the tooltip) and the script in it never runs
(``window.__xss`` stays undefined). Screenshots go to ``test-artifacts/``.

Install the browser with ``tools/install_browser.sh``; without it these tests are skipped.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from stigraph.build.builder import GraphSource, build_graph
from stigraph.outputs.report import ReportResult, ReportSettings, build_report
from stigraph.projection import networks as projection

try:
    from tests.chromium import Chromium
except ImportError:  # tests/ on sys.path (rootdir-relative import mode)
    from chromium import Chromium  # type: ignore[no-redef]

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "fixtures" / "report-seeds"
ARTIFACTS = TESTS.parent / "test-artifacts"
HOSTILE = '<img src=x onerror="window.__xss=1">'
AS_OF = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    settings = ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False),
                              as_of=AS_OF)
    return build_report(tmp_path_factory.mktemp("browser-report"), settings)


def assert_stayed_local(browser: Chromium) -> None:
    requests = browser.requests()
    assert requests, "the page made no request at all (did it load?)"
    leaving = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert leaving == []
    assert browser.errors() == []
    assert browser.evaluate("typeof window.__xss") == "undefined"


DRAWN = """(() => { const d = network.body.data; const box = document.getElementById('drawn');
  return [d.nodes.get({filter: n => !n.hidden}).length,
          d.edges.get({filter: e => !e.hidden}).length,
          +box.dataset.nodes, +box.dataset.edges,
          +document.getElementById('drawn-nodes').innerText,
          +document.getElementById('drawn-edges').innerText]; })()"""

OVERLAPS = """(() => { const b = window.stigraphLabels.boxes; let n = 0;
  for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++)
    if (b[i].x0 < b[j].x1 && b[j].x0 < b[i].x1 && b[i].y0 < b[j].y1 && b[j].y0 < b[i].y1) n++;
  return [n, b.length, network.body.data.nodes.get({filter: x => !!x.label}).length]; })()"""


def assert_draws_what_it_says(browser: Chromium) -> tuple[int, int]:
    """The drawn (not hidden) nodes and links are what the page states; no labels overlap."""
    nodes, edges, said_nodes, said_edges, text_nodes, text_edges = browser.evaluate(DRAWN)
    assert (nodes, edges) == (said_nodes, said_edges) == (text_nodes, text_edges)
    overlaps, boxes, labelled = browser.evaluate(OVERLAPS)
    assert overlaps == 0 and boxes == labelled and (labelled > 0 or nodes == 0)
    return nodes, edges


def test_report_page(browser: Chromium, report: ReportResult) -> None:
    browser.open(report.path.as_uri())
    time.sleep(0.3)
    assert browser.evaluate("document.title").startswith("Actors of international STI")
    assert browser.evaluate("document.querySelectorAll('script').length") == 0
    images = browser.evaluate("Array.from(document.images)"
                              ".map(i => [i.complete && i.naturalWidth > 0, i.src.slice(0, 19)])")
    assert images and all(ok and src == "data:image/svg+xml;" for ok, src in images)
    headings = browser.evaluate(
        "Array.from(document.querySelectorAll('h2')).map(h => h.innerText)")
    assert any("Who cooperates with whom" in h for h in headings)
    assert_stayed_local(browser)
    browser.screenshot(ARTIFACTS / "report.png")


def test_network_page(browser: Chromium, report: ReportResult) -> None:
    page = report.out_dir / "networks" / "actors.html"
    browser.open(page.as_uri())
    browser.wait_until("document.body.getAttribute('data-stabilised') === '1'", timeout=60)
    graph = projection.project(
        build_graph([SEEDS], default_seeds=False).graph, "actor-actor", as_of=AS_OF.isoformat())
    linked = [n for n in graph if graph.degree(n) > 0]
    # the page carries every linked node and every link; isolates are listed, not drawn
    assert browser.evaluate("network.body.data.nodes.length") == len(linked)
    assert browser.evaluate("network.body.data.edges.length") == graph.number_of_edges()
    assert browser.evaluate("document.querySelectorAll('#isolates li').length") == (
        graph.number_of_nodes() - len(linked))
    assert_draws_what_it_says(browser)
    assert browser.evaluate("network.physics.options.enabled") is False

    # the hostile name, found through the search box, is shown as text
    browser.evaluate("""(() => { const s = document.getElementById('search');
        s.value = 'onerror'; s.dispatchEvent(new Event('input')); })()""")
    assert browser.evaluate("document.getElementById('matches').innerText.trim()") == HOSTILE
    assert browser.evaluate("document.querySelectorAll('#matches img').length") == 0

    # hovering the node shows its tooltip as text, not markup
    node = "https://w3id.org/stigraph/id/actor/evil-org"
    x, y = browser.evaluate(f"""(() => {{ const p = network.canvasToDOM(
        network.getPositions(['{node}'])['{node}']);
        const r = document.getElementById('network').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; }})()""")
    browser.mouse_move(x, y)
    browser.mouse_move(x + 1, y)
    tooltip = browser.wait_until(
        "(() => { const t = document.querySelector('div.vis-tooltip');"
        " return t && t.style.visibility === 'visible' && t.innerText; })()", timeout=10)
    assert tooltip.splitlines()[0] == HOSTILE
    assert browser.evaluate("document.querySelectorAll('div.vis-tooltip img').length") == 0
    assert_stayed_local(browser)
    browser.screenshot(ARTIFACTS / "network-actors.png")


def test_large_network_page_settles(browser: Chromium, report: ReportResult) -> None:
    page = report.out_dir / "networks" / "countries-organisations.html"
    browser.open(page.as_uri())
    browser.wait_until("document.body.getAttribute('data-stabilised') === '1'", timeout=60)
    count = browser.evaluate("network.body.data.nodes.length")
    assert count == report.networks["countries-organisations"]
    assert_draws_what_it_says(browser)
    assert_stayed_local(browser)


def test_network_controls_change_what_is_drawn(browser: Chromium, report: ReportResult) -> None:
    page = report.out_dir / "networks" / "countries-organisations.html"
    browser.open(page.as_uri())
    browser.wait_until("document.body.getAttribute('data-stabilised') === '1'", timeout=60)
    top = browser.evaluate("+document.getElementById('backbone').max")
    # every link at the top backbone level, each node's single best one at level 1
    browser.evaluate(f"""(() => {{ const s = document.getElementById('backbone');
        s.value = '{top}'; s.dispatchEvent(new Event('input')); }})()""")
    _, all_edges = assert_draws_what_it_says(browser)
    assert all_edges == browser.evaluate("network.body.data.edges.length")
    browser.evaluate("""(() => { const s = document.getElementById('backbone');
        s.value = '1'; s.dispatchEvent(new Event('input')); })()""")
    expected = browser.evaluate("network.body.data.edges.get({filter: e => e.rank <= 1}).length")
    assert assert_draws_what_it_says(browser)[1] == expected
    # hiding a class hides its nodes and every link that touches them
    last = "Array.from(document.querySelectorAll('input.class-filter')).pop()"
    kind = browser.evaluate(f"{last}.value")
    browser.evaluate(f"""(() => {{ const b = {last};
        b.checked = false; b.dispatchEvent(new Event('change')); }})()""")
    nodes, _ = assert_draws_what_it_says(browser)
    assert browser.evaluate(f"network.body.data.nodes.get({{filter: n => !n.hidden && "
                            f"n.kind === '{kind}'}}).length") == 0
    assert nodes > 0
    # clicking a node lists its drawn links
    browser.evaluate(f"""(() => {{ const b = {last};
        b.checked = true; b.dispatchEvent(new Event('change')); }})()""")
    node = browser.evaluate("network.body.data.nodes.get({filter: n => !n.hidden})"
                            ".sort((a, b) => a.rank - b.rank)[0].id")
    x, y = browser.evaluate(f"""(() => {{ const p = network.canvasToDOM(
        network.getPositions(['{node}'])['{node}']);
        const r = document.getElementById('network').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; }})()""")
    for kind_ in ("mousePressed", "mouseReleased"):
        browser.send("Input.dispatchMouseEvent", {"type": kind_, "x": x, "y": y,
                                                  "button": "left", "clickCount": 1})
    expected = browser.evaluate(f"network.body.data.edges.get({{filter: e => !e.hidden && "
                                f"(e.from === '{node}' || e.to === '{node}')}}).length")
    listed = browser.wait_until("document.querySelectorAll('#links li').length", timeout=10)
    assert listed in (expected, expected + 1)  # + a line for links not drawn
    assert_stayed_local(browser)
