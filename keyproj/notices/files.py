"""A notice's files: the stored docx and pdf, served by their hash, and its tables as xlsx.

An issued notice's docx and pdf are the bytes stored when it was issued (in the default
storage), whose SHA-256 was recorded beside them and is checked on every read. They are served
at one address per file, which names the first characters of that hash
(`/notices/<id>/<sha256 prefix>.<fmt>`): a link names exactly the file that was issued, and an
address whose hash is not the file's answers 404. The xlsx holds the notice's tables, rendered
from the stored document (nothing of it is stored).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.urls import reverse

from keyproj.core.downloads import download
from keyproj.notices.document import to_xlsx
from keyproj.notices.models import Notice, StoredFileChanged

logger = logging.getLogger(__name__)

# The stored files, served by their hash; xlsx is rendered from the stored document's tables.
STORED = ("docx", "pdf")
FORMATS = (*STORED, "xlsx")
# How much of the SHA-256 an address names: enough that no two files of keyproj share it.
SHA_SHOWN = 16


def notice_filename(notice: Notice, fmt: str) -> str:
    """The file name offered for a download: 文号 and title, without characters file systems refuse."""
    stem = f"{notice.number} {notice.title}".strip() if notice.number else notice.title
    for bad in '\\/:*?"<>|':
        stem = stem.replace(bad, "_")
    return f"{stem[:120]}.{fmt}"


def stored_hash(notice: Notice, fmt: str) -> str:
    """The recorded SHA-256 of a stored file (docx or pdf)."""
    return str(getattr(notice, f"{fmt}_sha256"))


def file_url(notice: Notice, fmt: str) -> str:
    """The one address of a stored file (docx, pdf), naming its hash; the tables' address for xlsx."""
    if fmt in STORED:
        return reverse("notices:file", args=[notice.pk, stored_hash(notice, fmt)[:SHA_SHOWN], fmt])
    return reverse("notices:download", args=[notice.pk, fmt])


def document_tables(notice: Notice) -> list[Any]:
    """Every table of the notice, body first then attachments (what the xlsx holds)."""
    doc = notice.official_document
    return [t for s in doc.sections for t in s.tables] + list(doc.attachments)


def stored_file(notice: Notice, sha: str, fmt: str) -> HttpResponse:
    """The stored docx or pdf, when `sha` begins its recorded hash (404 otherwise).

    A file missing from the storage, or changed there since it was issued, is not served: the
    answer is a server error that says which file and what to do (restore it from a backup).
    """
    if fmt not in STORED or len(sha) < SHA_SHOWN or not stored_hash(notice, fmt).startswith(sha.lower()):
        raise Http404
    try:
        content = notice.file_bytes(fmt)
    except StoredFileChanged as refused:
        logger.error("stored notice file refused: %s", refused)
        return HttpResponseServerError(str(refused), content_type="text/plain; charset=utf-8")
    return download(content, notice_filename(notice, fmt))


def tables_file(notice: Notice) -> HttpResponse:
    """The notice's tables as xlsx (404 when it has none)."""
    tables = document_tables(notice)
    if not tables:
        raise Http404
    return download(to_xlsx(tables), notice_filename(notice, "xlsx"))


def file_response(notice: Notice, fmt: str) -> HttpResponse:
    """A notice's file by format (the API's files route): the stored docx or pdf, or its tables as xlsx.

    A stored file that fails its check is answered in the API's error shape ({"detail": …})."""
    if fmt in STORED:
        response = stored_file(notice, stored_hash(notice, fmt), fmt)
        if response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR:
            detail = response.content.decode()
            return JsonResponse(
                {"detail": detail}, status=response.status_code, json_dumps_params={"ensure_ascii": False}
            )
        return response
    if fmt == "xlsx":
        return tables_file(notice)
    raise Http404
