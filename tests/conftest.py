"""Shared fixtures: the seed graph (built once) and a small hand-made world."""

from __future__ import annotations

from pathlib import Path

import pytest

from stigraph.build import BuildResult, build_graph

TESTS = Path(__file__).resolve().parent
MINI_SEEDS = TESTS / "fixtures" / "mini-seeds"
REPO = TESTS.parent
SHARED_DATA = REPO.parent / "shared" / "data"


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
