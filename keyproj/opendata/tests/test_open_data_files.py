"""The stored downloads: built once per version, never served half-written, rebuilt when what shapes them changes."""

from __future__ import annotations

import gzip
import json

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from keyproj.core.period import Period
from keyproj.opendata import files
from keyproj.opendata.published import published_close

pytestmark = pytest.mark.django_db
JULY = "2019-07"


@pytest.fixture
def public(demo_for_module, settings):
    settings.KEYPROJ_PUBLIC = True


@pytest.fixture
def july(demo_for_module):
    return published_close(Period(2019, 7))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, fmt="json", **headers):
    return client.get(reverse("public:package", args=[JULY, fmt]), **headers)


def test_a_half_written_file_is_never_served(client, public, july):
    # What a build that died leaves behind: a file, but no manifest saying the version is whole.
    for name in default_storage.listdir("opendata/2019-07")[0] if default_storage.exists("opendata/2019-07") else []:
        for file in default_storage.listdir(f"opendata/2019-07/{name}")[1]:
            default_storage.delete(f"opendata/2019-07/{name}/{file}")
    default_storage.save(f"opendata/2019-07/{files.version(july)}/keyproj-oc4ids-2019-07.json", ContentFile(b'{"pro'))

    package = json.loads(body(download(client)))

    assert len(package["projects"]) == 357
    assert files.is_built(july)


def test_while_another_builds_the_visitor_is_asked_to_come_back(client, public, july, settings):
    settings.KEYPROJ_PUBLIC_URL = "https://zdxm.example.gov.cn"  # a version nobody has built yet
    cache.add(f"opendata:build:{files.version(july)}", 1, 60)
    try:
        response = download(client)
    finally:
        cache.delete(f"opendata:build:{files.version(july)}")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert not files.is_built(july)


def test_a_new_prefix_is_a_new_version_and_the_old_one_is_removed(client, public, july, settings):
    body(download(client))
    old = files.version(july)

    settings.KEYPROJ_OC4IDS_PREFIX = "oc4ids-abc123"
    package = json.loads(body(download(client)))

    assert files.version(july) != old
    assert all(project["id"].startswith("oc4ids-abc123-") for project in package["projects"])
    assert files.stored_versions(july.period) == [files.version(july)]


def test_gzip_refused_with_q_0_is_not_sent(client, public, july):
    plain = download(client, HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    zipped = download(client, HTTP_ACCEPT_ENCODING="br, gzip;q=0.5")

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(zipped)) == body(plain)
