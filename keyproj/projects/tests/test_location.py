"""A project's point: set through the service, the page's POST and the API; refused with the reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from keyproj.core import geo
from keyproj.core.errors import Refused
from keyproj.core.models import AuditEntry
from keyproj.projects.services import set_location

pytestmark = pytest.mark.django_db

# WGS-84 points of the demo boundary (checked in keyproj/core/tests/test_geo.py's terms).
SIMING = ("118.09", "24.47")
HAICANG = ("118.03", "24.48")
SEA = ("118.15", "24.40")
# Siming in WGS-84, but Huli when the same numbers are read as GCJ-02.
SIMING_OR_HULI = ("118.11", "24.50")


def reasons(refused: pytest.ExceptionInfo[Refused]) -> list[str]:
    return [p.message for p in refused.value.problems]


def test_a_point_inside_the_projects_district_is_stored_in_wgs84(siming_project, admin_user):
    set_location(siming_project, lng=SIMING[0], lat=SIMING[1], crs="wgs84", user=admin_user)
    siming_project.refresh_from_db()
    assert (siming_project.lng, siming_project.lat) == (Decimal("118.090000"), Decimal("24.470000"))
    assert siming_project.version == 2
    assert AuditEntry.objects.filter(object_id=str(siming_project.pk), action="project.locate").count() == 1


def test_a_gcj02_point_is_converted_before_it_is_stored(siming_project, admin_user):
    lng, lat = geo.wgs84_to_gcj02(118.09, 24.47)
    set_location(siming_project, lng=lng, lat=lat, crs="GCJ-02", user=admin_user)
    siming_project.refresh_from_db()
    assert abs(siming_project.lng - Decimal("118.09")) <= Decimal("0.000001")
    assert abs(siming_project.lat - Decimal("24.47")) <= Decimal("0.000001")


def test_a_point_in_the_sea_is_refused_with_the_reason(siming_project, admin_user):
    with pytest.raises(Refused) as refused:
        set_location(siming_project, lng=SEA[0], lat=SEA[1], crs="wgs84", user=admin_user)
    assert reasons(refused) == ["该点不在厦门市范围内（可能在海上）"]
    siming_project.refresh_from_db()
    assert siming_project.lng is None


def test_a_point_in_another_district_is_refused_naming_both(siming_project, admin_user):
    with pytest.raises(Refused) as refused:
        set_location(siming_project, lng=HAICANG[0], lat=HAICANG[1], crs="wgs84", user=admin_user)
    assert reasons(refused) == ["该点位于海沧区，而项目所属区为思明区"]


def test_the_coordinate_system_decides_the_district(siming_project, admin_user):
    set_location(siming_project, lng=SIMING_OR_HULI[0], lat=SIMING_OR_HULI[1], crs="wgs84", user=admin_user)
    with pytest.raises(Refused) as refused:
        set_location(siming_project, lng=SIMING_OR_HULI[0], lat=SIMING_OR_HULI[1], crs="gcj02", user=admin_user)
    assert reasons(refused) == ["该点位于湖里区，而项目所属区为思明区"]


@pytest.mark.parametrize(
    ("lng", "lat", "expected"),
    [
        ("东经118", "24.47", "“东经118”不是数字"),
        ("118.09", "nan", "“nan”不是数字"),
        ("181", "24.47", "应在-180到180之间"),
        ("118.09", "-91", "应在-90到90之间"),
        ("118.09", "", "经度和纬度须同时填写"),
    ],
)
def test_values_that_are_not_a_point_are_refused(siming_project, admin_user, lng, lat, expected):
    with pytest.raises(Refused) as refused:
        set_location(siming_project, lng=lng, lat=lat, crs="wgs84", user=admin_user)
    assert expected in reasons(refused)


def test_an_unknown_coordinate_system_is_refused(siming_project, admin_user):
    with pytest.raises(Refused) as refused:
        set_location(siming_project, lng=SIMING[0], lat=SIMING[1], crs="BD-09", user=admin_user)
    assert reasons(refused) == ["“BD-09”不是WGS-84或GCJ-02"]


def test_both_blank_clears_the_point(siming_project, admin_user):
    set_location(siming_project, lng=SIMING[0], lat=SIMING[1], user=admin_user)
    set_location(siming_project, lng="", lat=None, user=admin_user)
    siming_project.refresh_from_db()
    assert (siming_project.lng, siming_project.lat) == (None, None)


def test_the_owner_and_agent_builder_may_set_the_point(siming_project, owner_user, agent_user):
    set_location(siming_project, lng=SIMING[0], lat=SIMING[1], user=owner_user)
    set_location(siming_project, lng="118.1", lat="24.46", user=agent_user)


@pytest.mark.parametrize("who", ["siming_officer", "leader_user", "unit_officer"])
def test_others_who_see_the_project_may_not_set_its_point(siming_project, request, who):
    with pytest.raises(PermissionDenied):
        set_location(siming_project, lng=SIMING[0], lat=SIMING[1], user=request.getfixturevalue(who))


# -- the page's POST ---------------------------------------------------------------------------
def url(project):
    return reverse("projects:location", args=[project.pk])


def test_the_page_sets_the_point_and_answers_json(client, siming_project, admin_user):
    client.force_login(admin_user)
    response = client.post(url(siming_project), {"lng": SIMING[0], "lat": SIMING[1], "crs": "wgs84"})
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "lng": "118.090000",
        "lat": "24.470000",
        "crs": "wgs84",
        "district": {"code": "350203", "name": "思明区"},
        "version": 2,
    }


def test_the_page_answers_a_refusal_with_400_and_the_reason(client, siming_project, admin_user):
    client.force_login(admin_user)
    response = client.post(url(siming_project), {"lng": SEA[0], "lat": SEA[1], "crs": "wgs84"})
    assert response.status_code == 400
    assert response.json()["detail"] == "该点不在厦门市范围内（可能在海上）"
    assert response.json()["problems"][0]["field"] == "lng"


def test_an_outsider_gets_404_from_the_page(client, siming_project, haicang_officer):
    client.force_login(haicang_officer)
    assert client.post(url(siming_project), {"lng": SIMING[0], "lat": SIMING[1]}).status_code == 404


def test_one_who_sees_but_may_not_set_gets_403(client, siming_project, siming_officer):
    client.force_login(siming_officer)
    assert client.post(url(siming_project), {"lng": SIMING[0], "lat": SIMING[1]}).status_code == 403


def test_the_page_takes_only_post(client, siming_project, admin_user):
    client.force_login(admin_user)
    assert client.get(url(siming_project)).status_code == 405


def test_the_project_page_shows_the_point(client, siming_project, admin_user):
    set_location(siming_project, lng=SIMING[0], lat=SIMING[1], user=admin_user)
    client.force_login(admin_user)
    page = client.get(siming_project.get_absolute_url()).content.decode()
    assert "118.090000, 24.470000" in page
    assert url(siming_project) in page


# -- the API -----------------------------------------------------------------------------------
def api_url(project):
    return f"/api/v1/projects/{project.pk}/location/"


def test_the_api_sets_the_point_and_the_project_carries_it(client, siming_project, admin_user):
    client.force_login(admin_user)
    lng, lat = geo.wgs84_to_gcj02(118.09, 24.47)
    response = client.post(api_url(siming_project), {"lng": lng, "lat": lat, "crs": "gcj02"}, "application/json")
    assert response.status_code == 200
    assert (response.json()["lng"], response.json()["lat"]) == ("118.090000", "24.470000")
    detail = client.get(f"/api/v1/projects/{siming_project.pk}/").json()
    assert (detail["lng"], detail["lat"]) == ("118.090000", "24.470000")


def test_the_api_refuses_another_district_by_field(client, siming_project, admin_user):
    client.force_login(admin_user)
    response = client.post(api_url(siming_project), {"lng": 118.03, "lat": 24.48}, "application/json")
    assert response.status_code == 400
    assert response.json()["problems"] == [{"field": "lng", "message": "该点位于海沧区，而项目所属区为思明区"}]


def test_the_api_refuses_text_for_a_number(client, siming_project, admin_user):
    client.force_login(admin_user)
    response = client.post(api_url(siming_project), {"lng": "东经118", "lat": 24.48}, "application/json")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "lng"


def test_an_outsider_gets_404_from_the_api(client, siming_project, haicang_officer):
    client.force_login(haicang_officer)
    response = client.post(api_url(siming_project), {"lng": 118.09, "lat": 24.47}, "application/json")
    assert response.status_code == 404


# -- a move to another district ----------------------------------------------------------------
def moved(project, district, **more):
    from keyproj.projects.services import ProjectData

    return ProjectData(
        code=project.code,
        name=project.name,
        level=project.level,
        category=project.category,
        district=district,
        responsible_unit=project.responsible_unit,
        owner=project.owner,
        total_investment=project.total_investment,
        only=frozenset({"district", *more}),
        **more,
    )


def test_a_project_cannot_move_to_another_district_leaving_its_point_behind(siming_project, haicang, admin_user):
    from keyproj.projects.services import save_projects

    set_location(siming_project, lng=SIMING[0], lat=SIMING[1], user=admin_user)
    with pytest.raises(Refused) as refused:
        save_projects([moved(siming_project, haicang)], user=admin_user)
    assert "已有坐标不在新的所属区内" in reasons(refused)[0]
    count = save_projects(
        [moved(siming_project, haicang, lng=Decimal(HAICANG[0]), lat=Decimal(HAICANG[1]))], user=admin_user
    )
    assert count.updated == 1
