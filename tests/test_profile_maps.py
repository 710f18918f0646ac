"""The country profiles' maps on the seeds plus tests/data/profile-mini.ttl (hand-made facts
about Kenya and Uganda, see tests/test_profiles.py): values, classes, tooltips and years
computed by hand from that file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stigraph.build.builder import build_graph
from stigraph.outputs import worldmap
from stigraph.outputs.report import profile_maps, profiles
from stigraph.projection.inputs import AnalysisInputs
from stigraph.vocab.namespaces import country_iri

TESTS = Path(__file__).resolve().parent
AS_OF = "2024-06-30"
KE, UG = str(country_iri("KE")), str(country_iri("UG"))
SHAPE = re.compile(r'(?:<a href="([^"]*)">)?<path d="[^"]*" fill="(#[0-9a-f]{6})"><title>'
                   r"([^<]*)</title></path>")


@pytest.fixture(scope="module")
def data() -> profiles.ProfileData:
    graph = build_graph(store="oxigraph", include=[TESTS / "data" / "profile-mini.ttl"]).graph
    return profiles.ProfileData(AnalysisInputs(graph, as_of=AS_OF), seed=0)


@pytest.fixture(scope="module")
def two(data: profiles.ProfileData) -> list[profiles.CountryProfile]:
    return [profiles.profile(data, KE), profiles.profile(data, UG)]


def _shapes(markup: str) -> dict[str, tuple[str, str, str]]:
    """Tooltip's name -> (href, fill, tooltip) of every drawn country with a tooltip."""
    return {tip.split(":")[0].split(" (")[0]: (href, fill, tip)
            for href, fill, tip in SHAPE.findall(markup)}


def test_years_of_each_measure(data: profiles.ProfileData) -> None:
    spans = profile_maps.periods(data, [KE, UG])
    # T1 2022 and T2 2023 (T3 starts in 2030); works of 2020 and 2021 (2030 is after the date);
    # GCF T9 approved 2019 (T10 in 2030)
    assert spans["projects"] == "projects started 2022\u20132023, as of 2024-06-30"
    assert spans["works"] == "works published 2020\u20132021, as of 2024-06-30"
    assert spans["gcf"] == "projects approved 2019, as of 2024-06-30"
    assert spans["memberships"].startswith("started ")


def test_index_maps(data: profiles.ProfileData, two: list[profiles.CountryProfile]) -> None:
    maps = profile_maps.index_maps(data, two)
    panels = re.findall(r'<div class="panel" id="map-([a-z]+)-panel">(.*?)</div>',
                        str(maps.markup), flags=re.S)
    assert [key for key, _ in panels] == [m.key for m in profile_maps.MEASURES]
    projects = _shapes(dict(panels)["projects"])
    # Kenya: 2 projects, the only positive value: one class, the palette's middle step;
    # Uganda: 0 projects, the zero colour; both linked to their profile
    assert projects["Kenya"] == (
        "KE.html", worldmap.PALETTE[2],
        "Kenya: 2 Horizon Europe projects (CORDIS, European Commission, projects started "
        "2022\u20132023, as of 2024-06-30)")
    assert projects["Uganda"][:2] == ("UG.html", worldmap.ZERO)
    assert projects["Germany"] == ("", worldmap.MISSING, "Germany: " + profile_maps.NO_PROFILE)
    works = _shapes(dict(panels)["works"])
    assert works["Kenya"][2].startswith("Kenya: 15 co-authored works")
    gcf = _shapes(dict(panels)["gcf"])  # one GCF project each, approved 2019
    assert gcf["Kenya"][1] == gcf["Uganda"][1] == worldmap.PALETTE[2]
    assert maps.unmatched == ()
    assert "#map-works:checked ~ #map-works-panel" in str(maps.style)


def test_partner_map_is_the_partner_table(data: profiles.ProfileData,
                                          two: list[profiles.CountryProfile]) -> None:
    part = next(p for p in two[0].parts if p.id == "partners")
    table = next(t for t in part.tables if t.csv == "partner-countries.csv")
    chart = str(part.charts[0])
    assert 'class="worldmap small"' in chart
    drawn = _shapes(chart)
    assert drawn["Kenya"][1:] == (worldmap.FOCUS, "Kenya (this profile)")
    partners = {name: tip for name, (_, fill, tip) in drawn.items() if fill == worldmap.PARTNER}
    world = worldmap.load()
    with_shape = [r for r in table.rows
                  if world.shape(_code(data, str(r[0]))) is not None]
    assert sorted(partners) == sorted(str(r[0]) for r in with_shape)
    first = table.rows[0]
    assert partners[str(first[0])] == (f"{first[0]}: partner 1 of {len(table.rows)}, weight "
                                       f"{float(first[1]):.2f}")


def _code(data: profiles.ProfileData, label: str) -> str:
    return next(info.iso2 for info in data.inputs.infos.values() if info.label == label)


def test_pages_carry_the_maps(data: profiles.ProfileData, tmp_path: Path) -> None:
    profiles.write_profiles(data, tmp_path, focus=KE)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count('<figure class="worldmap">') == len(profile_maps.MEASURES)
    assert "#map-projects:checked ~ #map-projects-panel { display: block; }" in index
    assert "de facto boundaries" in index and "<script" not in index
    page = (tmp_path / "KE.html").read_text(encoding="utf-8")
    assert page.count('<figure class="worldmap small">') == 1
