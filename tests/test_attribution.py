"""The report credits every imported data set its graph holds, and none it does not.

Each data set's sample (tests/data) is imported; the count of facts citing it is recomputed
from the N-Triples file with a plain text scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from stigraph.build.builder import build_graph
from stigraph.importers import import_cordis, import_cow_igo, import_gcf, import_openalex
from stigraph.outputs.report.attribution import DATASETS, attribution_table

DATA = Path(__file__).resolve().parent / "data"
DCT_SOURCE = "<http://purl.org/dc/terms/source>"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("attribution")
    files = {"cordis_horizon_europe": out / "cordis.nt", "openalex_country_coauthorship":
             out / "openalex.nt", "gcf": out / "gcf.nt", "cow_igo": out / "cow.nt"}
    import_cordis(DATA / "cordis", files["cordis_horizon_europe"])
    import_openalex(DATA / "openalex", files["openalex_country_coauthorship"])
    import_gcf(DATA / "gcf" / "v1-projects.json", files["gcf"])
    import_cow_igo(DATA / "cow_igo", files["cow_igo"])
    return files


def citing(path: Path, sources: tuple[str, ...]) -> int:
    wanted = {f"{DCT_SOURCE} <{s}> ." for s in sources}
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines()
               if any(line.endswith(w) for w in wanted))


def test_no_import_no_attribution() -> None:
    assert attribution_table(build_graph().graph) is None


@pytest.mark.parametrize("folder", [d.folder for d in DATASETS])
def test_each_data_set_is_credited_when_included(imported: dict[str, Path],
                                                 folder: str) -> None:
    table = attribution_table(build_graph(include=[imported[folder]]).graph)
    assert table is not None
    (row,) = table.rows
    dataset = next(d for d in DATASETS if d.folder == folder)
    assert row[0].text == dataset.name  # type: ignore[union-attr]
    assert row[1] == citing(imported[folder], dataset.sources) > 0
    assert row[2] == dataset.credit and "Licence" in str(row[3])


def test_all_together(imported: dict[str, Path]) -> None:
    table = attribution_table(build_graph(include=list(imported.values())).graph)
    assert table is not None
    assert [r[0].text for r in table.rows] == [d.name for d in DATASETS]  # type: ignore[union-attr]
