"""Regenerate the world map's geometry shipped with stigraph from the world-atlas npm tarball.

Usage::

    python tools/make_world_map.py WORLD_ATLAS_TGZ [--seeds SEEDS_DIR] [--out FILE]

WORLD_ATLAS_TGZ is the tarball of the npm package world-atlas (``npm pack world-atlas``:
Natural Earth 1:110m admin-0 countries as TopoJSON, ISC licence; Natural Earth is public
domain). Its ``countries-110m.json`` is decoded (quantised, delta-encoded arcs), projected
with the Equal Earth projection (Šavrič, Patterson & Jenny 2018) onto a frame 1000 units wide,
and written as ``stigraph/outputs/geo/world-110m.json``: one entry per country or area with
its UN M49 code (the shapes' ids are ISO 3166-1 numeric codes, the M49 codes of the seeds), its
ISO alpha-2 code and name from ``seeds/countries.csv``, and its rings as integer coordinates in
tenths of a unit, delta-encoded. Antarctica is left out (no country data; it would take a
fifth of the height).

Natural Earth draws de facto boundaries. Three shapes have no code in world-atlas; they are
assigned as the UN's M49 lists them (:data:`NO_ID`): Somaliland is drawn as part of Somalia and
Northern Cyprus as part of Cyprus (M49 counts them there, and so do the data sets), Kosovo as
the seeds' ``XK`` (no M49 code). Only the standard library is used; the same tarball gives the
same bytes. Nothing is written unless every shape is matched.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import itertools
import json
import math
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "stigraph" / "outputs" / "geo" / "world-110m.json"
DEFAULT_SEEDS = REPO_ROOT / "seeds"
MEMBER = "package/countries-110m.json"
PACKAGE_JSON = "package/package.json"

#: Shapes without an id in world-atlas: Natural Earth name -> (M49 code or "", ISO2 code).
NO_ID: dict[str, tuple[str, str]] = {"Somaliland": ("706", "SO"), "N. Cyprus": ("196", "CY"),
                                     "Kosovo": ("", "XK")}
#: Left out of the map: Antarctica (M49 010).
LEFT_OUT = frozenset({"010"})
WIDTH = 1000.0
PRECISION = 10  # integer units per frame unit

# Equal Earth (Šavrič, Patterson & Jenny 2018, doi:10.1080/13658816.2018.1504949)
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth x, y (radius 1) of a longitude and latitude in degrees; y grows north."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (
        3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


X_MAX = equal_earth(180.0, 0.0)[0]


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantised TopoJSON topology as (longitude, latitude) lists."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: Sequence[int], arcs: list[list[tuple[float, float]]]
                ) -> list[tuple[float, float]]:
    """A ring's points from its arc indices (``~i``: arc ``i`` reversed)."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _clip(ring: list[tuple[float, float]], edge: float, keep_below: bool
          ) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: the part of ``ring`` on one side of the meridian ``edge``."""
    def inside(p: tuple[float, float]) -> bool:
        return p[0] <= edge if keep_below else p[0] >= edge

    out: list[tuple[float, float]] = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current) != inside(previous):
            t = (edge - previous[0]) / (current[0] - previous[0])
            out.append((edge, previous[1] + t * (current[1] - previous[1])))
        if inside(current):
            out.append(current)
    return out


def _densified(ring: list[tuple[float, float]], step: float = 1.0) -> list[tuple[float, float]]:
    """Points added every ``step`` degrees along the ring's runs on the antimeridian, so that
    the cut follows the projection's curved edge."""
    out: list[tuple[float, float]] = []
    for i, (lon, lat) in enumerate(ring):
        out.append((lon, lat))
        nlon, nlat = ring[(i + 1) % len(ring)]
        if abs(lon) == 180.0 and nlon == lon and abs(nlat - lat) > step:
            n = math.ceil(abs(nlat - lat) / step)  # segments of at most ``step``
            out.extend((lon, lat + (nlat - lat) * j / n) for j in range(1, n))
    return out


def split_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses the antimeridian (world-atlas leaves the cut to the renderer) as
    its pieces on each side, closed along it; any other ring as it is."""
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        lon += 360.0 * round((previous - lon) / 360.0)
        unwrapped.append((lon, lat))
    if all(-180.0 <= lon <= 180.0 for lon, _ in unwrapped):
        return [ring]
    pieces = []
    for low, high, shift in ((-180.0, 180.0, 0.0), (180.0, 540.0, -360.0),
                             (-540.0, -180.0, 360.0)):
        part = _clip(_clip(unwrapped, low, keep_below=False), high, keep_below=True)
        if len(part) >= 3:
            pieces.append(_densified([(lon + shift, lat) for lon, lat in part]))
    return pieces


def _quantised(points: list[tuple[float, float]], top: float) -> list[tuple[int, int]]:
    scale = WIDTH / (2 * X_MAX)
    out: list[tuple[int, int]] = []
    for lon, lat in points:
        x, y = equal_earth(lon, lat)
        q = (round((x + X_MAX) * scale * PRECISION), round((top - y) * scale * PRECISION))
        if not out or q != out[-1]:
            out.append(q)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()  # the path closes itself
    return out


def _delta(points: list[tuple[int, int]]) -> list[int]:
    flat = [points[0][0], points[0][1]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        flat += [x1 - x0, y1 - y0]
    return flat


def seed_countries(seeds: Path) -> list[dict[str, str]]:
    """The rows of the seeds' countries.csv (iso2, m49, name, ...)."""
    with (seeds / "countries.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build(tarball: Path, seeds: Path) -> tuple[dict, list[str]]:
    """The shipped map as a JSON-ready dict, and the ISO2 codes of the seeds' countries
    without a shape (left out, or too small for the scale)."""
    data = tarball.read_bytes()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        member, meta = tar.extractfile(MEMBER), tar.extractfile(PACKAGE_JSON)
        if member is None or meta is None:
            raise SystemExit(f"{tarball}: no {MEMBER} (is it the world-atlas npm tarball?)")
        topology = json.load(member)
        package = json.load(meta)
    rows = seed_countries(seeds)
    codes = {r["m49"]: r["iso2"] for r in rows if r["m49"]}
    names = {r["iso2"]: r["name"] for r in rows}
    arcs = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    polygons: dict[tuple[str, str], list[list[list[tuple[float, float]]]]] = {}
    problems = []
    for g in geometries:
        name = g.get("properties", {}).get("name", "?")
        if "id" in g:
            m49 = g["id"]
            if m49 in LEFT_OUT:
                continue
            if m49 not in codes:
                problems.append(f"shape {name!r} (id {m49}) has no country in seeds/countries.csv")
                continue
            iso2 = codes[m49]
        elif name in NO_ID:
            m49, iso2 = NO_ID[name]
        else:
            problems.append(f"shape {name!r} has no id and is not in NO_ID")
            continue
        parts = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        polygons.setdefault((m49, iso2), []).extend(
            [piece for r in poly for piece in split_antimeridian(ring_points(r, arcs))]
            for poly in parts)
    if problems:
        raise SystemExit("\n".join(problems))
    lats = [lat for polys in polygons.values() for poly in polys for ring in poly
            for _, lat in ring]
    top, bottom = equal_earth(0, max(lats))[1], equal_earth(0, min(lats))[1]
    scale = WIDTH / (2 * X_MAX)
    shapes = []
    for (m49, iso2), polys in sorted(polygons.items(), key=lambda kv: kv[0][1]):
        rings = [_delta(q) for poly in polys for ring in poly
                 if len(q := _quantised(ring, top)) >= 3]
        shapes.append({"m49": m49, "iso2": iso2, "name": names.get(iso2, iso2), "rings": rings})
    drawn = {iso2 for _, iso2 in polygons}
    missing = sorted(iso2 for iso2 in names if iso2 not in drawn)
    about = {
        "source": f"world-atlas {package['version']} (npm, ISC licence, Mike Bostock): "
                  "countries-110m.json, Natural Earth 1:110m Admin 0 countries v4.1.0 "
                  "(public domain)",
        "tarball_sha256": hashlib.sha256(data).hexdigest(),
        "projection": "Equal Earth (Šavrič, Patterson & Jenny 2018), Antarctica left out",
        "no_id": {k: list(v) for k, v in NO_ID.items()},
    }
    height = math.ceil((top - bottom) * scale)
    return {"about": about, "width": int(WIDTH), "height": height, "precision": PRECISION,
            "shapes": shapes}, missing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tarball", type=Path, help="the world-atlas npm tarball (.tgz)")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS,
                        help="the seeds folder whose countries.csv names the codes")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.tarball.is_file():
        parser.error(f"{args.tarball}: no such file (run `npm pack world-atlas`)")
    result, missing = build(args.tarball, args.seeds)
    text = json.dumps(result, separators=(",", ":"), ensure_ascii=False) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=args.out.parent,
                                     delete=False, suffix=".tmp") as handle:
        handle.write(text)
    Path(handle.name).chmod(0o644)
    Path(handle.name).replace(args.out)
    print(f"{args.out}: {len(result['shapes'])} shapes, {len(text.encode()):,} bytes. For "
          f"its NOTICE.md: Seed countries without a shape ({len(missing)}): "
          f"{', '.join(missing)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
