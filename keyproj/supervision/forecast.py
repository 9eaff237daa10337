"""Where the year will end: a forecast for each project and for the city (issue 5, item 5).

The rest of the year is assumed to go at the pace of the recent months: the actual ÷ plan
of the last three months of the curve (of the year so far when those planned nothing,
and the plan itself when nothing was planned yet). So

    forecast = actual to date + (annual plan − plan to date) × pace

computed in the database for every project the user may see. A project whose forecast
falls short of its annual plan is "likely to miss the annual plan". This is separate from
the cards: a card judges the months gone, the forecast the months to come.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    FloatField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThan

from keyproj.core.money import ZERO, percent, round2, yi
from keyproj.core.period import Period
from keyproj.metrics.models import ProjectMonth

WINDOW = 3  # months of the curve the pace is read from

REAL = FloatField()


def _real(expression: Any) -> Any:
    return Cast(expression, REAL)


def forecasts(user: Any, period: Period) -> QuerySet[ProjectMonth]:
    """The user's projects' rollup rows of `period`, annotated with `pace`, `forecast` and `shortfall` (万元, float)."""
    rows: Any = ProjectMonth.objects.visible_to(user).filter(year=period.year, month=period.month, annual_plan__gt=0)
    start = period.month - WINDOW
    if start >= 1:
        earlier = ProjectMonth.objects.filter(project_id=OuterRef("project_id"), year=period.year, month=start)
        early_plan: Any = Coalesce(_real(Subquery(earlier.values("plan_to_date")[:1])), Value(0.0))
        early_actual: Any = Coalesce(_real(Subquery(earlier.values("actual_to_date")[:1])), Value(0.0))
    else:
        early_plan = early_actual = Value(0.0)
    plan, actual, annual = _real("plan_to_date"), _real("actual_to_date"), _real("annual_plan")
    recent_plan = ExpressionWrapper(plan - early_plan, output_field=REAL)
    recent_actual = ExpressionWrapper(actual - early_actual, output_field=REAL)
    pace = Case(
        When(GreaterThan(recent_plan, Value(0.0)), then=recent_actual / recent_plan),
        When(plan_to_date__gt=0, then=actual / plan),
        default=Value(1.0),
        output_field=REAL,
    )
    forecast = ExpressionWrapper(actual + (annual - plan) * pace, output_field=REAL)
    return rows.annotate(
        pace=pace,
        forecast=forecast,
        shortfall=ExpressionWrapper(annual - forecast, output_field=REAL),
    )


def likely_to_miss(user: Any, period: Period) -> QuerySet[ProjectMonth]:
    """The projects whose forecast falls short of their annual plan, the largest shortfall first."""
    # A hundredth of a 万元 is noise from the floating-point pace, not a shortfall.
    annotated: Any = forecasts(user, period)  # `shortfall` is an annotation the type checker cannot see
    return annotated.filter(shortfall__gt=0.005).order_by("-shortfall", "project__code")


@dataclass(frozen=True)
class CityForecast:
    """The year-end forecast of everything the user may see (万元) and how many projects look short."""

    period: Period
    annual_plan: Decimal
    forecast: Decimal
    short_count: int
    project_count: int

    @property
    def rate(self) -> Decimal | None:
        """The forecast as a share of the annual plan, in percent."""
        return percent(self.forecast, self.annual_plan)

    @property
    def forecast_yi(self) -> Decimal:
        return yi(self.forecast)

    @property
    def annual_plan_yi(self) -> Decimal:
        return yi(self.annual_plan)

    @property
    def short(self) -> bool:
        return self.forecast < self.annual_plan


def city_forecast(user: Any, period: Period) -> CityForecast:
    """The sum of the projects' forecasts against the sum of their annual plans: one query."""
    # The totals' names must differ from the annotations': an aggregate named like the
    # annotation it sums replaces it and sums nothing (SUM("forecast")).
    sums = forecasts(user, period).aggregate(
        total_annual=Sum("annual_plan"), total_forecast=Sum("forecast"), projects=Count("pk")
    )
    short = likely_to_miss(user, period).count()
    return CityForecast(
        period=period,
        annual_plan=round2(Decimal(str(sums["total_annual"] or ZERO))),
        forecast=round2(Decimal(str(sums["total_forecast"] or 0))),
        short_count=short,
        project_count=sums["projects"],
    )


def project_forecast(user: Any, period: Period, project_id: int) -> ProjectMonth | None:
    """One project's row with its forecast (None when it has no plan for the year)."""
    return forecasts(user, period).filter(project_id=project_id).select_related("project").first()
