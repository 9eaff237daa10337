"""GET /api/v1/open-data/oc4ids/: public with KEYPROJ_PUBLIC, otherwise signed-in and scoped through visible_to."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from keyproj.accounts.models import User
from keyproj.opendata.oc4ids import build_package
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/open-data/oc4ids/"


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for this module."""


@pytest.fixture
def public(settings):
    settings.KEYPROJ_PUBLIC = True


@pytest.fixture
def private(settings):
    settings.KEYPROJ_PUBLIC = False


def districts(package):
    return {p["locations"][0]["gazetteer"]["identifiers"][0] for p in package["projects"]}


def test_the_route_has_its_name():
    assert reverse("api:open-data-oc4ids") == URL


def test_anyone_gets_the_whole_package_when_the_site_is_public(client, public):
    response = client.get(URL, {"period": "2019-07"})

    assert response.status_code == 200
    package = json.loads(b"".join(response.streaming_content))
    assert package["version"] == "0.9"
    assert len(package["projects"]) == 357


def test_an_anonymous_caller_is_refused_when_the_site_is_not_public(client, private):
    assert client.get(URL, {"period": "2019-07"}).status_code in (401, 403)


def test_an_outsider_is_told_there_is_no_project_they_may_see(client, private):
    client.force_login(make_user("open-data-outsider"))

    response = client.get(URL, {"period": "2019-07"})

    # Not an empty package: the standard requires a package to hold at least one project.
    assert response.status_code == 404
    assert "没有您可查看的已公开项目" in response.content.decode()


def test_a_district_officer_gets_only_their_districts_projects(client, private):
    client.force_login(User.objects.get(username="siming"))

    package = client.get(URL, {"period": "2019-07"}).json()

    assert len(package["projects"]) == 32
    assert districts(package) == {"350203"}


def test_the_office_gets_every_project(client, private):
    client.force_login(User.objects.get(username="admin"))
    response = client.get(URL, {"period": "2019-07"})
    assert len(json.loads(b"".join(response.streaming_content))["projects"]) == 357


@pytest.mark.parametrize("period", ["", "2019-13", "2019-7x", "19-07", "2019-07\n"])
def test_a_bad_or_missing_period_is_refused_with_400_in_the_one_shape(client, public, period):
    response = client.get(URL, {"period": period} if period else {})

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and body["problems"]


@pytest.mark.parametrize("period", ["2019-08", "2018-12"])
def test_a_month_not_published_is_404_and_the_public_is_not_told_why(client, public, period):
    response = client.get(URL, {"period": period})

    assert response.status_code == 404
    assert response.json()["detail"] == "该月未公开"


@pytest.mark.parametrize(("period", "message"), [("2019-08", "尚未关账"), ("2018-12", "尚未关账")])
def test_a_signed_in_caller_is_told_why_a_month_is_not_published(client, private, period, message):
    client.force_login(User.objects.get(username="siming"))

    response = client.get(URL, {"period": period})

    assert response.status_code == 404
    assert message in response.json()["detail"]


def test_the_api_schema_documents_the_endpoint(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    assert operation["operationId"] == "open_data_oc4ids"
    assert {"200", "400", "404"} <= set(operation["responses"])


def test_a_scoped_package_names_the_apis_address_not_the_public_downloads(client, private, settings):
    client.force_login(User.objects.get(username="siming"))

    package = client.get(URL, {"period": "2019-7"}).json()

    # The public download's address names everyone's package; this one is another package.
    assert package["uri"] == "http://testserver/api/v1/open-data/oc4ids/?period=2019-07"
    assert package["uri"] != f"{settings.KEYPROJ_PUBLIC_URL}/public/2019-07/oc4ids.json"


def test_the_callers_scope_reaches_the_database_as_a_subquery(client, private, monkeypatch):
    from django.db.models import QuerySet

    from keyproj.opendata import api

    asked = {}

    def spy(period, **kwargs):
        asked.update(kwargs)
        return build_package(period, **kwargs)

    monkeypatch.setattr(api, "build_package", spy)
    client.force_login(User.objects.get(username="siming"))

    assert client.get(URL, {"period": "2019-07"}).status_code == 200
    # Not a Python set of every visible id: the database filters the year's rows by it.
    assert isinstance(asked["project_ids"], QuerySet)
