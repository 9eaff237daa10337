"""The projects' points in what is published: the demo's are inside their districts, the package's are GeoJSON."""

from __future__ import annotations

import pytest

from keyproj.core import geo
from keyproj.core.period import Period
from keyproj.opendata.oc4ids import build_package
from keyproj.opendata.published import published_close, published_projects
from keyproj.projects.models import Project

pytestmark = pytest.mark.django_db

JULY = Period(2019, 7)


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for the open-data tests."""


def test_every_demo_project_has_a_point_inside_its_own_district():
    projects = list(Project.objects.select_related("district"))
    assert projects
    for project in projects:
        assert project.lng is not None, project.code
        assert geo.district_at(float(project.lng), float(project.lat)) == project.district.code, project.code


def test_the_published_row_carries_the_point_as_wgs84_strings():
    rows = published_projects(published_close(JULY))
    stored = dict(Project.objects.values_list("code", "lng"))
    for row in rows[:20]:
        assert row["lng"] == str(stored[row["code"]])
        assert isinstance(row["lat"], str)


def test_the_package_writes_each_point_as_a_geojson_point_longitude_first():
    package = build_package(JULY)
    stored = {code: (float(lng), float(lat)) for code, lng, lat in Project.objects.values_list("code", "lng", "lat")}
    for project in package["projects"]:
        code = project["identifiers"][0]["id"]
        geometry = project["locations"][0]["geometry"]
        assert geometry["type"] == "Point"
        assert geometry["coordinates"] == list(stored[code])
        assert all(isinstance(value, float) for value in geometry["coordinates"])
