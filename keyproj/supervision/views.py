"""The pages of 月度督办: months and their close, rankings, cards, listings, rules, forecast panels.

A closed month is shown from its snapshot (what was published); a month not yet closed
is previewed, for the office only, from the data as it stands. Everything is cut to what
the user may see (keyproj.supervision.results); changes go through the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from keyproj.accounts.permissions import is_office
from keyproj.core import clock
from keyproj.core.audit import ConflictError
from keyproj.core.errors import Reason, Refused
from keyproj.core.money import yi_text
from keyproj.core.period import Period, PeriodError
from keyproj.core.scoping import scope_for, scoped_object_or_404
from keyproj.metrics.dashboard import latest_reported
from keyproj.projects.models import Project
from keyproj.supervision import forecast as forecasting
from keyproj.supervision import services
from keyproj.supervision.compute import compute, current_card_rule, current_completeness_rule, current_ranking_rule
from keyproj.supervision.forms import (
    CardRuleForm,
    CloseForm,
    CompletenessRuleForm,
    IssueForm,
    ListingForm,
    NoteForm,
    RankingRuleForm,
    ReasonForm,
    ReferralForm,
)
from keyproj.supervision.models import (
    Card,
    CardRule,
    CompletenessRule,
    Listing,
    ListingStatus,
    MonthClose,
    RankingEntry,
    RankingList,
    RankingRule,
)
from keyproj.supervision.results import (
    LIST_KEYS,
    MonthResults,
    may_see_rankings,
    month_results,
    visible_cards,
    visible_lifted,
    visible_ranking,
)
from keyproj.supervision.writing import KINDS, file_name, notice_bytes, preview_bytes

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORECAST_SHOWN = 8


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError:
        raise Http404 from None


def _scoped(request: HttpRequest) -> None:
    """A user without any scope sees nothing of supervision: as if it did not exist."""
    if scope_for(request.user).is_empty:
        raise Http404


def _refusal(request: HttpRequest, exc: Refused) -> None:
    for problem in exc.problems:
        messages.error(request, str(problem))


def _closable_periods(today: dt.date) -> list[Period]:
    """The ended months of the planned years, newest first (what the office may close)."""
    from keyproj.plans.models import AnnualPlan

    years = sorted(set(AnnualPlan.objects.values_list("year", flat=True)), reverse=True)[:3]
    periods = [Period(y, m) for y in years for m in range(12, 0, -1)]
    return [p for p in periods if p.has_ended(today)]


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """督办通报: the closed months, and for the office the months that may be previewed and closed."""
    _scoped(request)
    closes = list(MonthClose.objects.visible_to(request.user).select_related("card_rule", "ranking_rule"))
    for close in closes:
        # Counted over the cards the user may see: a district must not learn the city's totals.
        close.counts = _summary({"cards": visible_cards(request.user, close.snapshot)})
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


def _summary(snapshot: dict[str, Any]) -> dict[str, Any]:
    cards = snapshot.get("cards", [])
    red = sum(1 for c in cards if c["colour"] == "red")
    return {"red": red, "yellow": len(cards) - red, "lifted": len(snapshot.get("lifted", []))}


@login_required
def close_page(request: HttpRequest, period: str) -> HttpResponse:
    """One month: its close, or for the office the preview of exactly what closing would publish.

    The preview shows the figures, every card, the four lists in full and every project whose
    return is not approved, each downloadable; closing asks for the month to be typed again,
    and for a reason when the returns fall short of the completeness rule. The 通报 is issued
    afterwards, on its own confirmation.
    """
    _scoped(request)
    month = _period(period)
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
    cards = _linked(visible_cards(request.user, snap))
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
        "counts": _summary({"cards": cards, "lifted": lifted}),
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
        if office and results.is_final and not snap.get("notice"):
            from keyproj.notices.models import NoticeKind
            from keyproj.notices.services import next_number

            context["next_number"] = next_number(NoticeKind.MONTHLY, clock.today().year)
    return render(request, "supervision/close.html", context)


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
        _refusal(request, exc)
    except ConflictError as exc:
        messages.error(request, str(exc))
    return redirect("supervision:close", period=str(month))


@require_safe
@login_required
def notice_file(request: HttpRequest, period: str, kind: str) -> HttpResponse:
    """The month's notice as .docx, .pdf or ranking .xlsx.

    It names every project, so before it is issued only city-wide users may read it. Once
    issued it is a publication sent to every district, unit and SOE (通报各区政府、责任单位和
    市属国企), readable by anyone with a role, as on the notices pages. A month not yet closed
    gives the office its 预览稿; a closed month not yet issued, its 草稿.
    """
    _scoped(request)
    month = _period(period)
    if kind not in KINDS:
        raise Http404
    close = MonthClose.objects.visible_to(request.user).filter(year=month.year, month=month.month).first()
    office = is_office(request.user)
    if close is None and (not office or MonthClose.objects.filter(year=month.year, month=month.month).exists()):
        raise Http404
    if close is None or (office and not close.is_closed):
        # Not closed (or reopened): the office's 预览稿 of what closing now would publish.
        data = preview_bytes(compute(month), clock.today(), kind)
        close = None
    else:
        if not may_see_rankings(request.user) and not close.snapshot.get("notice"):
            raise PermissionDenied
        data = notice_bytes(close, kind)
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name(close, kind, month))}"
    return response


@require_safe
@login_required
def ranking_page(request: HttpRequest, period: str, board: str) -> HttpResponse:
    """One ranking list of a month, with its chart, and the history of the year's closes."""
    _scoped(request)
    month = _period(period)
    if board not in LIST_KEYS:
        raise Http404
    results = month_results(month, preview=is_office(request.user))
    if results is None:
        raise Http404
    rows = visible_ranking(request.user, results.snapshot, board)
    history = (
        RankingEntry.objects.visible_to(request.user)
        .filter(list=board, close__year=month.year, close__status="closed", close__month__lte=month.month)
        .select_related("organisation", "close")
        .order_by("close__month", "organisation__order", "organisation__name")
    )
    months = sorted({entry.close.month for entry in history})
    series: dict[str, dict[int, Any]] = {}
    for entry in history:
        series.setdefault(entry.organisation.name, {})[entry.close.month] = entry.rank
    chart = {
        "names": [row["name"] for row in rows],
        "scores": [float(row["score"]) for row in rows],
        "boards": [row["board"] for row in rows],
        "months": [Period(month.year, m).short_label for m in months],
        "history": [{"name": name, "ranks": [ranks.get(m) for m in months]} for name, ranks in series.items()],
        "labels": {"score": gettext("得分"), "rank": gettext("名次")},
    }
    context = {
        "nav": "supervision",
        "period": month,
        "results": results,
        "board": board,
        "board_label": RankingList(board).label,
        "boards": [(key, RankingList(key).label) for key in LIST_KEYS],
        "rows": rows,
        "chart": chart,
        "city_wide": may_see_rankings(request.user),
    }
    return render(request, "supervision/ranking.html", context)


def _linked(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cards with their projects' ids, for links (one query)."""
    codes = {c["project"] for c in cards}
    ids = dict(Project.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
    return [{**card, "pk": ids.get(card["project"])} for card in cards]


@require_safe
@login_required
def cards_page(request: HttpRequest, period: str) -> HttpResponse:
    """The month's cards of the projects the user may see, each with its reasons and path to green."""
    _scoped(request)
    month = _period(period)
    results = month_results(month, preview=is_office(request.user))
    if results is None:
        raise Http404
    colour = request.GET.get("colour") if request.GET.get("colour") in ("red", "yellow") else None
    cards = _linked(visible_cards(request.user, results.snapshot, colour))
    context = {"nav": "supervision", "period": month, "results": results, "cards": cards, "colour": colour}
    return render(request, "supervision/cards.html", context)


@login_required
def listings_page(request: HttpRequest) -> HttpResponse:
    """挂牌督办: the listings the user may see; the office lists a project here."""
    _scoped(request)
    form = ListingForm(request.POST or None)
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            project = Project.objects.visible_to(request.user).filter(code=data["project"].strip()).first()
            try:
                if project is None:
                    raise Refused([gettext("没有项目代码为“%(code)s”的项目") % {"code": data["project"].strip()}])
                listing = services.create_listing(
                    project,
                    services.ListingData(data["matter"], data["responsible"], data["target"], data["due"]),
                    user=request.user,
                )
                messages.success(request, gettext("已挂牌督办"))
                return redirect(listing.get_absolute_url())
            except Refused as exc:
                _refusal(request, exc)
    status = request.GET.get("status", "")
    listings = Listing.objects.visible_to(request.user).select_related("project", "problem")
    if status in ListingStatus.values:
        listings = listings.filter(status=status)
    today = clock.today()
    rows = list(listings.order_by("status", "due", "pk")[:200])
    for item in rows:
        item.overdue = item.is_overdue(today)
    context = {
        "nav": "supervision",
        "listings": rows,
        "status": status,
        "statuses": ListingStatus.choices,
        "office": is_office(request.user),
        "form": form,
    }
    return render(request, "supervision/listings.html", context)


@login_required
def listing_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One listing: its history and, for the office, accept/decline, progress, 销号 and referral."""
    listing = scoped_object_or_404(
        Listing.objects.select_related("project", "problem", "proposed_by"), request.user, pk=pk
    )
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied
        _listing_action(request, listing)
        return redirect(listing.get_absolute_url())
    initial = {
        "matter": listing.matter,
        "responsible": listing.responsible,
        "target": listing.target,
        "due": listing.due,
    }
    context = {
        "nav": "supervision",
        "listing": listing,
        "overdue": listing.is_overdue(clock.today()),
        "progress": listing.progress.select_related("created_by"),
        "office": is_office(request.user),
        "accept_form": ListingForm(initial=initial),
        "note_form": NoteForm(),
        "referral_form": ReferralForm(),
    }
    return render(request, "supervision/listing.html", context)


def _listing_action(request: HttpRequest, listing: Listing) -> None:
    action = request.POST.get("action")
    version = request.POST.get("version")
    expected = int(version) if version and version.isdigit() else None
    note = NoteForm(request.POST)
    note.is_valid()
    text = note.cleaned_data.get("note", "")
    try:
        if action == "accept":
            form = ListingForm(request.POST)
            if not form.is_valid():
                raise Refused([gettext("办结期限应为日期")])
            data = form.cleaned_data
            services.accept_proposal(
                listing,
                services.ListingData(data["matter"], data["responsible"], data["target"], data["due"]),
                user=request.user,
                expected_version=expected,
            )
        elif action == "decline":
            services.decline_proposal(listing, user=request.user, reason=text, expected_version=expected)
        elif action == "progress":
            services.record_progress(listing, user=request.user, note=text)
        elif action == "close":
            services.close_listing(listing, user=request.user, evidence=text, expected_version=expected)
        elif action == "refer":
            referral = ReferralForm(request.POST)
            services.refer_listing(
                listing,
                user=request.user,
                to=request.POST.get("to", "") if referral.is_valid() else "",
                expected_version=expected,
            )
        else:
            raise Refused([gettext("未知的操作")])
        messages.success(request, gettext("已保存"))
    except Refused as exc:
        _refusal(request, exc)
    except ConflictError as exc:
        messages.error(request, str(exc))


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    """The rules in force and their versions; the office writes a new version here."""
    _scoped(request)
    office = is_office(request.user)
    # The forms start from the rules in force; the note is the new version's own.
    card_form = CardRuleForm(instance=current_card_rule(), initial={"note": ""})
    ranking_form = RankingRuleForm(instance=current_ranking_rule(), initial={"note": ""})
    completeness_form = CompletenessRuleForm(instance=current_completeness_rule(), initial={"note": ""})
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        which = request.POST.get("rule")
        editors = {
            "card": (CardRuleForm, services.edit_card_rule),
            "ranking": (RankingRuleForm, services.edit_ranking_rule),
            "completeness": (CompletenessRuleForm, services.edit_completeness_rule),
        }
        try:
            if which not in editors:
                raise Refused([gettext("未知的规则")])
            form_class, edit = editors[which]
            edit(_rule_values(form_class, request.POST), user=request.user, note=request.POST.get("note", ""))
            messages.success(request, gettext("已保存为新版本规则，此后关账的月份使用新规则"))
            return redirect("supervision:rules")
        except Refused as exc:
            _refusal(request, exc)
    context = {
        "nav": "supervision",
        "office": office,
        "rule_sets": [
            (gettext("红黄牌规则"), card_form, "card", [_card_summary(r) for r in CardRule.objects.all()[:20]]),
            (
                gettext("红黑榜规则"),
                ranking_form,
                "ranking",
                [_ranking_summary(r) for r in RankingRule.objects.all()[:20]],
            ),
            (
                gettext("关账完整性规则"),
                completeness_form,
                "completeness",
                [_completeness_summary(r) for r in CompletenessRule.objects.all()[:20]],
            ),
        ],
    }
    return render(request, "supervision/rules.html", context)


def _completeness_summary(rule: CompletenessRule) -> dict[str, Any]:
    summary = gettext("有已批准年度计划的项目中，本月月报已审核的不低于%(share)s%%方可关账；不足时须填写理由") % {
        "share": rule.min_approved_share
    }
    return {"version": rule.version, "summary": summary, "rule": rule}


def _card_summary(rule: CardRule) -> dict[str, Any]:
    summary = gettext(
        "完成序时低于%(yellow)s%%黄牌、低于%(red)s%%红牌；逾期未开工%(sy)s个月黄牌、%(sr)s个月红牌；"
        "连续黄牌升红牌：%(repeat)s；整改期限%(months)s个月"
    ) % {
        "yellow": rule.yellow_below,
        "red": rule.red_below,
        "sy": rule.start_yellow_months,
        "sr": rule.start_red_months,
        "repeat": gettext("是") if rule.repeat_to_red else gettext("否"),
        "months": rule.rectify_months,
    }
    return {"version": rule.version, "summary": summary, "rule": rule}


def _ranking_summary(rule: RankingRule) -> dict[str, Any]:
    summary = gettext("投资%(i)s + 开工%(s)s + 竣工%(c)s + 按时填报%(t)s；投资完成率封顶%(cap)s；红黑榜各%(n)s名") % {
        "i": rule.weight_investment,
        "s": rule.weight_start,
        "c": rule.weight_completion,
        "t": rule.weight_timeliness,
        "cap": rule.investment_cap,
        "n": rule.list_size,
    }
    return {"version": rule.version, "summary": summary, "rule": rule}


def _rule_values(form_class: type, data: Any) -> dict[str, Any]:
    """The posted rule values, read by the form's fields; a value that is not a number is refused."""
    values: dict[str, Any] = {}
    problems = []
    for name, field in form_class().fields.items():
        if name == "note":
            continue
        if isinstance(field, forms.BooleanField):
            values[name] = bool(data.get(name))
            continue
        try:
            values[name] = field.to_python(data.get(name))
        except ValidationError:
            problems.append(Reason(str(field.label), gettext("应为数字")))
    if problems:
        raise Refused(problems)
    return values


@require_safe
@login_required
def forecast_panel(request: HttpRequest) -> HttpResponse:
    """The dashboard's "likely to miss the annual plan" panel (htmx), for what the user may see."""
    period = None
    asked = request.GET.get("period", "")
    if asked:
        try:
            period = Period.parse(asked)
        except PeriodError:
            period = None
    period = period or latest_reported(request.user)
    context: dict[str, Any] = {"period": period}
    if period is not None and not scope_for(request.user).is_empty:
        city = forecasting.city_forecast(request.user, period)
        context.update(city=city, short=list(forecasting.likely_to_miss(request.user, period)[:FORECAST_SHOWN]))
    return render(request, "supervision/_forecast_panel.html", context)


@require_safe
@login_required
def project_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's cards at each close and its listings (htmx panel on the project page)."""
    project = scoped_object_or_404(Project, request.user, pk=pk)
    cards = (
        Card.objects.visible_to(request.user)
        .filter(project=project, close__status="closed")
        .select_related("close")
        .order_by("-close__year", "-close__month")
    )
    period = latest_reported(request.user)
    context = {
        "project": project,
        "cards": list(cards[:12]),
        "listings": list(Listing.objects.visible_to(request.user).filter(project=project).order_by("-pk")[:10]),
        "forecast": forecasting.project_forecast(request.user, period, project.pk) if period else None,
        "period": period,
    }
    return render(request, "supervision/_project_panel.html", context)
