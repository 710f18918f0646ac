"""Attribution of the imported data sets a graph holds (CORDIS, OpenAlex, GCF, COW IGO).

An importer cites its data set on every fact it writes (``dct:source`` the data set's page).
:func:`imported_datasets` finds which of them the graph holds, how many facts cite each, and
gives the attribution and licence the data set asks for, read from the shipped data's
``NOTICE.md`` (the section of the data set's folder), so the report credits every data set it
includes and none it does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from stigraph.outputs.report.model import Cell, Link, Table
from stigraph.outputs.report.sources import source_counts
from stigraph.resources import shipped_data_dir

__all__ = ["DATASETS", "Dataset", "attribution_table", "imported_datasets", "notice_sections"]


@dataclass(frozen=True)
class Dataset:
    """An importable data set: its name, the source IRIs its facts cite, its NOTICE folder."""

    name: str
    sources: tuple[str, ...]
    folder: str
    credit: str


DATASETS = (
    Dataset("CORDIS (Horizon Europe, Horizon 2020)",
            ("https://data.europa.eu/data/datasets/cordis-eu-research-projects-under-horizon-"
             "europe-2021-2027", "https://data.europa.eu/data/datasets/cordish2020projects"),
            "cordis_horizon_europe", "Source: CORDIS, European Commission (CC BY 4.0)."),
    Dataset("OpenAlex country co-authorship", ("https://github.com/bavla/OpenAlex/tree/main/"
                                               "Countries",),
            "openalex_country_coauthorship",
            "OpenAlex (CC0), aggregated by V. Batagelj (bavla/OpenAlex)."),
    Dataset("Green Climate Fund projects", ("https://www.greenclimate.fund/projects",
                                            "https://www.greenclimate.fund/about/partners/ae",
                                            "https://www.greenclimate.fund/results"),
            "gcf", "Green Climate Fund open data, via UN-OCHA HDX (CC BY)."),
    Dataset("Correlates of War IGO v3.0", ("https://correlatesofwar.org/data-sets/igos/",),
            "cow_igo", "Pevehouse, Nordstrom, McManus & Jamison (2020), The Correlates of War "
            "IGO Version 3.0 datasets, Journal of Peace Research 57(3): 492–503, "
            "doi:10.1177/0022343319881175."),
)


def notice_sections(path: Path) -> dict[str, str]:
    """Folder name -> the text of its ``## `folder/` …`` section of a NOTICE.md, on one line."""
    if not path.is_file():
        return {}
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## `([^`/]+)/?`", line)
        if heading:
            current = heading.group(1)
            sections[current] = []
        elif line.startswith("#"):
            current = None
        elif current is not None:
            sections[current].append(line.strip())
    return {k: " ".join(x for x in v if x) for k, v in sections.items()}


def imported_datasets(graph: Graph) -> list[tuple[Dataset, int]]:
    """The data sets whose facts the graph holds, with how many facts cite each."""
    cited = source_counts(graph)  # triples citing each source, counted once
    found = []
    for dataset in DATASETS:
        count = sum(cited[source] for source in dataset.sources)
        if count:
            found.append((dataset, count))
    return found


def attribution_table(graph: Graph, notice: Path | None = None) -> Table | None:
    """A table crediting every imported data set in ``graph``; None when it holds none."""
    present = imported_datasets(graph)
    if not present:
        return None
    texts = notice_sections(notice or shipped_data_dir() / "NOTICE.md")
    rows: list[list[Cell]] = []
    for dataset, count in present:
        rows.append([Link(dataset.name, dataset.sources[0]), count, dataset.credit,
                     texts.get(dataset.folder, "")])
    return Table(columns=["data set", "facts citing it", "attribution", "licence and source"],
                 rows=rows, numeric=(1,), caption="Imported data sets in this graph",
                 csv="imported-datasets.csv",
                 note="Every fact an importer writes cites its data set; these are the data "
                      "sets this report's graph includes, with the credit each asks for.")
