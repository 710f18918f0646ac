"""Where ontology/, seeds/, queries/ and the shipped data/ live: the only module that knows.

An installed wheel ships them inside the package as ``stigraph/_data/`` (see pyproject.toml),
found through :mod:`importlib.resources`, first. In a source checkout (an editable install)
there is no ``_data``, and they are the top-level folders of the checkout next to the package
— recognised by the checkout's pyproject.toml, so that an unrelated top-level package of the
same name (PyPI has one called ``queries``) in site-packages is never taken for them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["find_data_dir", "ontology_dir", "ontology_files", "queries_dir", "seeds_dir",
           "shapes_file", "shipped_data_dir"]


def _data_dir(name: str) -> Path:
    return find_data_dir(name, Path(str(resources.files("stigraph"))))


def find_data_dir(name: str, package: Path) -> Path:
    """``package/_data/NAME``, else ``NAME`` of the source checkout ``package`` sits in."""
    shipped = package / "_data" / name
    if shipped.is_dir():
        return shipped
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    raise FileNotFoundError(f"stigraph's {name}/ folder is missing from the installation "
                            "(reinstall stigraph)")


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
