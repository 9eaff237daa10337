"""The audit log for the office: every recorded change, filtered, paged in the database, exported.

The log is the office's to read (the check accounts registers, keyproj.core.audit.may_read);
for anyone else the page does not exist (404), as anything out of their scope.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from keyproj.core import audit, clock, xlsx
from keyproj.core.downloads import download
from keyproj.core.filtersets import AuditEntryFilterSet
from keyproj.core.models import AuditEntry

PAGE_SIZE = 50
# An export holds at most this many entries (newest first); the page says so.
EXPORT_LIMIT = 50_000
DATE_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _filtered(request: HttpRequest) -> AuditEntryFilterSet:
    if not audit.may_read(request.user):
        raise Http404
    entries = AuditEntry.objects.select_related("user", "content_type").order_by("-at", "-id")
    return AuditEntryFilterSet(request.GET or None, queryset=entries, request=request)


def _entries(filterset: AuditEntryFilterSet) -> QuerySet[AuditEntry]:
    # A filter that does not make sense (a user who is gone, a date like 2019-13-01) shows and exports
    # nothing rather than everything; the form says what was wrong.
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def _who(entry: AuditEntry) -> str:
    user = entry.user
    if user is None:
        return gettext("系统")
    return str(getattr(user, "get_full_name", lambda: "")() or user)


def _object_type(entry: AuditEntry) -> str:
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else entry.content_type.model


def _changed(entry: AuditEntry) -> list[str]:
    """The columns an entry changed, by their names on the forms (状态, 本月完成投资)."""
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict) or not before:
        return []
    model = entry.content_type.model_class()
    names = {}
    if model is not None:
        names = {field.attname: str(field.verbose_name) for field in model._meta.concrete_fields}
    keys = [key for key in {**before, **after} if before.get(key) != after.get(key)]
    return [names.get(key, key) for key in keys]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The log, newest first, 50 entries a page."""
    filterset = _filtered(request)
    page = Paginator(_entries(filterset), PAGE_SIZE).get_page(request.GET.get("page"))
    rows: list[dict[str, Any]] = [
        {"entry": entry, "who": _who(entry), "object_type": _object_type(entry), "changed": _changed(entry)}
        for entry in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {
            "nav": "audit",
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "export_limit": EXPORT_LIMIT,
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The filtered log as a workbook, newest first, at most EXPORT_LIMIT entries."""
    filterset = _filtered(request)
    return download(
        workbook(_entries(filterset)[:EXPORT_LIMIT]),
        gettext("审计日志-%(day)s.xlsx") % {"day": clock.today().strftime("%Y%m%d")},
    )


def headings() -> list[tuple[str, int]]:
    return [
        (gettext("时间"), 20),
        (gettext("业务日期"), 12),
        (gettext("操作人"), 16),
        (gettext("操作"), 20),
        (gettext("操作代码"), 24),
        (gettext("对象类型"), 14),
        (gettext("对象ID"), 10),
        (gettext("对象"), 40),
        (gettext("变更内容"), 30),
        (gettext("请求/命令ID"), 24),
    ]


def workbook(entries: Any) -> bytes:
    """One row per entry; every text cell written through keyproj.core.xlsx (text never a formula)."""
    book = xlsx.new_workbook(write_only=True)
    sheet = book.create_sheet(gettext("审计日志"))
    xlsx.heading_row(sheet, headings())
    for entry in entries.iterator(chunk_size=2000):
        values: list[Any] = [
            timezone.localtime(entry.at).replace(tzinfo=None),  # a workbook holds no time zone
            entry.business_day,
            _who(entry),
            entry.action_label,
            entry.action,
            _object_type(entry),
            entry.object_id,
            entry.object_repr,
            "、".join(_changed(entry)),
            entry.request_id,
        ]
        cells = []
        for position, value in enumerate(values):
            cell = xlsx.cell(sheet, value)
            if position == 0:
                cell.number_format = MOMENT_FORMAT
            elif position == 1 and value is not None:
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        xlsx.append(sheet, cells)
    return xlsx.to_bytes(book)
