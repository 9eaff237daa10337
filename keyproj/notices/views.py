"""The pages of 通报: the list of issued notices, one notice with its text, and its files.

A notice the user may not read does not exist for them (404). Bad filter values are
dropped with a message in Chinese, never a server error.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from keyproj.core.scoping import scoped_object_or_404
from keyproj.notices.document import to_text, to_xlsx
from keyproj.notices.filters import NoticeFilterSet
from keyproj.notices.models import Notice, NoticeKind
from keyproj.notices.pdf import document_context

PAGE_SIZE = 30
# A download's media type per format; xlsx holds the notice's tables, rendered from the stored document.
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Columns the list needs: the file bytes stay in the database until someone downloads them.
LIST_FIELDS = (
    "id",
    "kind",
    "year",
    "sequence",
    "number",
    "title",
    "date",
    "period_label",
    "issued_at",
    "withdrawn_at",
    "withdrawn_reason",
)


def notice_filename(notice: Notice, fmt: str) -> str:
    """The file name offered for a download: 文号 and title, without characters file systems refuse."""
    stem = f"{notice.number} {notice.title}".strip() if notice.number else notice.title
    for bad in '\\/:*?"<>|':
        stem = stem.replace(bad, "_")
    return f"{stem[:120]}.{fmt}"


def document_tables(notice: Notice) -> list[Any]:
    """Every table of the notice, body first then attachments (what the xlsx holds)."""
    doc = notice.official_document
    return [t for s in doc.sections for t in s.tables] + list(doc.attachments)


@require_safe
@login_required
def notice_index(request: HttpRequest) -> HttpResponse:
    """通报: the notices the user may read, newest first, filtered by kind, year and text."""
    visible = Notice.objects.visible_to(request.user)
    filterset = NoticeFilterSet(request.GET or None, queryset=visible.only(*LIST_FIELDS))
    problems: list[str] = []
    if filterset.is_bound and not filterset.is_valid():
        for name, errors in filterset.errors.items():
            label = str(filterset.filters[name].label) if name in filterset.filters else name
            problems += [gettext("%(field)s：%(error)s（已忽略）") % {"field": label, "error": e} for e in errors]
        clean = {k: v for k, v in request.GET.items() if k not in filterset.errors}
        filterset = NoticeFilterSet(clean, queryset=visible.only(*LIST_FIELDS))
    notices = filterset.qs.order_by("-date", "kind", "-sequence", "-pk")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    values = {name: request.GET.get(name, "") for name in ("kind", "year", "q")}
    query = urlencode({k: v for k, v in values.items() if v and k not in filterset.errors})
    years = visible.order_by("-year").values_list("year", flat=True).distinct()
    context = {
        "nav": "notices",
        "page": page,
        "notices": page.object_list,
        "kinds": NoticeKind.choices,
        "years": list(years),
        "values": values,
        "query": query,
        "problems": problems,
    }
    return render(request, "notices/index.html", context)


@require_safe
@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice: its particulars, the text as issued, and the files."""
    notice = scoped_object_or_404(Notice.objects.defer("docx", "pdf"), request.user, pk=pk)
    doc = notice.official_document
    context = {
        **document_context(doc),
        "nav": "notices",
        "notice": notice,
        "text": to_text(doc),
        "has_tables": bool(document_tables(notice)),
    }
    return render(request, "notices/detail.html", context)


@require_safe
@login_required
def notice_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A notice's docx or pdf as issued (the stored bytes), or its tables as xlsx."""
    if fmt not in MEDIA_TYPES:
        raise Http404
    return file_response(scoped_object_or_404(Notice, request.user, pk=pk), fmt)


def file_response(notice: Notice, fmt: str) -> HttpResponse:
    """A notice's file as a download (pages and API): the stored docx or pdf, or its tables as xlsx (404 if none)."""
    if fmt == "xlsx":
        tables = document_tables(notice)
        if not tables:
            raise Http404
        data = to_xlsx(tables)
    else:
        data = notice.file_bytes(fmt)
    response = HttpResponse(data, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, notice_filename(notice, fmt)) or "attachment"
    return response
