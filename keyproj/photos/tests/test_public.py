"""Photos are never public: the demo's OC4IDS package and /public/ pages hold no photo, address or GPS point."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.opendata.oc4ids import build_package
from keyproj.opendata.published import published_close, published_projects
from keyproj.photos.services import add_photo
from keyproj.photos.tests.images import jpeg
from keyproj.returns.models import ProgressReturn

pytestmark = pytest.mark.django_db

JULY = Period(2019, 7)
POINT = (24.513579, 118.124681)  # digits that appear nowhere else


@pytest.fixture
def photographed(demo_for_module, settings):
    """A published project with a photo (with GPS) on its July return."""
    settings.KEYPROJ_PUBLIC = True
    code = published_projects(published_close(JULY))[0]["code"]
    ret = ProgressReturn.objects.get(project__code=code, year=2019, month=7)
    photo = add_photo(ret, jpeg(dt.datetime(2019, 6, 3, 10), point=POINT), user=CONSOLE, name="公开测试.jpg")
    return code, photo


def _absent(text: str, photo) -> None:
    for needle in ("/photos/", photo.token, "公开测试", "24.513579", "118.124681", "24.51358", "118.12468", "现场照片"):
        assert needle not in text, needle


def test_the_oc4ids_package_holds_no_photo_and_no_gps(photographed):
    code, photo = photographed
    package = json.dumps(build_package(JULY), ensure_ascii=False)
    assert code in package
    _absent(package, photo)


def test_the_public_pages_hold_no_photo_and_no_gps(client, photographed):
    code, photo = photographed
    for url in (
        reverse("public:index"),
        reverse("public:month", args=["2019-07"]),
        reverse("public:project", args=["2019-07", code]),
        reverse("public:project_en", args=["2019-07", code]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _absent(response.content.decode(), photo)


def test_an_anonymous_visitor_gets_no_photo_file(client, photographed):
    _code, photo = photographed
    for url in (f"/photos/{photo.pk}/file/", f"/photos/{photo.pk}/thumbnail/"):
        assert client.get(url).status_code in (302, 404)
