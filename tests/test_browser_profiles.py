"""The country profiles (index and Kenya's page) in a real headless Chromium.

The graph is the project's seeds plus tests/data/profile-mini.ttl, whose organisation names
are markup (``<script>``, an ``<img onerror>`` that would set ``window.__xss``). Checks: no
console error, every request stays in the file (``file:``/``data:``), no script element, the
names shown as text, the inline SVG charts drawn. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from stigraph.build.builder import GraphSource
from stigraph.outputs.report import ReportResult, ReportSettings, build_report

try:
    from tests.chromium import Chromium
except ImportError:  # tests/ on sys.path (rootdir-relative import mode)
    from chromium import Chromium  # type: ignore[no-redef]

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parent
ARTIFACTS = TESTS.parent / "test-artifacts"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    settings = ReportSettings(source=GraphSource(include=(TESTS / "data" / "profile-mini.ttl",)),
                              as_of=dt.date(2024, 6, 30), networks=False)
    return build_report(tmp_path_factory.mktemp("browser-profiles"), settings)


def _assert_clean(browser: Chromium) -> None:
    requests = browser.requests()
    assert requests, "the page made no request at all (did it load?)"
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert browser.errors() == []
    assert browser.evaluate("document.querySelectorAll('script').length") == 0
    assert browser.evaluate("typeof window.__xss") == "undefined"


def test_index_links_every_profile(browser: Chromium, report: ReportResult) -> None:
    browser.open((report.out_dir / "profiles" / "index.html").as_uri())
    time.sleep(0.3)
    links = browser.evaluate("Array.from(document.querySelectorAll('table a'))"
                             ".map(a => a.getAttribute('href'))")
    pages = sorted(p.name for p in (report.out_dir / "profiles").glob("*.html")
                   if p.name != "index.html")
    assert sorted(links) == pages and "KE.html" in pages and len(pages) > 100
    _assert_clean(browser)
    browser.open(report.path.as_uri())
    time.sleep(0.3)
    assert browser.evaluate("document.querySelectorAll('a[href=\"profiles/KE.html\"]').length") == 1


def test_kenya_profile_page(browser: Chromium, report: ReportResult) -> None:
    browser.open((report.out_dir / "profiles" / "KE.html").as_uri())
    time.sleep(0.3)
    assert browser.evaluate("document.title") == "Kenya: country profile"
    text = browser.evaluate("document.body.innerText")
    assert '<img src=x onerror="window.__xss=1">' in text
    assert "<script>alert(1)</script> Body" in text
    bars = browser.evaluate("Array.from(document.querySelectorAll('svg rect title'))"
                            ".map(t => t.textContent)")
    assert "<script>alert(1)</script> Body: observer 2001\u20132005" in bars
    assert "2023: 1" in bars  # one Horizon Europe project started in 2023
    headings = browser.evaluate("Array.from(document.querySelectorAll('h2'))"
                                ".map(h => h.innerText)")
    assert len(headings) == 7 and "Horizon Europe participations" in headings[1]
    _assert_clean(browser)
    browser.screenshot(ARTIFACTS / "profile-KE.png", full_page=True)


_VISIBLE = ("Array.from(document.querySelectorAll('.maps > .panel'))"
            ".filter(p => getComputedStyle(p).display !== 'none').map(p => p.id)")


def _click(browser: Chromium, selector: str) -> None:
    """A real mouse click in the middle of the element (no script of the page's own)."""
    box = browser.evaluate(f"(() => {{ const r = document.querySelector('{selector}')"
                           ".getBoundingClientRect(); return [r.x + r.width / 2, "
                           "r.y + r.height / 2]; })()")
    for kind in ("mousePressed", "mouseReleased"):
        browser.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                  "button": "left", "clickCount": 1})


def test_index_maps_switch_without_script(browser: Chromium, report: ReportResult) -> None:
    from stigraph.outputs import worldmap

    browser.open((report.out_dir / "profiles" / "index.html").as_uri())
    time.sleep(0.3)
    assert browser.evaluate(_VISIBLE) == ["map-projects-panel"]
    width = browser.evaluate("document.querySelector('#map-projects-panel svg')"
                             ".getBoundingClientRect().width")
    assert width > 500
    # every profiled country with a shape is drawn and linked to its profile
    linked = browser.evaluate("Array.from(document.querySelectorAll('#map-projects-panel "
                              "svg a')).map(a => a.getAttribute('href'))")
    pages = [p.name for p in (report.out_dir / "profiles").glob("*.html")
             if p.name != "index.html"]
    world = worldmap.load()
    assert sorted(linked) == sorted(p for p in pages if world.shape(p[:2]) is not None)
    tip = browser.evaluate("document.querySelector('#map-projects-panel a[href=\"KE.html\"] "
                           "title').textContent")
    # T1 (2022) and T2 (2023) of tests/data/profile-mini.ttl
    assert tip.startswith("Kenya: 2 Horizon Europe projects (CORDIS") and "2024-06-30" in tip
    browser.screenshot(ARTIFACTS / "profile-index-map.png")
    _click(browser, 'label[for="map-works"]')
    time.sleep(0.2)
    assert browser.evaluate(_VISIBLE) == ["map-works-panel"]
    _assert_clean(browser)
    # the report's sources section credits the map's geometry, with the disclaimer
    page = report.path.read_text(encoding="utf-8")
    assert "through the world-atlas package 2.0.2 (ISC licence" in page
    assert "de facto boundaries" in page


def test_profile_map_of_partners(browser: Chromium, report: ReportResult) -> None:
    from stigraph.outputs import worldmap

    browser.open((report.out_dir / "profiles" / "KE.html").as_uri())
    time.sleep(0.3)
    fills = browser.evaluate("Array.from(document.querySelectorAll('figure.worldmap path'))"
                             ".filter(p => p.querySelector('title'))"
                             ".map(p => [p.getAttribute('fill'), "
                             "p.querySelector('title').textContent])")
    assert [worldmap.FOCUS, "Kenya (this profile)"] in fills
    partners = [tip for fill, tip in fills if fill == worldmap.PARTNER]
    assert partners and all(": partner " in tip for tip in partners)
    box = browser.evaluate("document.querySelector('figure.worldmap svg')"
                           ".getBoundingClientRect().width")
    assert box > 300
    _assert_clean(browser)
