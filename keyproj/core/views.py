"""The first face: the home page with the published figures, and the health check.

The full workspace comes later; the home page shows, for what the user may see, the
latest month with approved returns (or the month asked for with ?period=YYYY-MM).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from keyproj.core.money import fmt2, yi
from keyproj.core.period import Period, PeriodError
from keyproj.core.scoping import scope_for
from keyproj.metrics.figures import Figures, breakdown, summary
from keyproj.plans.models import AnnualPlan
from keyproj.returns.models import ProgressReturn

logger = logging.getLogger(__name__)

# The breakdown tables of the home page, in the order they are shown.
BREAKDOWN_TITLES = (
    ("district", _("按区")),
    ("category", _("按项目类别")),
    ("responsible_unit", _("按责任单位")),
)
# How many months the period picker offers: three years is plenty for a first face.
PICKER_MONTHS = 36


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

    @classmethod
    def of(cls, name: str, figures: Figures) -> FigureRow:
        return cls(
            name=name,
            project_count=figures.project_count,
            annual_plan=str(yi(figures.annual_plan)),
            plan_to_date=str(yi(figures.plan_to_date)),
            actual_to_date=str(yi(figures.actual_to_date)),
            over=_signed(yi(figures.over)),
            ahead=figures.over >= 0,
            schedule_rate=fmt2(figures.schedule_rate) or "—",
            annual_rate=fmt2(figures.annual_rate) or "—",
        )


def _signed(value: Decimal) -> str:
    # A true minus sign: a hyphen is easy to miss in a column of numbers.
    return f"+{value}" if value > 0 else (f"−{-value}" if value < 0 else str(value))


def latest_reported(user: Any) -> Period | None:
    """The newest month in which the user can see an approved return (None before the first)."""
    # Ordered by the (year, month, status) index: the newest row is found without a scan.
    row = (
        ProgressReturn.objects.visible_to(user)
        .approved()
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return Period(*row) if row else None


def picker_periods(user: Any, latest: Period | None) -> list[Period]:
    """The months the picker offers, newest first: those of the planned years up to the latest report.

    Read from the annual plans (one row a project a year), not from the returns, which are
    twelve times as many.
    """
    if latest is None:
        return []
    years = (
        AnnualPlan.objects.visible_to(user)
        .filter(year__lte=latest.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    periods = [Period(year, month) for year in years for month in range(12, 0, -1)]
    return [p for p in periods if p <= latest][:PICKER_MONTHS]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The latest published figures for what the user may see, with three breakdowns."""
    user = request.user
    if scope_for(user).is_empty:
        return render(request, "home.html", {"no_scope": True})

    latest = latest_reported(user)
    periods = picker_periods(user, latest)
    context: dict[str, Any] = {}
    status = 200
    period = latest
    asked = request.GET.get("period", "").strip()
    if asked:
        try:
            period = Period.parse(asked)
        except PeriodError as exc:
            # A mistyped month is the user's slip, not the server's: say so, show the latest month.
            context["period_error"] = str(exc)
            status = 400
    context["period"] = period
    # A month typed into the address bar is offered in the picker too, so the page says where it is.
    picker = set(periods) if period is None else {*periods, period}
    context["picker"] = sorted(picker, reverse=True)
    if period is None:
        return render(request, "home.html", context, status=status)

    figures = summary(user, period)
    context["figures"] = figures
    context["sentence"] = figures.sentence()
    context["headline"] = FigureRow.of(figures.scope.label, figures)
    context["over_abs"] = str(yi(abs(figures.over)))
    context["time_rate"] = fmt2(figures.time_rate)
    context["time_lead"] = figures.time_lead
    context["time_lead_abs"] = None if figures.time_lead is None else fmt2(abs(figures.time_lead))
    if figures.project_count:
        context["tables"] = [
            (title, [FigureRow.of(row.name, row.figures) for row in breakdown(user, period, by)])
            for by, title in BREAKDOWN_TITLES
        ]
    return render(request, "home.html", context, status=status)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 `ok` when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: the database did not answer")
        return HttpResponse("database unavailable", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
