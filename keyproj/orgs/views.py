"""Organisation pages: the districts, units, SOEs and area commands a user may see, and each one's figures.

An organisation the user may not see does not exist for them (404). A district's figures
are those of the projects in it; any other organisation's, those of the projects it is
linked to in any capacity (as the published figures count them: `parse_scope`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from keyproj.core.money import fmt2, yi
from keyproj.core.period import Period, PeriodError
from keyproj.core.scoping import linked_q, scoped_object_or_404
from keyproj.metrics.dashboard import latest_reported, picker_periods
from keyproj.metrics.figures import FigureScope, ScopeError, parse_scope, project_figures, summary
from keyproj.metrics.sentence import published
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects.models import Project
from keyproj.projects.views import Row

# The kinds of organisation listed, in this order: those the office publishes figures for.
LISTED_KINDS = (OrgKind.DISTRICT, OrgKind.AREA_COMMAND, OrgKind.RESPONSIBLE_UNIT, OrgKind.SOE)
BEHIND_LIMIT = 10


def _projects_q(org: Organisation) -> Q:
    """The projects an organisation's page is about, on Project."""
    return Q(district=org) if org.kind == OrgKind.DISTRICT else linked_q(org.pk)


def _scope(org: Organisation, user: Any) -> FigureScope:
    key = f"district:{org.code}" if org.kind == OrgKind.DISTRICT and org.code else f"org:{org.pk}"
    try:
        return parse_scope(key, user)
    except ScopeError:
        raise Http404 from None


def _register_url(org: Organisation, period: Period | None, **extra: str) -> str:
    params = {"district": org.code} if org.kind == OrgKind.DISTRICT else {"org": str(org.pk)}
    if period:
        params["period"] = str(period)
    return f"{reverse('projects:list')}?{urlencode({**params, **extra})}"


@require_safe
@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    """单位: the districts, area commands, responsible units and SOEs the user may see, with project counts."""
    user = request.user
    orgs = list(Organisation.objects.visible_to(user).filter(kind__in=LISTED_KINDS).order_by("order", "code", "name"))
    # All the counts in one query: one filtered COUNT per organisation over the visible projects.
    counts = (
        Project.objects.visible_to(user).aggregate(**{f"o{o.pk}": Count("pk", filter=_projects_q(o)) for o in orgs})
        if orgs
        else {}
    )
    groups = []
    for kind in LISTED_KINDS:
        members = [{"org": o, "count": counts.get(f"o{o.pk}", 0)} for o in orgs if o.kind == kind]
        if members:
            groups.append({"kind": kind, "label": OrgKind(kind).label, "members": members})
    return render(request, "orgs/list.html", {"nav": "orgs", "groups": groups})


@require_safe
@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation: its figures for the month and its projects furthest behind."""
    user = request.user
    org = scoped_object_or_404(Organisation, user, pk=pk)
    latest = latest_reported(user)
    period, period_error = latest, ""
    asked = request.GET.get("period", "").strip()
    if asked:
        try:
            period = Period.parse(asked)
        except PeriodError as exc:
            message = gettext("统计月份“%(value)s”无效：%(reason)s。已改为显示最近一个月。")
            period_error = message % {"value": asked[:20], "reason": str(exc)}
    scope = _scope(org, user)
    project_count = Project.objects.visible_to(user).filter(_projects_q(org)).count()
    context: dict[str, Any] = {
        "nav": "orgs",
        "org": org,
        "period": period,
        "period_error": period_error,
        "picker": sorted({*picker_periods(user, latest), *([period] if period else [])}, reverse=True),
        "project_count": project_count,
        "register_url": _register_url(org, period),
        "behind_url": _register_url(org, period, behind="yes", sort="over"),
    }
    if period is not None:
        figures = summary(user, period, scope)
        behind = (
            project_figures(user, period, scope)
            .filter(actual_to_date__lt=F("plan_to_date"))
            .select_related("project__district", "project__responsible_unit")
            .order_by("over", "project__code")[:BEHIND_LIMIT]
        )
        context.update(
            figures=figures,
            published=published(figures) if figures.project_count else None,
            headline={
                "plan_to_date": yi(figures.plan_to_date),
                "actual_to_date": yi(figures.actual_to_date),
                "over_abs": yi(abs(figures.over)),
                "ahead": figures.over >= 0,
                "schedule_rate": fmt2(figures.schedule_rate) or "—",
                "annual_rate": fmt2(figures.annual_rate) or "—",
                "annual_plan": yi(figures.annual_plan),
            },
            behind=[_behind_row(m) for m in behind],
        )
    return render(request, "orgs/detail.html", context)


def _behind_row(month: Any) -> Row:
    """A rollup row shown like a register row (its project carries the month's figures)."""
    project = month.project
    project.plan_to_date = month.plan_to_date
    project.actual_to_date = month.actual_to_date
    project.annual_plan = month.annual_plan
    return Row.of(project)
