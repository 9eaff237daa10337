"""The office's pages: month locks, timeliness with the 催报 export, and correction requests; and a return's own page.

A return's page shows the return, its flags, its correction requests and its whole history
(every version, who and when). An approved return is corrected only by a request that
the office approves.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from keyproj.accounts.permissions import can_report, is_office
from keyproj.core import clock, panels, xlsx
from keyproj.core.audit import ConflictError
from keyproj.core.downloads import download
from keyproj.core.errors import Refused
from keyproj.core.models import AmendmentStatus, AuditEntry
from keyproj.core.money import MoneyError, parse_money
from keyproj.core.params import page_period
from keyproj.core.period import Period
from keyproj.core.scoping import scope_for, scoped_object_or_404
from keyproj.returns import checks, entry, timeliness
from keyproj.returns.models import MonthLock, ProgressReturn, ReturnAmendment, ReturnStatus
from keyproj.returns.services import (
    ReturnData,
    decide_amendment,
    lock_month,
    request_amendment,
    unlock_month,
)
from keyproj.returns.views.common import chosen_period, tabs

SHOWN = (
    "investment",
    "physical_progress",
    "started",
    "completed",
    "problems",
    "completion",
    "completion_drop_reason",
    "status",
    "review_comment",
)


# ---------------------------------------------------------------- month locks


def _office_only(user: Any) -> None:
    if not is_office(user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
def locks(request: HttpRequest) -> HttpResponse:
    """Lock or unlock a month (with the reason), and see which months are locked."""
    user = request.user
    _office_only(user)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        period, problem = chosen_period(request.POST.get("period", ""), entry.last_ended(clock.today()))
        reason = request.POST.get("reason", "").strip()
        if problem:
            errors.append(problem)
        elif action == "lock":
            if not reason:
                errors.append(gettext("原因：锁定须写明原因"))
            else:
                try:
                    lock_month(period.year, period.month, user=user, reason=reason)
                    messages.success(request, gettext("%(label)s已锁定。") % {"label": period.label})
                    return redirect("returns:locks")
                except Refused as refused:
                    errors.extend(str(p) for p in refused.problems)
        elif action == "unlock":
            try:
                unlock_month(period.year, period.month, user=user, reason=reason)
                messages.success(request, gettext("%(label)s已解锁。") % {"label": period.label})
                return redirect("returns:locks")
            except Refused as refused:
                errors.extend(str(p) for p in refused.problems)
        else:
            errors.append(gettext("未知的操作"))
        status = 400
    ct = ContentType.objects.get_for_model(MonthLock)
    history = list(AuditEntry.objects.filter(content_type=ct).select_related("user").order_by("-at", "-id")[:30])
    for e in history:
        e.reason = (e.after or {}).get("reason", "")  # type: ignore[attr-defined]
    context = {
        "nav": "returns",
        "locks": MonthLock.objects.select_related("locked_by"),
        "history": history,
        "errors": errors,
        "suggested": _lock_suggestion(),
        "values": request.POST if request.method == "POST" else {},
        "tabs": tabs(user, "locks"),
    }
    return render(request, "returns/locks.html", context, status=status)


def _lock_suggestion() -> Period:
    """The month the office most likely locks next: the newest with approved returns, unless locked already."""
    newest = (
        ProgressReturn.objects.filter(status=ReturnStatus.APPROVED)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    if newest is None or MonthLock.objects.filter(year=newest[0], month=newest[1]).exists():
        return entry.last_ended(clock.today())
    return Period(*newest)


# ---------------------------------------------------------------- timeliness and 催报


def _timeliness_period(request: HttpRequest) -> tuple[Any, str]:
    user = request.user
    latest = (
        ProgressReturn.objects.visible_to(user)
        .filter(status__in=(ReturnStatus.SUBMITTED, ReturnStatus.APPROVED))
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    default = Period(*latest) if latest else entry.last_ended(clock.today())
    return page_period(request, default)


@require_safe
@login_required
def timeliness_page(request: HttpRequest) -> HttpResponse:
    """Late and missing returns of a month, per owner, with the 催报 list."""
    user = request.user
    if scope_for(user).is_empty:
        raise PermissionDenied
    period, period_error = _timeliness_period(request)
    by = request.GET.get("by", "owner")
    if by not in timeliness.GROUPINGS:
        by = "owner"
    show_all = request.GET.get("all") == "1"
    every = timeliness.by_organisation(user, period, by)
    # Those behind first: the list is for chasing; the on-time ones only on request.
    rows = sorted(every, key=lambda r: (-(r.missing + r.late), r.owner))
    if not show_all:
        rows = [r for r in rows if r.missing or r.late]
    missing = list(timeliness.missing(user, period)[:200])
    totals = {
        "due": sum(r.due for r in every),
        "on_time": sum(r.on_time for r in every),
        "late": sum(r.late for r in every),
        "missing": sum(r.missing for r in every),
    }
    context = {
        "nav": "returns",
        "period": period,
        "period_error": period_error,
        "periods": entry.offered_periods(user, clock.today(), period),
        "deadline": timeliness.deadline(period),
        "rows": rows,
        "hidden": len(every) - len(rows),
        "by": by,
        "groupings": [("owner", _("按业主单位")), ("district", _("按区")), ("responsible_unit", _("按责任单位"))],
        "show_all": show_all,
        "totals": totals,
        "missing": missing,
        "is_office": is_office(user),
        "tabs": tabs(user, "timeliness"),
    }
    return render(request, "returns/timeliness.html", context, status=400 if period_error else 200)


@require_safe
@login_required
def reminders_xlsx(request: HttpRequest) -> HttpResponse:
    """The 催报 list of a month as a workbook (the office's, or anyone's for what they see)."""
    user = request.user
    if scope_for(user).is_empty:
        raise PermissionDenied
    period, period_error = _timeliness_period(request)
    if period_error:
        return HttpResponse(period_error, status=400, content_type="text/plain; charset=utf-8")
    workbook, _count = timeliness.reminder_workbook(user, period)
    return download(xlsx.to_bytes(workbook), f"reminders-{period}.xlsx")


# ---------------------------------------------------------------- a return, its history, corrections


def _history(ret: ProgressReturn) -> list[AuditEntry]:
    """Every recorded change of the return and of its correction requests, oldest first, with what changed."""
    ct_return = ContentType.objects.get_for_model(ProgressReturn)
    ct_amendment = ContentType.objects.get_for_model(ReturnAmendment)
    amendment_ids = [str(pk) for pk in ret.amendments.values_list("pk", flat=True)]
    entries = list(
        AuditEntry.objects.filter(
            Q(content_type=ct_return, object_id=str(ret.pk)) | Q(content_type=ct_amendment, object_id__in=amendment_ids)
        )
        .select_related("user")
        .order_by("at", "id")
    )
    for e in entries:
        after = e.after or {}
        before = e.before or {}
        e.version = after.get("version")  # type: ignore[attr-defined]
        e.changes = [  # type: ignore[attr-defined]
            (_label(name), _shown(name, before.get(name)) if before else None, _shown(name, after.get(name)))
            for name in SHOWN
            if name in after and (not before or before.get(name) != after.get(name))
        ]
    return entries


def _label(name: str) -> str:
    field = ProgressReturn._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _shown(name: str, value: Any) -> str:
    """A recorded value as the page shows it: 是/否, the status's name, money with two places."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if name == "status":
        return str(dict(ReturnStatus.choices).get(value, value))
    return str(value)


def _amendment_data(ret: ProgressReturn, data: Any) -> tuple[ReturnData | None, dict[str, str]]:
    errors: dict[str, str] = {}
    try:
        investment = parse_money(data.get("investment"))
    except MoneyError as error:
        errors["investment"] = str(error)
        investment = Decimal(0)
    item = ReturnData(
        project=ret.project,
        year=ret.year,
        month=ret.month,
        investment=investment,
        physical_progress=(data.get("physical_progress") or "").strip(),
        started=data.get("started") == "on",
        completed=data.get("completed") == "on",
        completion=data.get("completion"),
        completion_drop_reason=data.get("completion_drop_reason") or "",
    )
    return (None if errors else item), errors


@require_http_methods(["GET", "POST"])
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One return: its figures, flags, correction requests and history; the correction request form."""
    user = request.user
    ret = scoped_object_or_404(
        ProgressReturn.objects.select_related("project", "submitted_by", "approved_by"), user, pk=pk
    )
    may_amend = ret.status == ReturnStatus.APPROVED and can_report(user, ret.project)
    errors: dict[str, str] = {}
    status = 200
    values: dict[str, Any] = {
        "investment": str(ret.investment),
        "physical_progress": ret.physical_progress,
        "started": ret.started,
        "completed": ret.completed,
        "completion": ret.completion,
        "completion_drop_reason": ret.completion_drop_reason,
        "reason": "",
    }
    if request.method == "POST":
        if not can_report(user, ret.project):
            raise PermissionDenied
        values = {
            "investment": request.POST.get("investment", ""),
            "physical_progress": request.POST.get("physical_progress", ""),
            "started": request.POST.get("started") == "on",
            "completed": request.POST.get("completed") == "on",
            "completion": request.POST.get("completion", ""),
            "completion_drop_reason": request.POST.get("completion_drop_reason", ""),
            "reason": request.POST.get("reason", ""),
        }
        item, errors = _amendment_data(ret, request.POST)
        if item is not None:
            try:
                request_amendment(ret, item, user=user, reason=values["reason"])
                messages.success(request, gettext("更正申请已提交，待重点办审批。"))
                return redirect("returns:detail", pk=ret.pk)
            except Refused as refused:
                for p in refused.problems:
                    key = {
                        "更正原因": "reason",
                        "本月完成投资(万元)": "investment",
                        "是否竣工": "completed",
                        "形象进度百分比(%)": "completion",
                        "进度回落原因": "completion_drop_reason",
                    }.get(p.field, "")
                    errors.setdefault(key, p.message)
        status = 400
    context = {
        "nav": "returns",
        "ret": ret,
        "flags": checks.flags(ret),
        "amendments": list(ret.amendments.select_related("requested_by", "decided_by")),
        "history": _history(ret),
        "may_amend": may_amend,
        "pending": ret.amendments.filter(status=AmendmentStatus.REQUESTED).exists(),
        "errors": errors,
        "values": values,
        "is_office": is_office(user),
        "tabs": tabs(user, ""),
        # Blocks the apps above add to the page (the return's photos): keyproj.core.panels.
        "panels": panels.rendered(request, ret),
    }
    return render(request, "returns/detail.html", context, status=status)


@require_safe
@login_required
def amendments(request: HttpRequest) -> HttpResponse:
    """The office's list of correction requests waiting for a decision (and the latest decided)."""
    _office_only(request.user)
    pending = list(
        ReturnAmendment.objects.filter(status=AmendmentStatus.REQUESTED)
        .select_related("progress_return__project", "requested_by")
        .order_by("created_at")
    )
    decided = list(
        ReturnAmendment.objects.exclude(status=AmendmentStatus.REQUESTED)
        .select_related("progress_return__project", "requested_by", "decided_by")
        .order_by("-decided_at")[:30]
    )
    return render(
        request,
        "returns/amendments.html",
        {"nav": "returns", "pending": pending, "decided": decided, "tabs": tabs(request.user, "amendments")},
    )


@require_http_methods(["POST"])
@login_required
def decide_amendment_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a correction request (the return takes its figures) or reject it with a note."""
    user = request.user
    amendment = get_object_or_404(
        ReturnAmendment.objects.filter(progress_return__in=ProgressReturn.objects.visible_to(user)).select_related(
            "progress_return__project"
        ),
        pk=pk,
    )
    _office_only(user)
    approve = request.POST.get("action") == "approve"
    try:
        posted = request.POST.get("version")
        decide_amendment(
            amendment,
            user=user,
            approve=approve,
            note=request.POST.get("note", ""),
            expected_version=int(posted) if posted else None,
        )
    except (Refused, ConflictError) as refused:
        messages.error(request, str(refused))
        return redirect("returns:amendments")
    except ValueError:
        messages.error(request, gettext("版本号无效"))
        return redirect("returns:amendments")
    label = gettext("已批准") if approve else gettext("已驳回")
    messages.success(request, gettext("%(what)s：%(label)s") % {"what": amendment, "label": label})
    return redirect("returns:amendments")
