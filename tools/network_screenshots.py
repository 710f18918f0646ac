"""Open network pages in headless Chromium, check what they draw, and screenshot them.

For each page: the time from navigation until the page says it has settled, the nodes and
links vis-network draws (not hidden) against the counts the page states, the labels placed and
whether any two overlap, console errors, and any request not to a local file. One PNG per page
goes to --shots, and one line per page to stdout.

    python tools/network_screenshots.py --shots test-artifacts/networks out/report/networks/*.html

tools/screenshot_networks.sh makes the seed report's and the Horizon Europe pages and runs
this on them. Making the pages by hand (seeds, and a Horizon Europe import; DATA is the data
folder):

    stigraph viz actor --out out/pages/seed-actors.html
    stigraph viz cooperation --ego gcf --out out/pages/seed-hub-gcf.html
    stigraph import cordis DATA/cordis_horizon_europe --out he.nt
    stigraph viz actor --include he.nt --out out/pages/he-actors.html

Needs Debian's chromium (tools/install_browser.sh) and websocket-client (the test extra).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chromium import Chromium, chromium_binary  # noqa: E402

DRAWN = """(() => {
  const d = network.body.data;
  const nodes = d.nodes.get({filter: n => !n.hidden}).length;
  const edges = d.edges.get({filter: e => !e.hidden}).length;
  const box = document.getElementById('drawn');
  const labels = window.stigraphLabels || {ids: [], boxes: []};
  let overlaps = 0;
  const b = labels.boxes;
  for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++)
    if (b[i].x0 < b[j].x1 && b[j].x0 < b[i].x1 && b[i].y0 < b[j].y1 && b[j].y0 < b[i].y1)
      overlaps++;
  const drawnLabels = d.nodes.get({filter: n => !!n.label}).length;
  return {nodes, edges, statedNodes: +box.dataset.nodes, statedEdges: +box.dataset.edges,
          labels: drawnLabels, overlaps};
})()"""


def check(browser: Chromium, page: Path, shots: Path, timeout: float) -> dict[str, object]:
    started = time.monotonic()
    browser.open(page.resolve().as_uri(), timeout=timeout)
    browser.wait_until("document.body.getAttribute('data-stabilised') === '1'", timeout=timeout)
    seconds = time.monotonic() - started
    time.sleep(0.3)  # let the label pass after the first drawing finish
    facts: dict[str, object] = {"page": page.name, "seconds": round(seconds, 2),
                                "bytes": page.stat().st_size}
    facts.update(browser.evaluate(DRAWN))
    facts["errors"] = browser.errors()
    facts["outside"] = [u for u in browser.requests() if not u.startswith(("file:", "data:"))]
    # a group page is named after its overview's folder too (he-actors-country-de.png)
    grouped = page.parent.name not in ("networks", "pages") and page.parent.name
    browser.screenshot(shots / (f"{grouped}-{page.stem}.png" if grouped else f"{page.stem}.png"))
    return facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--shots", type=Path, default=ROOT / "test-artifacts" / "networks")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    binary = chromium_binary()
    if binary is None:
        print("chromium is not installed (tools/install_browser.sh)", file=sys.stderr)
        return 2
    failed = 0
    with tempfile.TemporaryDirectory() as profile:
        browser = Chromium(binary, Path(profile) / "profile")
        try:
            for page in args.pages:
                facts = check(browser, page, args.shots, args.timeout)
                ok = (facts["nodes"] == facts["statedNodes"]
                      and facts["edges"] == facts["statedEdges"]
                      and facts["overlaps"] == 0 and not facts["errors"]
                      and not facts["outside"])
                failed += not ok
                print(json.dumps({"ok": ok, **facts}, ensure_ascii=False))
        finally:
            browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
