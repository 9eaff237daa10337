"""Earned value of a project, month by month through a year: PV, EV and AC, and SPI and CPI.

- PV (planned value): the investment before the year (the annual plan's opening balance,
  `AnnualPlan.invested_before`) plus the year's cumulative plan to the month.
- AC (actual cost): the same opening balance plus the year's approved investment to the month.
- EV (earned value): the reported physical completion (形象进度 %) of the latest approved return
  up to the month, of any year, times the project's total investment.
- SPI = EV / PV, CPI = EV / AC; None when an input is missing or the divisor is 0.

The cumulative figures are the rollup's (ProjectMonth), the completion is found by the database
in the same query; only the ratios are computed here, by the pure functions of
keyproj.core.earned. Decimal throughout, rounded only for display. docs/earned-value.md says
what the figures can and cannot tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery

from keyproj.core.earned import cumulative, earned, index
from keyproj.core.period import Period
from keyproj.metrics.models import ProjectMonth
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus

__all__ = ["EarnedMonth", "cumulative", "earned", "earned_value", "index"]


@dataclass(frozen=True)
class EarnedMonth:
    """One month's earned-value figures (万元; the indices as plain ratios). None: not known."""

    month: int
    pv: Decimal | None
    ev: Decimal | None
    ac: Decimal | None
    completion: Decimal | None  # the percentage EV was computed from

    @property
    def spi(self) -> Decimal | None:
        return index(self.ev, self.pv)

    @property
    def cpi(self) -> Decimal | None:
        return index(self.ev, self.ac)


def _latest_completion() -> Subquery:
    """The completion of the latest approved return of the row's project up to the row's month, of any year."""
    up_to = Q(year__lt=OuterRef("year")) | Q(year=OuterRef("year"), month__lte=OuterRef("month"))
    latest = (
        ProgressReturn.objects.filter(
            up_to, project=OuterRef("project"), status=ReturnStatus.APPROVED, completion__isnull=False
        )
        .order_by("-year", "-month")
        .values("completion")[:1]
    )
    return Subquery(latest, output_field=DecimalField(max_digits=5, decimal_places=2))


def earned_value(project: Project, year: int, reported_to: int = 12) -> list[EarnedMonth]:
    """The year's months that have rollup rows (an approved plan), January first.

    reported_to: the last month whose actuals count (a later month is not reported yet and
    shows PV only). Two queries: the plan's opening balance, and the rollup rows with each
    month's completion.
    """
    opening = (
        AnnualPlan.objects.filter(project=project, year=year, status=PlanStatus.APPROVED)
        .values_list("invested_before", flat=True)
        .first()
    )
    rows = (
        ProjectMonth.objects.filter(project=project, year=year)
        .annotate(completion=_latest_completion())
        .order_by("month")
        .values_list("month", "plan_to_date", "actual_to_date", "completion")
    )
    total = project.total_investment or None  # a total of 0 is one not yet estimated
    months = []
    for month, plan_to_date, actual_to_date, completion in rows:
        reported = month <= reported_to
        months.append(
            EarnedMonth(
                month=month,
                pv=cumulative(opening, plan_to_date),
                ev=earned(completion, total) if reported else None,
                ac=cumulative(opening, actual_to_date) if reported else None,
                completion=completion if reported else None,
            )
        )
    return months


def reported_through(year: int, period: Period | None) -> int:
    """The last month of `year` whose returns count on a page showing `period` (0: none)."""
    if period is None:
        return 0
    if period.year == year:
        return period.month
    return 12 if period.year > year else 0
