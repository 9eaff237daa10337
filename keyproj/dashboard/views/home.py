"""The dashboard (首页/驾驶舱).

The dashboard shows, for what the user may see, one month (the latest closed month, or
?period=YYYY-MM): the published figures, the year's curve, three breakdowns as charts and
tables, the slowest projects and the milestones ahead. Every number links to the project
register filtered to the projects behind it. A month that is not closed is still being
reported: its figures are shown as provisional, with how many returns are in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from keyproj.core.money import fmt2, num2, percent, round2, wan, yi, yi_text
from keyproj.core.params import page_period
from keyproj.core.period import Period
from keyproj.core.scoping import scope_for
from keyproj.metrics import dashboard
from keyproj.metrics.figures import Figures, FigureScope, breakdown, summary
from keyproj.metrics.sentence import published
from keyproj.projects.models import Category
from keyproj.supervision.models import MonthClose

# The breakdowns of the dashboard, in the order they are shown: (key, title, register parameter).
BREAKDOWN_TITLES = (
    ("district", _("按区"), "district"),
    ("category", _("按项目类别"), "category"),
    ("responsible_unit", _("按责任单位"), "responsible_unit"),
)

# The chart containers' ids (a browser test finds the ECharts instances by them).
CHART_IDS = {"district": "chart-district", "category": "chart-category", "responsible_unit": "chart-unit"}


class Links:
    """Addresses of the project register (filtered, for one month) and of project pages.

    The register is its own app; until it is installed the addresses are still the agreed
    ones (/projects/…), so the dashboard never breaks for want of it.
    """

    def __init__(self, period: Period) -> None:
        self.period = str(period)
        try:
            self.base = reverse("projects:list")
        except NoReverseMatch:
            self.base = "/projects/"

    def register(self, **params: str | int) -> str:
        return f"{self.base}?{urlencode({**params, 'period': self.period})}"

    def project(self, pk: int) -> str:
        try:
            return reverse("projects:detail", args=[pk])
        except NoReverseMatch:
            return f"{self.base}{pk}/"


@dataclass(frozen=True)
class FigureRow:
    """One line of figures ready for display: money in 亿元, rates in percent, as text."""

    name: str
    project_count: int
    annual_plan: str
    plan_to_date: str
    actual_to_date: str
    over: str
    ahead: bool
    schedule_rate: str
    annual_rate: str
    url: str = ""

    @classmethod
    def of(cls, name: str, figures: Figures, url: str = "") -> FigureRow:
        return cls(
            name=name,
            project_count=figures.project_count,
            annual_plan=yi_text(figures.annual_plan),
            plan_to_date=yi_text(figures.plan_to_date),
            actual_to_date=yi_text(figures.actual_to_date),
            over=_signed(yi(figures.over)),
            ahead=figures.over >= 0,
            schedule_rate=fmt2(figures.schedule_rate) or "—",
            annual_rate=fmt2(figures.annual_rate) or "—",
            url=url,
        )


def _signed(value: Decimal) -> str:
    # A true minus sign: a hyphen is easy to miss in a column of numbers.
    return f"+{num2(value)}" if value > 0 else (f"−{num2(-value)}" if value < 0 else num2(value))


def _wan(value: Decimal) -> str:
    """万元 for tables: two places, thousands separated."""
    return wan(value)


def _chart_number(value: Decimal | None) -> float | None:
    # Charts only draw: a float of the rounded display figure is exact enough for a bar.
    return None if value is None else float(value)


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else round2(value)


def _breakdowns(user: Any, period: Period, scope: FigureScope, links: Links) -> tuple[list[Any], dict[str, Any]]:
    """The three breakdowns as tables (rows of FigureRow) and as chart series (亿元)."""
    tables, charts = [], {}
    for by, title, param in BREAKDOWN_TITLES:
        names = _category_names() if by == "category" else {}
        found = list(breakdown(user, period, by, scope))
        rows = [
            FigureRow.of(names.get(row.key, row.name), row.figures, links.register(**{param: row.key})) for row in found
        ]
        tables.append((title, rows))
        # The charts draw the figures themselves (亿元, percent), never the tables' text: a table's
        # "1,234.56" carries a thousands separator that is no number.
        charts[by] = {
            "title": str(title),
            "names": [row.name for row in rows],
            "plan": [_chart_number(yi(row.figures.plan_to_date)) for row in found],
            "actual": [_chart_number(yi(row.figures.actual_to_date)) for row in found],
            "rate": [_chart_number(_rounded(row.figures.schedule_rate)) for row in found],
            "urls": [row.url for row in rows],
        }
    return tables, charts


def _category_names() -> dict[str, str]:
    """Categories' names in the page's language by code; empty in Chinese, where the list's own names serve."""
    if not (get_language() or "").startswith("en"):
        return {}
    return {category.code: category.display_name for category in Category.objects.all()}


def _trend(user: Any, period: Period, scope: FigureScope) -> dict[str, Any]:
    points = dashboard.trend(user, period, scope)
    return {
        "months": [Period(period.year, p.month).short_label for p in points],
        "plan": [_chart_number(yi(p.plan_to_date)) for p in points],
        "actual": [None if p.actual_to_date is None else _chart_number(yi(p.actual_to_date)) for p in points],
        "chosen": period.month - 1,
    }


def _behind_rows(user: Any, period: Period, scope: FigureScope, links: Links) -> list[dict[str, Any]]:
    return [
        {
            "name": row.project.name,
            "url": links.project(row.project_id),
            "district": row.project.district.name,
            "plan_to_date": _wan(row.plan_to_date),
            "actual_to_date": _wan(row.actual_to_date),
            "schedule_rate": fmt2(percent(row.actual_to_date, row.plan_to_date)),
            "ahead": row.actual_to_date >= row.plan_to_date,
        }
        for row in dashboard.furthest_behind(user, period, scope=scope)
    ]


def _milestones(items: list[dashboard.Milestone], links: Links) -> list[dict[str, Any]]:
    return [
        {
            "period": item.period,
            "name": item.project.name,
            "url": links.project(item.project.pk),
            "district": item.project.district.name,
        }
        for item in items
    ]


def _chart_labels() -> dict[str, str]:
    return {
        "plan": gettext("计划投资"),
        "actual": gettext("实际完成投资"),
        "plan_to_date": gettext("累计计划投资"),
        "actual_to_date": gettext("累计完成投资"),
        "rate": gettext("完成序时进度计划"),
        "yi": gettext("亿元"),
        # The axis name sits left of the axis's own labels: a short form keeps it from being cut off.
        "axis": pgettext("chart axis unit", "亿元"),
        "colon": gettext("："),
        "click": gettext("点击查看项目"),
    }


@dataclass(frozen=True)
class HomeMonths:
    """The months the dashboard knows of: the closed (published) ones, and the one it opens on."""

    closed: frozenset[Period]
    latest_closed: Period | None
    latest_reported: Period | None

    @property
    def default(self) -> Period | None:
        """The latest closed month: its figures are final. Before any close, the latest reported month."""
        return self.latest_closed or self.latest_reported

    @property
    def newest(self) -> Period | None:
        """The newest month worth offering: a month still being reported can be chosen, not opened on."""
        known = [p for p in (self.latest_closed, self.latest_reported) if p is not None]
        return max(known) if known else None

    def is_provisional(self, period: Period) -> bool:
        return period not in self.closed


def home_months(user: Any) -> HomeMonths:
    """Which months are closed, and the latest reported month, for what the user sees (two small queries).

    The home page opens on the latest closed month, so that one approved return of the next
    month does not turn every leader's page to a barely reported month with alarming figures.
    """
    closed = frozenset(
        Period(year, month) for year, month in MonthClose.objects.visible_to(user).closed().values_list("year", "month")
    )
    return HomeMonths(
        closed=closed,
        latest_closed=max(closed) if closed else None,
        latest_reported=dashboard.latest_reported(user),
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of one month for what the user may see."""
    user = request.user
    context: dict[str, Any] = {"nav": "home"}
    if scope_for(user).is_empty:
        return render(request, "dashboard/home.html", {**context, "no_scope": True})

    months = home_months(user)
    period, period_error = page_period(request, months.default)
    # A mistyped month is the user's slip, not the server's: say so (400), show the latest month.
    status = 400 if period_error else 200
    context["period_error"] = period_error
    context["period"] = period
    # A month typed into the address bar is offered in the picker too, so the page says where it is.
    periods = dashboard.picker_periods(user, months.newest)
    context["picker"] = sorted(set(periods) if period is None else {*periods, period}, reverse=True)
    # The picker marks the months after the latest closed one as still being reported.
    context["latest_closed"] = months.latest_closed
    if period is None:
        return render(request, "dashboard/home.html", context, status=status)

    figures = summary(user, period)
    context["figures"] = figures
    if not figures.project_count:
        return render(request, "dashboard/home.html", context, status=status)
    if months.is_provisional(period):
        context["provisional"] = dashboard.reporting_progress(user, period, figures.scope)

    links = Links(period)
    tables, charts = _breakdowns(user, period, figures.scope, links)
    upcoming = dashboard.upcoming(user, period)
    context.update(
        published=published(figures),
        headline=FigureRow.of(figures.scope.label, figures),
        over_abs=yi_text(abs(figures.over)),
        time_rate=fmt2(figures.time_rate),
        time_lead=figures.time_lead,
        time_lead_abs=None if figures.time_lead is None else fmt2(abs(figures.time_lead)),
        all_url=links.register(),
        behind_url=links.register(behind=1),
        tables=tables,
        behind=_behind_rows(user, period, figures.scope, links),
        upcoming=upcoming,
        milestone_lists=[
            (_("计划开工"), upcoming.start_count, _milestones(upcoming.starts, links)),
            (_("计划竣工"), upcoming.completion_count, _milestones(upcoming.completions, links)),
        ],
        chart_panels=[(by, title, CHART_IDS[by]) for by, title, _param in BREAKDOWN_TITLES],
        chart_data={"trend": _trend(user, period, figures.scope), "breakdowns": charts, "labels": _chart_labels()},
    )
    return render(request, "dashboard/home.html", context, status=status)
