"""Where ontology/, seeds/, queries/ and the shipped data/ live: the only module that knows.

In a source checkout they are top-level folders next to the package; in an installed wheel
they ship inside the package as ``stigraph/_data/`` (see pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"stigraph's {name}/ folder is missing from the installation")


def ontology_dir() -> Path:
    return _data_dir("ontology")


def seeds_dir() -> Path:
    return _data_dir("seeds")


def queries_dir() -> Path:
    return _data_dir("queries")


def shipped_data_dir() -> Path:
    """The compact real data shipped with stigraph (``data/``, made by
    ``tools/make_shipped_data.py``): one folder per data set, each readable by its importer
    (``cordis_horizon_europe/``, ``openalex_country_coauthorship/``, ``gcf/``, ``cow_igo/``),
    with ``NOTICE.md`` (licences) and ``MANIFEST.csv`` (rows and checksums)."""
    return _data_dir("data")


def ontology_files() -> list[Path]:
    """The ontology's Turtle files except the SHACL shapes, in a stable order."""
    return sorted(p for p in ontology_dir().glob("*.ttl") if p.name != "shapes.ttl")


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"
