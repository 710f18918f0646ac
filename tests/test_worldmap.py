"""World maps (stigraph.outputs.worldmap) on a hand-made two-country geometry, the projection
and antimeridian cut of tools/make_world_map.py on hand-computed cases, and the shipped
geometry against the seeds' countries."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from stigraph.outputs import worldmap
from stigraph.outputs.worldmap import FOCUS, MISSING, PALETTE, PARTNER, ZERO, WorldMap

REPO = Path(__file__).resolve().parent.parent
# Two squares-ish shapes in a frame 100 units wide, coordinates in tenths of a unit
# (precision 10), delta-encoded after the first point: A is the triangle (0,0) (10,0) (10,10),
# B the square (20,0) (30,0) (30,10) (20,10).
TWO = {"width": 100, "height": 10, "precision": 10, "shapes": [
    {"m49": "001", "iso2": "AA", "name": "Aland", "rings": [[0, 0, 100, 0, 0, 100]]},
    {"m49": "002", "iso2": "BB", "name": "Beland", "rings": [[200, 0, 100, 0, 0, 100, -100, 0]]},
]}
SHAPE = re.compile(r'<path d="([^"]*)" fill="(#[0-9a-f]{6})"><title>([^<]*)</title></path>')


@pytest.fixture()
def two() -> WorldMap:
    return WorldMap(TWO)


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_world_map",
                                                  REPO / "tools" / "make_world_map.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_world_map"] = module
    spec.loader.exec_module(module)
    return module


def test_paths_at_two_widths(two: WorldMap) -> None:
    # width 100 px: one unit is one pixel
    assert two.paths(100) == {"AA": "M0 0l10 0 0 10z", "BB": "M20 0l10 0 0 10-10 0z"}
    # width 50 px, whole pixels: every coordinate halved
    assert two.paths(50, 0) == {"AA": "M0 0l5 0 0 5z", "BB": "M10 0l5 0 0 5-5 0z"}
    # width 10 px: A shrinks to (0,0) (1,0) (1,1); B to (2,0) (3,0) (3,1) (2,1)
    assert two.paths(10, 0)["BB"] == "M2 0l1 0 0 1-1 0z"
    # width 2 px, whole pixels: A's points fall together (0,0) (0,0) (0,0): not drawn
    assert two.paths(2, 0)["AA"] == ""
    assert two.height_at(50) == 5


def test_codes_by_iso2_or_m49(two: WorldMap) -> None:
    assert two.shape("aa") is two.shape("001") is two.shape("1") is two.shapes[0]
    found, unknown = two.resolve(["BB", "002", "ZZ", "999"])
    assert {c: s.iso2 for c, s in found.items()} == {"BB": "BB", "002": "BB"}
    assert unknown == ["ZZ", "999"]


def test_quantile_classes_by_hand() -> None:
    classes = worldmap.quantile_classes([0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55], k=5)
    assert classes.zeros == 1
    assert [(c.low, c.high, c.count) for c in classes.classes] == [
        (1, 1, 2), (2, 3, 2), (5, 8, 2), (13, 21, 2), (34, 55, 2)]
    assert [c.colour for c in classes.classes] == list(PALETTE)
    assert classes.colour(0) == ZERO and classes.colour(4) == PALETTE[2]
    # equal values stay in one class: 1, 1, 1 | 2
    ties = worldmap.quantile_classes([1, 1, 1, 2], k=2)
    assert [(c.low, c.high) for c in ties.classes] == [(1, 1), (2, 2)]
    assert [c.colour for c in ties.classes] == [PALETTE[0], PALETTE[-1]]
    assert worldmap.quantile_classes([]).classes == ()


def test_choropleth_colours_links_escapes_and_reports_unknown_codes(two: WorldMap) -> None:
    drawn = worldmap.choropleth(
        {"AA": 1, "ZZ": 9, "999": 2}, measure="projects", source="CORDIS", period="2021\u20132023",
        names={"AA": "<script>x</script>", "ZZ": "Zedland"}, links={"AA": 'AA.html" onclick="x'},
        missing="not profiled", world=two, width=100)
    assert drawn.unmatched == ("ZZ", "999")
    shapes = SHAPE.findall(drawn.markup)
    # one value: one class, the palette's middle step; B has no value: grey
    assert shapes == [
        ("M0 0l10 0 0 10z", PALETTE[2],
         "&lt;script&gt;x&lt;/script&gt;: 1 projects (CORDIS, 2021\u20132023)"),
        ("M20 0l10 0 0 10-10 0z", MISSING, "Beland: not profiled")]
    assert "<script>" not in drawn.markup
    assert '<a href="AA.html&quot; onclick=&quot;x">' in drawn.markup
    # the legend: the class, the grey and what it means, the source, the codes not drawn
    assert "not profiled</li>" in drawn.markup and "Source: CORDIS; 2021\u20132023" in \
        drawn.markup
    assert "2 countries with a value have no shape" in drawn.markup
    assert "not drawn: Zedland, 999." in drawn.markup
    assert "de facto boundaries" in drawn.markup


def test_one_value_per_country_and_a_broken_geometry_named(two: WorldMap,
                                                           tmp_path: Path) -> None:
    from stigraph.errors import InputError

    with pytest.raises(ValueError, match="'AA' and '001' are both Aland"):
        worldmap.choropleth({"AA": 1, "001": 2}, measure="m", source="s", period="p", world=two)
    broken = tmp_path / "world.json"
    broken.write_text('{"width": 100}', encoding="utf-8")
    with pytest.raises(InputError, match=r"world\.json: not a readable world map geometry"):
        worldmap.load(broken)


def test_highlight_map(two: WorldMap) -> None:
    drawn = worldmap.highlight_map("BB", {"AA": "Aland: partner 1", "ZZ": "Zedland: partner 2"},
                                   title="Beland & partners", focus_tip="Beland (this profile)",
                                   focus_label="Beland", partner_label="partners",
                                   world=two, width=100)
    assert SHAPE.findall(drawn.markup) == [  # the country last, on top of its partners
        ("M0 0l10 0 0 10z", PARTNER, "Aland: partner 1"),
        ("M20 0l10 0 0 10-10 0z", FOCUS, "Beland (this profile)")]
    assert drawn.unmatched == ("ZZ",) and "Beland &amp; partners" in drawn.markup
    alone = worldmap.highlight_map("AA", {}, title="t", focus_tip="A", focus_label="A",
                                   partner_label="p", world=two, width=100)
    assert '<path d="M20 0l10 0 0 10-10 0z" fill="#e3e3e3"/>' in alone.markup


def test_switcher_shows_one_map_at_a_time(two: WorldMap) -> None:
    a = worldmap.choropleth({"AA": 1}, measure="m", source="s", period="p", world=two)
    markup, css = worldmap.switcher([("one", "One", a), ("two", "Two", a)])
    assert markup.count('type="radio"') == 2 and markup.count(" checked") == 1
    assert "#map-two:checked ~ #map-two-panel { display: block; }" in css
    with pytest.raises(ValueError, match="letters"):
        worldmap.switcher([("a b", "x", a)])


def test_equal_earth_and_the_antimeridian_cut() -> None:
    tool = _tool()
    # the projection's published extent (Šavrič et al. 2018): x 2.7066297 at 180°, y 1.3173627
    # at the pole
    assert tool.equal_earth(180, 0)[0] == pytest.approx(2.7066297, abs=1e-6)
    assert tool.equal_earth(0, 90)[1] == pytest.approx(1.3173627, abs=1e-6)
    assert tool.equal_earth(0, 0) == (0.0, 0.0)
    # a box from 170°E to 170°W: cut into 170..180 and -180..-170, each closed along the cut
    pieces = tool.split_antimeridian([(170.0, 0.0), (-170.0, 0.0), (-170.0, 3.0), (170.0, 3.0)])
    boxes = sorted((min(x for x, _ in p), max(x for x, _ in p)) for p in pieces)
    assert boxes == [(-180.0, -170.0), (170.0, 180.0)]
    assert all(abs(x) <= 180 for p in pieces for x, _ in p)
    # the cut is densified every degree: 0, 1, 2, 3 on each side
    east = next(p for p in pieces if max(x for x, _ in p) == 180.0)
    assert sorted(y for x, y in east if x == 180.0) == [0.0, 1.0, 2.0, 3.0]
    ring = [(10.0, 0.0), (20.0, 0.0), (20.0, 5.0)]
    assert tool.split_antimeridian(ring) == [ring]


def _seeds() -> list[dict[str, str]]:
    with (REPO / "seeds" / "countries.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_shipped_geometry_matches_the_seeds() -> None:
    """Every shape is a seed country with the seeds' codes; the seed countries without a
    shape are exactly those the NOTICE lists (too small for the 1:110m scale)."""
    world = worldmap.load()
    rows = _seeds()
    by_iso = {r["iso2"]: r for r in rows}
    for shape in world.shapes:
        assert shape.iso2 in by_iso, shape
        assert shape.m49 == by_iso[shape.iso2]["m49"], shape
    without = sorted(r["iso2"] for r in rows if world.shape(r["iso2"]) is None)
    for r in rows:  # an M49 code and its ISO2 code find the same shape
        if r["m49"]:
            assert world.shape(r["m49"]) is world.shape(r["iso2"]), r
    notice = (REPO / "stigraph" / "outputs" / "geo" / "NOTICE.md").read_text(encoding="utf-8")
    listed = re.search(r"Seed countries without a shape \((\d+)\): ([^(]+) \(", notice)
    assert listed, "geo/NOTICE.md lists the seed countries without a shape"
    assert int(listed.group(1)) == len(without)
    assert sorted(c.strip() for c in listed.group(2).split(",")) == without
    assert "AQ" in without  # left out on purpose
    assert len(world.shapes) == len(rows) - len(without)
    document = json.loads(worldmap.GEOMETRY.read_text(encoding="utf-8"))
    assert "Natural Earth" in document["about"]["source"]
    assert worldmap.GEOMETRY.stat().st_size < 300_000


def test_the_wheel_ships_the_geometry() -> None:
    """The wheel takes every file of the package folder that git does not ignore: the
    geometry and its notice are inside it and not ignored."""
    import subprocess

    ignored = subprocess.run(["git", "-C", str(REPO), "check-ignore", "-q",
                              str(worldmap.GEOMETRY)], check=False)
    assert ignored.returncode == 1
    assert worldmap.GEOMETRY.is_relative_to(REPO / "stigraph")
    assert (worldmap.GEOMETRY.parent / "NOTICE.md").is_file()


def _tarball(path: Path, geometries: list[dict]) -> Path:
    import io
    import tarfile

    topology = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                # arc 0: the square (0,0) (10,0) (10,10) (0,10) (0,0), delta-encoded
                "arcs": [[[0, 0], [10, 0], [0, 10], [-10, 0], [0, -10]]],
                "objects": {"countries": {"type": "GeometryCollection",
                                          "geometries": geometries}}}
    with tarfile.open(path, "w:gz") as tar:
        for name, doc in (("package/package.json", {"version": "9.9.9"}),
                          ("package/countries-110m.json", topology)):
            data = json.dumps(doc).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_tool_on_a_hand_made_topology(tmp_path: Path) -> None:
    tool = _tool()
    square = {"type": "Polygon", "arcs": [[0]]}
    tgz = _tarball(tmp_path / "wa.tgz", [
        {**square, "id": "404", "properties": {"name": "Kenya"}},
        {**square, "properties": {"name": "Kosovo"}},
        {**square, "id": "010", "properties": {"name": "Antarctica"}}])
    made, missing = tool.build(tgz, REPO / "seeds")
    assert [(s["m49"], s["iso2"], s["name"]) for s in made["shapes"]] == [
        ("404", "KE", "Kenya"), ("", "XK", "Kosovo")]
    assert "AQ" in missing and "KE" not in missing and "world-atlas 9.9.9" in \
        made["about"]["source"]
    ring = made["shapes"][0]["rings"][0]
    # longitude 0 is the frame's middle (500 units = 5000 tenths); latitude 10 is the top
    assert ring[0] == 5000
    assert len(ring) == 8  # four corners, the closing point dropped
    points = [(ring[0], ring[1])]
    for i in range(2, len(ring), 2):
        points.append((points[-1][0] + ring[i], points[-1][1] + ring[i + 1]))
    assert {y for _, y in points} == {0, ring[1]} and ring[1] > 0  # y grows southwards
    bad = _tarball(tmp_path / "bad.tgz", [{**square, "properties": {"name": "Nowhere"}}])
    with pytest.raises(SystemExit, match="'Nowhere' has no id"):
        tool.build(bad, REPO / "seeds")
