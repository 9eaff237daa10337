"""The workbook pages: upload the returns workbook, download its empty template or a month prefilled.

They live here, above returns, because they read and write through the interchange formats;
the returns area links to them by name (its tabs and entry page) and lends them its tabs.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from keyproj.accounts.permissions import is_office
from keyproj.core import clock, xlsx
from keyproj.core.downloads import download
from keyproj.core.params import page_period
from keyproj.core.scoping import scope_for
from keyproj.exchange.formats import RETURNS
from keyproj.exchange.importer import import_workbook
from keyproj.exchange.writer import build_template
from keyproj.returns import entry
from keyproj.returns.views.common import tabs


def _reports(user: Any) -> bool:
    return is_office(user) or entry.reportable_projects(user).exists()


@require_http_methods(["GET", "POST"])
@login_required
def returns_upload(request: HttpRequest) -> HttpResponse:
    """Upload the returns workbook: every bad row and column is listed, or the count written (as submitted)."""
    user = request.user
    if not _reports(user):
        raise PermissionDenied
    context: dict[str, Any] = {
        "nav": "returns",
        "period": entry.open_period(user, clock.today()),
        "tabs": tabs(user, "upload"),
    }
    status = 200
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            context["errors"] = [gettext("请选择要上传的 .xlsx 文件")]
            status = 400
        else:
            result = import_workbook("returns", file, user=user)
            context["result"] = result
            context["filename"] = file.name
            if not result.ok:
                status = 400
    return render(request, "exchange/returns_upload.html", context, status=status)


@require_safe
@login_required
def returns_template(request: HttpRequest) -> HttpResponse:
    """The empty returns workbook."""
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    return download(xlsx.to_bytes(build_template(RETURNS)), "returns-template.xlsx")


@require_safe
@login_required
def returns_prefilled(request: HttpRequest) -> HttpResponse:
    """The returns workbook for a month with a row per project the user reports for, filled as far as known.

    Rows already approved (or of a locked month) come as they stand: uploading them unchanged changes nothing.
    New rows carry last month's physical progress and an empty investment, which must be filled in
    (or the row deleted) before the upload.
    """
    user = request.user
    if not _reports(user):
        raise PermissionDenied
    period, problem = page_period(request, entry.open_period(user, clock.today()))
    if problem or period is None:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    projects = list(entry.reportable_projects(user).order_by("code"))
    workbook = build_template(RETURNS)
    sheet = workbook.active
    for row in entry.build_rows(projects, period):
        v = row.values
        xlsx.append(
            sheet,
            [
                row.project.code,
                period.year,
                period.month,
                row.ret.investment if row.ret else None,
                v["physical_progress"],
                "是" if v["started"] else "否",
                "是" if v["completed"] else "否",
                v["problems"],
            ],
        )
    return download(xlsx.to_bytes(workbook), f"returns-{period}.xlsx")
