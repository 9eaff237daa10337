"""The blocks metrics adds to the pages of apps below it (registered by keyproj.metrics.register).

- The project page's months: the year's plan against returns, month by month and cumulative,
  as a table and a chart.
- An organisation's page: its figures for the month and its projects furthest behind. A
  district's figures are those of the projects in it; any other organisation's, those of the
  projects it is linked to in any capacity (as the published figures count them: `parse_scope`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, pgettext

from keyproj.core.money import fmt2, wan, yi
from keyproj.core.params import page_period
from keyproj.core.period import Period
from keyproj.core.scoping import linked_q
from keyproj.metrics.dashboard import latest_reported, picker_periods
from keyproj.metrics.figures import FigureScope, ScopeError, parse_scope, project_figures, summary
from keyproj.metrics.models import ProjectMonth
from keyproj.metrics.sentence import published
from keyproj.orgs import extensions as org_extensions
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.plans.sections import page_year
from keyproj.projects import extensions as project_extensions
from keyproj.projects.models import Project
from keyproj.projects.tables import Row

# ---------------------------------------------------------------- the project page's months


def project_months(project: Project, year: int, period: Period | None) -> list[dict[str, Any]]:
    """The year's twelve months: plan and returns, month by month and cumulative."""
    rows = {m.month: m for m in ProjectMonth.objects.filter(project=project, year=year)}
    reported_to = period.month if period and period.year == year else (12 if period and period.year > year else 0)
    months = []
    for month in range(1, 13):
        row = rows.get(month)
        shown = row is not None and month <= reported_to
        months.append(
            {
                "month": month,
                "label": Period(year, month).short_label,
                "plan_month": row.plan_month if row else None,
                "plan_to_date": row.plan_to_date if row else None,
                "actual_month": row.actual_month if shown and row is not None else None,
                "actual_to_date": row.actual_to_date if shown and row is not None else None,
            }
        )
    return months


def _chart(months: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "months": [m["label"] for m in months],
        "series": {
            "plan_month": [fmt2(m["plan_month"]) for m in months],
            "actual_month": [fmt2(m["actual_month"]) for m in months],
            "plan_to_date": [fmt2(m["plan_to_date"]) for m in months],
            "actual_to_date": [fmt2(m["actual_to_date"]) for m in months],
        },
        "labels": {
            "plan_month": gettext("月度计划"),
            "actual_month": gettext("月度完成"),
            "plan_to_date": gettext("累计计划"),
            "actual_to_date": gettext("累计完成"),
            "unit": gettext("万元"),
            # The axis name sits left of the axis's own labels: a short form keeps it from being cut off.
            "axis": pgettext("chart axis unit", "万元"),
        },
    }


def months_context(request: HttpRequest, project: Project, period: Period | None) -> dict[str, Any]:
    year = page_year(project, period)
    months = project_months(project, year, period) if year else []
    return {
        "year": year,
        "months": [
            {**m, **{k: wan(m[k]) if m[k] is not None else "—" for k in m if k not in ("month", "label")}}
            for m in months
        ],
        "has_months": any(m["plan_month"] is not None for m in months),
        "chart": _chart(months),
    }


MONTHS_SECTION = project_extensions.Section(
    key="months", order=10, template="metrics/_project_months.html", context=months_context
)

# ---------------------------------------------------------------- an organisation's page

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


def _behind_row(month: Any) -> Row:
    """A rollup row shown like a register row (its project carries the month's figures)."""
    project = month.project
    project.plan_to_date = month.plan_to_date
    project.actual_to_date = month.actual_to_date
    project.annual_plan = month.annual_plan
    return Row.of(project)


def org_figures_context(request: HttpRequest, org: Organisation) -> dict[str, Any]:
    """An organisation's figures for the month asked for (else the latest reported) and its slowest projects."""
    user = request.user
    latest = latest_reported(user)
    period, period_error = page_period(request, latest)
    scope = _scope(org, user)
    context: dict[str, Any] = {
        "period": period,
        "period_error": period_error,
        "picker": sorted({*picker_periods(user, latest), *([period] if period else [])}, reverse=True),
        "project_count": Project.objects.visible_to(user).filter(_projects_q(org)).count(),
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
    return context


ORG_FIGURES_SECTION = org_extensions.Section(
    key="figures",
    order=10,
    template="metrics/_org_figures.html",
    head_template="metrics/_org_picker.html",
    context=org_figures_context,
)


def org_project_counts(user: Any, orgs: list[Organisation]) -> dict[int, int]:
    """How many of the projects the user sees each organisation's page is about, in one query."""
    # One filtered COUNT per organisation over the visible projects.
    counts = Project.objects.visible_to(user).aggregate(
        **{f"o{o.pk}": Count("pk", filter=_projects_q(o)) for o in orgs}
    )
    return {o.pk: counts[f"o{o.pk}"] for o in orgs}
