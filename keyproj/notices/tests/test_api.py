from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from keyproj.notices.models import sha256

pytestmark = pytest.mark.django_db
NOTICES = "/api/v1/notices/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def rows(response) -> list[dict]:
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


def test_each_caller_sees_its_own_list(admin_user, siming_officer, outsider, monthly, minutes):
    assert [n["number"] for n in rows(api(admin_user).get(NOTICES))] == [minutes.number, monthly.number]
    assert [n["id"] for n in rows(api(siming_officer).get(NOTICES))] == [monthly.pk]
    assert rows(api(outsider).get(NOTICES)) == []
    assert [n["id"] for n in rows(api(admin_user).get(NOTICES, {"kind": "minutes"}))] == [minutes.pk]


def test_a_notice_comes_with_its_document_text_and_hashes(siming_officer, monthly):
    data = api(siming_officer).get(f"{NOTICES}{monthly.pk}/").json()
    assert data["number"] == "厦重点办〔2019〕1号"
    assert data["kind_display"] == "月度通报"
    assert data["document"]["number"] == data["number"]
    assert "全市357个市重点项目" in data["text"]
    assert data["pdf_sha256"] == monthly.pdf_sha256


def test_the_files_are_downloaded_as_issued(siming_officer, monthly):
    response = api(siming_officer).get(f"{NOTICES}{monthly.pk}/files/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert sha256(response.content) == monthly.pdf_sha256
    assert api(siming_officer).get(f"{NOTICES}{monthly.pk}/files/zip/").status_code == 404


def test_out_of_scope_notices_do_not_exist_for_the_caller(siming_officer, outsider, monthly, minutes):
    assert api(siming_officer).get(f"{NOTICES}{minutes.pk}/").status_code == 404
    assert api(siming_officer).get(f"{NOTICES}{minutes.pk}/files/docx/").status_code == 404
    assert api(outsider).get(f"{NOTICES}{monthly.pk}/").status_code == 404
    assert api(outsider).get(f"{NOTICES}{monthly.pk}/files/pdf/").status_code == 404


def test_anonymous_callers_are_refused(monthly):
    assert api().get(NOTICES).status_code in (401, 403)


def test_notices_cannot_be_written_through_the_api(admin_user, monthly):
    assert api(admin_user).post(NOTICES, {}, format="json").status_code == 405
    assert api(admin_user).delete(f"{NOTICES}{monthly.pk}/").status_code == 405


def test_the_schema_documents_the_notice_endpoints(client, db):
    import json

    from drf_spectacular.validation import validate_schema

    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    validate_schema(schema)
    paths = schema["paths"]
    assert {"/api/v1/notices/", "/api/v1/notices/{id}/", "/api/v1/notices/{id}/files/{fmt}/"} <= paths.keys()
    assert {"kind", "year", "q"} <= {p["name"] for p in paths["/api/v1/notices/"]["get"]["parameters"]}
    fmt = next(p for p in paths["/api/v1/notices/{id}/files/{fmt}/"]["get"]["parameters"] if p["name"] == "fmt")
    assert set(fmt["schema"]["enum"]) == {"docx", "pdf", "xlsx"}
