"""The pages of 通报: the list of issued notices, one notice with its text, and its files (keyproj.notices.files).

A notice the user may not read does not exist for them (404). Bad filter values are
dropped with a message in Chinese, never a server error.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from keyproj.core.scoping import scoped_object_or_404
from keyproj.notices import files
from keyproj.notices.document import to_text
from keyproj.notices.filtersets import NoticeFilterSet
from keyproj.notices.models import Notice, NoticeKind
from keyproj.notices.pdf import document_context
from keyproj.notices.querysets import LIST_FIELDS

PAGE_SIZE = 30


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
    for notice in page.object_list:
        notice.files = {fmt: files.file_url(notice, fmt) for fmt in files.FORMATS}
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
        "has_tables": bool(files.document_tables(notice)),
        "files": {fmt: files.file_url(notice, fmt) for fmt in files.FORMATS},
    }
    return render(request, "notices/detail.html", context)


@require_safe
@login_required
def notice_file(request: HttpRequest, pk: int, sha: str, fmt: str) -> HttpResponse:
    """A notice's docx or pdf as issued: the stored bytes, at the address naming their hash."""
    notice = scoped_object_or_404(Notice, request.user, pk=pk)
    return files.stored_file(notice, sha, fmt)


@require_safe
@login_required
def notice_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A notice's tables as xlsx; its docx or pdf is sent on to the address naming the file's hash."""
    if fmt not in files.FORMATS:
        raise Http404
    notice = scoped_object_or_404(Notice.objects.defer("docx", "pdf"), request.user, pk=pk)
    if fmt in files.STORED:
        return redirect(files.file_url(notice, fmt))
    return files.tables_file(notice)
