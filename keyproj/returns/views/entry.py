"""The owner's pages: one form for all their projects' returns of a month (the workbook pages are exchange's).

Saving is all or nothing: every row is read and checked first, each problem is shown on
its row and field, and only a form without problems reaches the services (which check
again, in one transaction). Each row carries the version it was read at, so a return
someone else saved meanwhile is never overwritten.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from keyproj.accounts.permissions import can_report, is_office
from keyproj.core import clock
from keyproj.core.audit import ConflictError
from keyproj.core.errors import Refused
from keyproj.core.params import page_period
from keyproj.core.period import Period
from keyproj.core.scoping import scope_for, scoped_object_or_404
from keyproj.projects.models import Project
from keyproj.returns import entry
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import save_returns
from keyproj.returns.views.common import chosen_period, is_reviewer, tabs

PAGE_SIZE = 50
ACTIONS = {"save": "", "submit_selected": "selected", "submit_all": "all"}


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """月度填报: reporters go to their form, reviewers to the review list, others to the timeliness overview."""
    user = request.user
    if scope_for(user).is_empty:
        raise PermissionDenied
    if is_office(user) or entry.reportable_projects(user).exists():
        return entry_page(request)
    if is_reviewer(user):
        return redirect("returns:review")
    return redirect("returns:timeliness")


def _page(request: HttpRequest, projects: Any, number: Any) -> Any:
    paginator = Paginator(projects, PAGE_SIZE)
    return paginator.get_page(number)


def _month_table(request: HttpRequest, period: Period, page_number: Any) -> tuple[Any, list[entry.EntryRow]]:
    """One page of the month's table: the user's projects with this month's return (sent-back ones read-only)."""
    projects = entry.reportable_projects(request.user).select_related("district", "responsible_unit").order_by("code")
    page = _page(request, projects, page_number)
    return page, entry.build_rows(list(page.object_list), period, sent_back_apart=True)


def entry_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = clock.today()
    period, period_error = page_period(request, entry.open_period(user, today))
    page, rows = _month_table(request, period, request.GET.get("page"))
    return _render(request, period, page, rows, period_error=period_error, status=400 if period_error else 200)


def _render(
    request: HttpRequest,
    period: Any,
    page: Any,
    rows: list[entry.EntryRow],
    *,
    status: int = 200,
    corrected: entry.EntryRow | None = None,
    **extra: Any,
) -> HttpResponse:
    """The entry page: the sent-back returns of any month first, then the chosen month's table.

    corrected: a sent-back row just posted with problems, shown in its list with what was typed and the errors.
    """
    today = clock.today()
    sent_back = entry.sent_back_rows(request.user)
    if corrected is not None:
        sent_back = [corrected if row.ret and row.ret.pk == corrected.ret.pk else row for row in sent_back]
    context = {
        "nav": "returns",
        "sent_back": sent_back,
        "period": period,
        "periods": entry.offered_periods(request.user, today, period),
        "open_period": entry.open_period(request.user, today),
        "ended": period.has_ended(today),
        "locked": entry.is_locked(period),
        "page": page,
        "rows": rows,
        "editable_count": sum(1 for row in rows if row.editable),
        "is_reviewer": is_reviewer(request.user),
        "is_office": is_office(request.user),
        "tabs": tabs(request.user, "entry"),
        **extra,
    }
    return render(request, "returns/entry.html", context, status=status)


@require_http_methods(["POST"])
@login_required
def entry_save(request: HttpRequest) -> HttpResponse:
    """Save every filled row as a draft, and submit the ticked (or all) rows: all or nothing."""
    user = request.user
    today = clock.today()
    period, period_error = chosen_period(request.POST.get("period", ""), entry.open_period(user, today))
    if period_error:
        messages.error(request, period_error)
        return redirect("returns:index")
    try:
        pks = {int(pk) for pk in request.POST.getlist("row")}
    except ValueError:
        raise Http404 from None
    projects = list(
        entry.reportable_projects(user)
        .filter(pk__in=pks)
        .select_related("district", "responsible_unit")
        .order_by("code")
    )
    if len(projects) != len(pks):
        # Another's project: unknown when the user cannot see it, forbidden when they can but do not report it.
        seen = Project.objects.visible_to(user).filter(pk__in=pks).count()
        if seen != len(pks):
            raise Http404
        raise PermissionDenied
    page_number = request.POST.get("page") or "1"
    page = _page(request, entry.reportable_projects(user).order_by("code"), page_number)
    rows = entry.build_rows(projects, period, sent_back_apart=True)
    action = ACTIONS.get(request.POST.get("action", "save"), "")
    back = f"{reverse('returns:index')}?{urlencode({'period': str(period), 'page': page_number})}"
    if entry.is_locked(period):
        messages.error(request, gettext("%(label)s已由重点办锁定，不能再修改或提交。") % {"label": period.label})
        return redirect(back)
    posted = entry.read_rows(rows, request.POST, period, submit=action, today=today)
    if posted.problems:
        return _render(request, period, page, rows, status=400, failed=posted.problems)
    if not posted.drafts and not posted.submits:
        messages.info(request, gettext("没有填写任何内容，未保存。"))
        return redirect(back)
    try:
        with transaction.atomic():
            saved = save_returns(posted.drafts, user=user, today=today) if posted.drafts else None
            sent = save_returns(posted.submits, user=user, submit=True, today=today) if posted.submits else None
    except Refused as refused:
        left = entry.apply_service_problems(rows, refused.problems)
        failed = sum(len(row.errors) for row in rows) + len(left)
        return _render(request, period, page, rows, status=400, failed=failed, page_errors=left)
    except ConflictError as conflict:
        for row in rows:
            if row.ret is not None and row.ret.pk == conflict.obj.pk:
                row.errors[""] = str(conflict)
        return _render(request, period, page, rows, status=409, failed=1, page_errors=[str(conflict)])
    changed = (saved.created + saved.updated if saved else 0) + (sent.created + sent.updated if sent else 0)
    if sent is not None:
        messages.success(
            request,
            gettext("已保存，其中%(submitted)s个项目的填报已提交审核（共%(changed)s处变化）。")
            % {"submitted": len(posted.submits), "changed": changed},
        )
    else:
        messages.success(request, gettext("已保存为草稿（%(changed)s个项目有变化）。") % {"changed": changed})
    return redirect(back)


@require_http_methods(["POST"])
@login_required
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct one sent-back return and submit it again.

    The month is the return's own, never the month the page was showing: a correction typed
    while the page offers the next month must still land in the month that was sent back.
    """
    user = request.user
    ret = scoped_object_or_404(ProgressReturn.objects.select_related("project"), user, pk=pk)
    if not can_report(user, ret.project):
        raise PermissionDenied
    today = clock.today()
    period = Period(ret.year, ret.month)
    # The month the page was showing, to show it again if the correction has problems.
    shown, _ = chosen_period(request.POST.get("shown", ""), entry.open_period(user, today))
    done = f"{reverse('returns:index')}?{urlencode({'period': str(period)})}#row-{ret.project_id}"
    if ret.status != ReturnStatus.SENT_BACK:
        messages.info(
            request,
            gettext("%(ret)s的填报当前为“%(status)s”，不在退回状态，无需重新提交。")
            % {"ret": ret, "status": ret.get_status_display()},
        )
        return redirect(done)
    row = entry.build_rows([ret.project], period)[0]
    if not row.editable:
        messages.error(request, gettext("%(label)s已由重点办锁定，不能再修改或提交。") % {"label": period.label})
        return redirect(done)
    posted = entry.read_rows([row], request.POST, period, submit="all", today=today)
    page, rows = _month_table(request, shown, request.POST.get("page"))
    if posted.problems:
        return _render(request, shown, page, rows, status=400, corrected=row, failed=posted.problems)
    try:
        save_returns(posted.submits, user=user, submit=True, today=today)
    except Refused as refused:
        left = entry.apply_service_problems([row], refused.problems)
        failed = len(row.errors) + len(left)
        return _render(request, shown, page, rows, status=400, corrected=row, failed=failed, page_errors=left)
    except ConflictError as conflict:
        row.errors[""] = str(conflict)
        return _render(request, shown, page, rows, status=409, corrected=row, failed=1)
    messages.success(request, gettext("%(ret)s的填报已修改并重新提交审核。") % {"ret": ret})
    return redirect(done)
