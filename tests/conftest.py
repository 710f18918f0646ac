"""Shared fixtures: the seed graph (built once) and a small hand-made world."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from stigraph.build.builder import BuildResult, build_graph

TESTS = Path(__file__).resolve().parent
MINI_SEEDS = TESTS / "fixtures" / "mini-seeds"
REPO = TESTS.parent
SHARED_DATA = Path(os.environ.get("STIGRAPH_SHARED_DATA") or REPO.parent / "shared" / "data")


@pytest.fixture(scope="session", autouse=True)
def _seed_only_cli(tmp_path_factory: pytest.TempPathFactory) -> None:
    """CLI commands in tests read the seeds alone (as by default), and keep any
    built graph in a temporary cache, never the user's; tests of the default data ask for
    it explicitly (tests/test_default_data.py)."""
    import os

    os.environ["STIGRAPH_DEFAULT_DATA"] = "0"
    os.environ["STIGRAPH_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def seed_build() -> BuildResult:
    """The project's own seed graph."""
    return build_graph()


@pytest.fixture(scope="session")
def mini_build() -> BuildResult:
    """A five-country world small enough to answer every query by hand (tests/fixtures)."""
    return build_graph([MINI_SEEDS], default_seeds=False)


@pytest.fixture()
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("the shared data folder (../shared/data) is not next to this checkout")
    return SHARED_DATA

try:
    from tests.chromium import Chromium, chromium_binary
except ImportError:  # tests/ on sys.path (rootdir-relative import mode)
    from chromium import Chromium, chromium_binary  # type: ignore[no-redef]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    """A real headless Chromium for the browser tests of one module (skipped when absent)."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip("chromium is not installed (run tools/install_browser.sh)")
    chrome = Chromium(binary, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield chrome
    finally:
        chrome.close()


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def real_samples(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> object:
    """The real samples of tests/data (CORDIS, OpenAlex East Africa 1990–2023, GCF) imported
    and built on each store, once per test module."""
    from stigraph.importers import import_cordis, import_gcf, import_openalex

    data = Path(__file__).resolve().parent / "data"
    out = tmp_path_factory.mktemp("real")
    import_cordis(data / "cordis", out / "cordis.nt")
    import_openalex(data / "openalex-history" / "openalex_east_africa_edges_1990_2023.csv",
                    out / "openalex.nt")
    import_gcf(data / "gcf" / "v1-projects.json", out / "gcf.nt")
    return build_graph(store=request.param, include=[
        out / "cordis.nt", out / "openalex.nt", out / "gcf.nt"]).graph
