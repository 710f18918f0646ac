"""Shipped data is found where the package put it, never in a look-alike folder beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from stigraph import resources


def _package(root: Path) -> Path:
    package = root / "stigraph"
    package.mkdir(parents=True)
    return package


def test_the_packages_own_data_comes_first(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    package = _package(site)
    (package / "_data" / "queries").mkdir(parents=True)
    (site / "queries").mkdir()  # an unrelated top-level package called "queries"
    assert resources.find_data_dir("queries", package) == package / "_data" / "queries"


def test_a_look_alike_folder_in_site_packages_is_not_taken(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    package = _package(site)
    (site / "queries").mkdir()
    with pytest.raises(FileNotFoundError, match="queries/ folder is missing"):
        resources.find_data_dir("queries", package)


def test_a_source_checkout_uses_its_top_level_folders(tmp_path: Path) -> None:
    package = _package(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'stigraph'\n")
    (tmp_path / "seeds").mkdir()
    assert resources.find_data_dir("seeds", package) == tmp_path / "seeds"


def test_this_installation_finds_every_folder() -> None:
    for folder in (resources.ontology_dir(), resources.seeds_dir(), resources.queries_dir()):
        assert any(folder.iterdir()), folder
    assert resources.shapes_file().is_file()
