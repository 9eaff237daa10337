"""keyproj.core.geo: point in district, the city's boundary, and WGS-84 ↔ GCJ-02."""

from __future__ import annotations

import json
import random

import pytest
from django.test import override_settings

from keyproj.core import geo

# A square district (0..10) with a square hole (4..6), and a neighbour to its east sharing the edge x=10.
SQUARES = {
    "type": "FeatureCollection",
    "name": "测试市",
    "features": [
        {
            "type": "Feature",
            "id": "350901",
            "properties": {"name": "甲区"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [
                        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
                        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
                    ],
                    [[[20, 20], [21, 20], [21, 21], [20, 20]]],
                ],
            },
        },
        {
            "type": "Feature",
            "id": "350902",
            "properties": {"name": "乙区"},
            "geometry": {"type": "Polygon", "coordinates": [[[10, 0], [12, 0], [12, 10], [10, 10], [10, 0]]]},
        },
    ],
}


@pytest.fixture
def squares() -> geo.Boundary:
    return geo.parse_boundary(SQUARES, crs=geo.WGS84)


@pytest.fixture(scope="module")
def xiamen() -> geo.Boundary:
    path = geo.boundary_settings()[0]
    if not path.exists():
        pytest.skip("the boundary file is built by make install")
    return geo.parse_boundary(json.loads(path.read_text(encoding="utf-8")), crs=geo.GCJ02)


def code(boundary: geo.Boundary, lng: float, lat: float, crs: str = geo.WGS84) -> str | None:
    found = boundary.district_at(lng, lat, crs)
    return found.code if found else None


def test_a_point_inside_the_outer_ring_is_in_the_district(squares):
    assert code(squares, 1, 1) == "350901"


def test_a_point_in_a_hole_is_not_in_the_district(squares):
    assert code(squares, 5, 5) is None


def test_a_point_in_the_second_polygon_of_a_multipolygon_is_found(squares):
    assert code(squares, 20.7, 20.2) == "350901"


def test_a_point_on_the_outer_edge_counts_as_inside(squares):
    assert code(squares, 0, 5) == "350901"
    assert code(squares, 3, 0) == "350901"


def test_a_point_on_a_corner_counts_as_inside(squares):
    assert code(squares, 0, 0) == "350901"


def test_a_point_just_outside_the_edge_is_outside(squares):
    assert code(squares, -1e-9, 5) is None
    assert code(squares, 5, 10 + 1e-9) is None


def test_a_point_on_a_holes_edge_counts_as_inside(squares):
    assert code(squares, 4, 5) == "350901"


def test_a_point_on_a_shared_border_goes_to_the_first_district_of_the_file(squares):
    assert code(squares, 10, 5) == "350901"
    assert code(squares, 10 + 1e-9, 5) == "350902"


def test_a_ray_through_a_vertex_is_counted_once(squares):
    # The ray to the right from (−1, 0)… and from (11, 10) passes exactly through vertices.
    assert code(squares, 11, 0) == "350902"
    assert code(squares, -1, 0) is None
    assert code(squares, 11, 10) == "350902"


def test_the_city_name_comes_from_the_file(squares):
    assert squares.city == "测试市"


def test_a_point_in_the_sea_south_of_siming_is_outside_every_district(xiamen):
    assert code(xiamen, 118.15, 24.40) is None
    assert code(xiamen, 118.15, 24.40, geo.GCJ02) is None


def test_a_point_in_haicang_is_found_in_350205(xiamen):
    assert code(xiamen, 118.03, 24.48) == "350205"


def test_xiamen_has_its_six_districts(xiamen):
    assert sorted(d.code for d in xiamen.districts) == ["350203", "350205", "350206", "350211", "350212", "350213"]
    assert xiamen.city == "厦门市"


def test_the_module_functions_read_the_configured_boundary(tmp_path):
    path = tmp_path / "squares.geojson"
    path.write_text(json.dumps(SQUARES), encoding="utf-8")
    with override_settings(KEYPROJ_BOUNDARY_FILE=path, KEYPROJ_BOUNDARY_CRS="wgs84"):
        assert geo.district_at(1, 1) == "350901"
        assert geo.inside_city(11, 1)
        assert not geo.inside_city(5, 5)


def test_a_missing_boundary_file_is_said_as_such(tmp_path):
    with override_settings(KEYPROJ_BOUNDARY_FILE=tmp_path / "none.geojson"), pytest.raises(geo.BoundaryUnavailable):
        geo.district_at(1, 1)


def test_the_conversion_round_trip_stays_within_a_metre():
    for lng, lat in [(118.08, 24.45), (116.39, 39.91), (87.6, 43.8), (121.47, 31.23)]:
        back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lng, lat))
        assert geo.distance_m((lng, lat), back) < 1.0


def test_gcj02_moves_a_point_in_xiamen_by_a_few_hundred_metres():
    moved = geo.distance_m((118.08, 24.45), geo.wgs84_to_gcj02(118.08, 24.45))
    assert 100 < moved < 1000


def test_gcj02_leaves_a_point_outside_china_as_it_is():
    assert geo.wgs84_to_gcj02(2.35, 48.86) == (2.35, 48.86)
    assert geo.gcj02_to_wgs84(2.35, 48.86) == (2.35, 48.86)


def test_the_coordinate_system_is_read_as_people_write_it():
    assert geo.parse_crs("WGS-84") == geo.WGS84
    assert geo.parse_crs("GCJ-02") == geo.GCJ02
    assert geo.parse_crs("") == geo.WGS84
    assert geo.parse_crs("BD-09") is None


def test_a_random_point_is_inside_its_district_and_the_same_for_the_same_seed(xiamen):
    first = geo.random_point_in("350205", random.Random("2019-350205-01"), boundary=xiamen)
    again = geo.random_point_in("350205", random.Random("2019-350205-01"), boundary=xiamen)
    assert first == again
    assert code(xiamen, float(first[0]), float(first[1])) == "350205"


def test_an_encoded_file_of_the_package_is_decoded():
    # One ring of ECharts' compressed form: two points from the offset (118.0, 24.0) × 1024.
    encoded = {
        "type": "FeatureCollection",
        "UTF8Encoding": True,
        "features": [
            {
                "type": "Feature",
                "id": "1",
                "properties": {"name": "x", "childNum": 1},
                "geometry": {"type": "Polygon", "coordinates": ["@@BD"], "encodeOffsets": [[120832, 24576]]},
            }
        ],
    }
    plain = geo.plain_geojson(encoded, name="测试市")
    assert "UTF8Encoding" not in plain
    assert plain["name"] == "测试市"
    assert plain["features"][0]["properties"] == {"name": "x"}
    assert plain["features"][0]["geometry"]["coordinates"] == [[[118.0, 24.0], [118.0 + 1 / 1024, 24.0 + 2 / 1024]]]
