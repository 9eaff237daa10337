"""A notice's files live in the default storage and are checked against their SHA-256 on every read."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from keyproj.notices.files import file_url
from keyproj.notices.models import StoredFileChanged, sha256

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_the_files_are_stored_by_year_and_number_and_read_back_as_issued(monthly, media):
    assert monthly.pdf.name.startswith("notices/2019/厦重点办-2019-1号-") and monthly.pdf.name.endswith(".pdf")
    assert (media / monthly.docx.name).read_bytes()[:2] == b"PK"
    assert sha256(monthly.file_bytes("pdf")) == monthly.pdf_sha256
    assert sha256(monthly.file_bytes("docx")) == monthly.docx_sha256


def test_a_file_changed_in_the_storage_is_refused_not_served(client, admin_user, monthly, media):
    path = media / monthly.pdf.name
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(StoredFileChanged, match="与印发时记录的SHA-256不一致"):
        monthly.file_bytes("pdf")
    client.force_login(admin_user)
    page = client.get(file_url(monthly, "pdf"))
    assert page.status_code == 500 and "已被改动，不能提供" in page.content.decode()
    api = client.get(f"/api/v1/notices/{monthly.pk}/files/pdf/")
    assert api.status_code == 500 and "已被改动" in api.json()["detail"]


def test_a_file_missing_from_the_storage_is_refused(monthly):
    default_storage.delete(monthly.docx.name)
    with pytest.raises(StoredFileChanged, match="在存储中不存在"):
        monthly.file_bytes("docx")


def test_a_notice_not_written_leaves_no_file_behind(issue, media, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr("keyproj.notices.services.audit.log", fail)
    with pytest.raises(RuntimeError):
        issue()
    assert not [p for p in media.rglob("*") if p.is_file()]
