"""The photos API: list and add on a return or a site visit, scoped, refusals in the one error shape."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keyproj.core.scoping import CONSOLE
from keyproj.photos.models import Photo
from keyproj.photos.services import add_photo
from keyproj.photos.tests.images import jpeg
from keyproj.problems.models import SiteVisit
from keyproj.returns.models import ProgressReturn
from keyproj.returns.services import ReturnData, save_returns
from keyproj.testing import AFTER_2019


@pytest.fixture
def july(siming_project, owner_user):
    item = ReturnData(project=siming_project, year=2019, month=7, investment=Decimal("100"), started=True)
    save_returns([item], user=owner_user, today=AFTER_2019)
    return ProgressReturn.objects.get(project=siming_project, year=2019, month=7)


def post(client, url, content, **more):
    return client.post(url, {"photo": SimpleUploadedFile("p.jpg", content), **more})


def test_the_owner_adds_a_photo_and_gets_its_facts_and_flags(client, owner_user, july):
    client.force_login(owner_user)
    response = post(client, f"/api/v1/returns/{july.pk}/photos/", jpeg(dt.datetime(2019, 6, 1, 8), point=(24.5, 118.1)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["flags"] == [{"code": "photo_month", "message": "拍摄于2019年6月，不在填报月份2019年7月"}]
    assert (body["kind"], body["project"], body["gps_lat"]) == ("jpg", july.project.code, "24.500000")
    assert body["url"] == f"/photos/{body['id']}/file/"
    listed = client.get(f"/api/v1/returns/{july.pk}/photos/").json()
    assert [p["id"] for p in listed] == [body["id"]]


def test_a_refusal_comes_in_the_apis_one_shape(client, owner_user, july):
    client.force_login(owner_user)
    response = post(client, f"/api/v1/returns/{july.pk}/photos/", b"not an image at all")
    assert response.status_code == 400
    body = response.json()
    assert body["problems"][0]["field"] == "photo"
    assert "不是照片" in body["problems"][0]["message"]
    assert body["detail"]
    assert not Photo.objects.exists()


def test_a_missing_file_is_a_refusal_too(client, owner_user, july):
    client.force_login(owner_user)
    response = client.post(f"/api/v1/returns/{july.pk}/photos/", {})
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "photo"


@pytest.mark.parametrize("who", ["outsider", "haicang_officer"])
def test_out_of_scope_is_404(client, request, who, july):
    add_photo(july, jpeg(), user=CONSOLE)
    visit = SiteVisit.objects.create(visited_on=dt.date(2019, 7, 10), team="一组")
    visit.projects.set([july.project])
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/api/v1/returns/{july.pk}/photos/").status_code == 404
    assert post(client, f"/api/v1/returns/{july.pk}/photos/", jpeg()).status_code == 404
    assert client.get(f"/api/v1/site-visits/{visit.pk}/photos/").status_code == 404
    assert Photo.objects.count() == 1


def test_a_site_visits_photo_names_its_project_by_code(client, admin_user, siming_project, haicang_project):
    visit = SiteVisit.objects.create(visited_on=dt.date(2019, 7, 10), team="一组")
    visit.projects.set([siming_project, haicang_project])
    client.force_login(admin_user)
    url = f"/api/v1/site-visits/{visit.pk}/photos/"
    refused = post(client, url, jpeg(dt.datetime(2019, 7, 10, 9)))
    assert refused.status_code == 400
    assert refused.json()["problems"][0]["field"] == "project"
    added = post(client, url, jpeg(dt.datetime(2019, 7, 10, 9)), project=haicang_project.code)
    assert added.status_code == 201
    assert added.json()["project"] == haicang_project.code


def test_an_oversized_request_is_refused_before_it_is_read(client, owner_user, july):
    client.force_login(owner_user)
    response = client.post(
        f"/api/v1/returns/{july.pk}/photos/",
        {"photo": SimpleUploadedFile("a.jpg", jpeg())},
        CONTENT_LENGTH=str(1 << 30),
    )
    assert response.status_code == 400
    assert "上传内容过大" in response.json()["detail"]
    assert not Photo.objects.exists()
