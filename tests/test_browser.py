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
from collections.abc import Iterator
from pathlib import Path

import pytest

from stigraph.build.builder import GraphSource, build_graph
from stigraph.outputs.report import ReportResult, ReportSettings, build_report
from stigraph.projection import networks as projection

try:
    from tests.chromium import Chromium, chromium_binary
except ImportError:  # tests/ on sys.path (rootdir-relative import mode)
    from chromium import Chromium, chromium_binary  # type: ignore[no-redef]

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


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    binary = chromium_binary()
    if binary is None:
        pytest.skip("chromium is not installed (run tools/install_browser.sh)")
    chrome = Chromium(binary, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield chrome
    finally:
        chrome.close()


def assert_stayed_local(browser: Chromium) -> None:
    requests = browser.requests()
    assert requests, "the page made no request at all (did it load?)"
    leaving = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert leaving == []
    assert browser.errors() == []
    assert browser.evaluate("typeof window.__xss") == "undefined"


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
    assert browser.evaluate("network.body.data.nodes.length") == graph.number_of_nodes()
    assert browser.evaluate("network.body.data.edges.length") == graph.number_of_edges()
    assert browser.evaluate("network.physics.options.enabled") is False  # stopped after settling

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
    assert_stayed_local(browser)
