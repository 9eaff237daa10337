"""A month of 月度督办: the list of months, one month's close (or its preview), closing, issuing and
reopening it, and its notice's files: the stored ones by their hash, the drafts rendered here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from keyproj.accounts.permissions import is_office
from keyproj.core import clock
from keyproj.core.audit import ConflictError
from keyproj.core.downloads import download
from keyproj.core.errors import Reason, Refused, tell
from keyproj.core.money import yi_text
from keyproj.core.period import Period
from keyproj.notices.files import STORED, file_url
from keyproj.notices.models import Notice, NoticeKind
from keyproj.notices.services import next_number
from keyproj.plans.models import AnnualPlan
from keyproj.supervision import services
from keyproj.supervision.compute import compute
from keyproj.supervision.forms import CloseForm, IssueForm, ReasonForm
from keyproj.supervision.models import Listing, MonthClose, RankingList
from keyproj.supervision.results import (
    LIST_KEYS,
    MonthResults,
    may_see_rankings,
    month_results,
    visible_cards,
    visible_lifted,
    visible_ranking,
)
from keyproj.supervision.views.common import card_counts, linked_cards, month_or_404, scoped_or_404
from keyproj.supervision.writing import KINDS, file_name, notice_bytes, preview_bytes


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """督办通报: the closed months, and for the office the months that may be previewed and closed."""
    scoped_or_404(request)
    closes = list(MonthClose.objects.visible_to(request.user).select_related("card_rule", "ranking_rule"))
    for close in closes:
        # Counted over the cards the user may see: a district must not learn the city's totals.
        close.counts = card_counts({"cards": visible_cards(request.user, close.snapshot)})
    closed = {(c.year, c.month) for c in closes}
    open_months = [p for p in _closable_periods(clock.today()) if (p.year, p.month) not in closed]
    context = {
        "nav": "supervision",
        "closes": closes,
        "open_months": open_months[:12] if is_office(request.user) else [],
        "office": is_office(request.user),
        "listing_count": Listing.objects.visible_to(request.user).open().count(),
    }
    return render(request, "supervision/index.html", context)


def _closable_periods(today: dt.date) -> list[Period]:
    """The ended months of the planned years, newest first (what the office may close)."""

    years = sorted(set(AnnualPlan.objects.values_list("year", flat=True)), reverse=True)[:3]
    periods = [Period(y, m) for y in years for m in range(12, 0, -1)]
    return [p for p in periods if p.has_ended(today)]


@login_required
def close_page(request: HttpRequest, period: str) -> HttpResponse:
    """One month: its close, or for the office the preview of exactly what closing would publish.

    The preview shows the figures, every card, the four lists in full and every project whose
    return is not approved, each downloadable; closing asks for the month to be typed again,
    and for a reason when the returns fall short of the completeness rule. The 通报 is issued
    afterwards, on its own confirmation.
    """
    scoped_or_404(request)
    month = month_or_404(period)
    office = is_office(request.user)
    close_form = CloseForm(month_label=month.label)
    close_problems: list[Reason] = []
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        if request.POST.get("action", "close") == "close":
            close_form = CloseForm(request.POST, month_label=month.label)
            outcome = _close(request, month)
            if not isinstance(outcome, list):
                return outcome
            close_problems = outcome
        else:
            return _close_action(request, month)
    results = _month_results(month, office)
    if results is None:
        raise Http404
    snap = results.snapshot
    cards = linked_cards(visible_cards(request.user, snap))
    lifted = visible_lifted(request.user, snap)
    city_wide = may_see_rankings(request.user)
    complete = snap.get("completeness") or {}
    context = {
        "nav": "supervision",
        "period": month,
        "month_text": services.month_text(month),
        "results": results,
        "close": results.close,
        "office": office,
        "city_wide": city_wide,
        "snapshot": snap,
        "counts": card_counts({"cards": cards, "lifted": lifted}),
        "cards": cards,
        "card_total": len(cards),
        "lists": [(key, RankingList(key).label, visible_ranking(request.user, snap, key)) for key in LIST_KEYS],
        "listings": snap.get("listings", {}),
        "timeliness": snap.get("timeliness", {}),
        "complete": complete,
        "unapproved": [
            {**item, "status_label": RETURN_STATUS.get(item["status"], item["status"])}
            for item in complete.get("unapproved", [])
        ]
        if city_wide
        else [],
        "rule_labels": _rule_labels(snap),
        "figures": _figures(snap) if city_wide else [],
        "reason_form": ReasonForm(),
        "close_form": close_form,
        "close_problems": close_problems,
        "issue_form": IssueForm(),
        "kinds": KINDS,
    }
    if office and not results.is_final:
        context["blockers"] = services.check_closable(month, clock.today()) + services.check_order(month)
    if results.close is not None and city_wide:
        context["notices"] = services.close_notices(month)
        context["notice_files"] = _stored_files(snap) if results.is_final else {}
        if office and results.is_final and not snap.get("notice"):
            context["next_number"] = next_number(NoticeKind.MONTHLY, clock.today().year)
    return render(request, "supervision/close.html", context)


def _stored_files(snapshot: dict[str, Any]) -> dict[str, str]:
    """The addresses of the issued notice's stored docx and pdf (by their hash); empty before it is issued."""
    issued = snapshot.get("notice")
    notice = Notice.objects.defer("docx", "pdf").filter(pk=issued["id"]).first() if issued else None
    return {fmt: file_url(notice, fmt) for fmt in STORED} if notice is not None else {}


def _month_results(month: Period, office: bool) -> MonthResults | None:
    """What the month's page shows: the close as published; for the office, a reopened month
    recomputed from the data as it now stands (what closing it again would publish)."""
    results = month_results(month, preview=office)
    if office and results is not None and results.close is not None and not results.close.is_closed:
        return MonthResults(month, compute(month), results.close)
    return results


def _figures(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The city's figures and each category's, as the table under the sentence shows them (亿元)."""
    rows = []
    city = snapshot.get("city")
    if city:
        rows.append({"name": gettext("全市"), **city})
    rows += [{"name": cat["name"], **cat["figures"]} for cat in snapshot.get("categories", [])]
    return [
        {
            "name": row["name"],
            "count": row["project_count"],
            "annual_plan": yi_text(row["annual_plan"]),
            "plan_to_date": yi_text(row["plan_to_date"]),
            "actual_to_date": yi_text(row["actual_to_date"]),
            "over": yi_text(row["over"]),
            "schedule_rate": row["schedule_rate"] or "—",
            "annual_rate": row["annual_rate"] or "—",
        }
        for row in rows
    ]


# How the month's page names the state of a project's return that is not approved.
RETURN_STATUS = {
    "missing": _("未报"),
    "draft": _("未提交"),
    "submitted": _("待审核"),
    "sent_back": _("已退回"),
}


def _rule_labels(snapshot: dict[str, Any]) -> list[str]:
    """The rule versions a snapshot applied, in words: 红黄牌规则第1版 …"""
    names = (("card", _("红黄牌规则")), ("ranking", _("红黑榜规则")), ("completeness", _("关账完整性规则")))
    rules_used = snapshot.get("rules", {})
    return [
        gettext("%(rule)s第%(n)s版") % {"rule": name, "n": rules_used[key]["version"]}
        for key, name in names
        if key in rules_used
    ]


def _close(request: HttpRequest, month: Period) -> HttpResponse | list[Reason]:
    """Close the month once the typed month matches; the refusals, to show beside the form."""
    problems = services.check_confirmation(month, request.POST.get("confirm", ""))
    if problems:
        return problems
    try:
        outcome = services.close_month(
            month, user=request.user, override_reason=request.POST.get("override_reason", "")
        )
    except Refused as exc:
        return exc.problems
    if outcome.created:
        messages.success(request, gettext("已关账。请核对后印发通报（印发时取得文号）。"))
    else:
        messages.info(request, gettext("该月此前已关账，未作任何修改"))
    return redirect("supervision:close", period=str(month))


def _close_action(request: HttpRequest, month: Period) -> HttpResponse:
    """POST on a month: issue its notice (after an explicit tick), or reopen it with a reason (the office only)."""
    action = request.POST.get("action")
    try:
        if action == "issue":
            close = get_object_or_404(MonthClose, year=month.year, month=month.month)
            form = IssueForm(request.POST)
            if not (form.is_valid() and form.cleaned_data["confirm"]):
                raise Refused([gettext("请勾选“确认印发”后再印发通报")])
            notice = services.issue_close_notice(close, user=request.user)
            messages.success(request, gettext("通报已印发，文号：%(number)s") % {"number": notice.number})
        elif action == "reopen":
            close = get_object_or_404(MonthClose, year=month.year, month=month.month)
            form = ReasonForm(request.POST)
            form.is_valid()
            services.reopen_month(close, user=request.user, reason=form.cleaned_data.get("reason", ""))
            messages.success(request, gettext("已重新打开，可重新关账；已印发的通报已撤回，文号保留不再使用"))
        else:
            raise Refused([gettext("未知的操作")])
    except Refused as exc:
        tell(request, exc)
    except ConflictError as exc:
        messages.error(request, str(exc))
    return redirect("supervision:close", period=str(month))


@require_safe
@login_required
def notice_file(request: HttpRequest, period: str, kind: str) -> HttpResponse:
    """The month's notice as .docx or .pdf, and its ranking tables as .xlsx.

    Once issued, the docx and pdf are the files stored with the notice: this sends the reader
    on to the one address that serves them by their hash (keyproj.notices.files), readable by
    anyone with a role, as the 通报 is published to every district, unit and SOE. Until then
    nothing is stored, and the files are drafts rendered here (`_draft`).
    """
    scoped_or_404(request)
    month = month_or_404(period)
    if kind not in KINDS:
        raise Http404
    close = MonthClose.objects.visible_to(request.user).filter(year=month.year, month=month.month).first()
    issued = close.snapshot.get("notice") if close is not None and close.is_closed else None
    if issued and kind in STORED:
        notice = Notice.objects.defer("docx", "pdf").filter(pk=issued["id"]).first()
        if notice is None:
            raise Http404
        return redirect(file_url(notice, kind))
    return _draft(request, month, close, kind)


def _draft(request: HttpRequest, month: Period, close: MonthClose | None, kind: str) -> HttpResponse:
    """What is not stored: the office's 预览稿 of a month not closed (or reopened), the 草稿 of a
    closed month not yet issued (city-wide users only, as it names every project), and the
    ranking workbook, rendered from the snapshot."""
    office = is_office(request.user)
    if close is None and (not office or MonthClose.objects.filter(year=month.year, month=month.month).exists()):
        raise Http404
    if close is None or (office and not close.is_closed):
        data = preview_bytes(compute(month), clock.today(), kind)
        close = None
    else:
        if not may_see_rankings(request.user) and not close.snapshot.get("notice"):
            raise PermissionDenied
        data = notice_bytes(close, kind)
    return download(data, file_name(close, kind, month))
