"""The dashboard's queries: a month's curve, the slowest projects, the milestones ahead.

The headline figures and the three breakdowns are `figures.summary` and `figures.breakdown`;
this module adds what only the dashboard shows. Every query is scoped through
`visible_to(user)`, and their number is fixed: it does not grow with the projects.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from keyproj.core.money import ZERO, round2
from keyproj.core.period import Period
from keyproj.metrics.figures import FigureScope, project_figures
from keyproj.metrics.models import Dimension, ProjectMonth, ScopeMonth
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn

# How many months the picker offers: three years is plenty.
PICKER_MONTHS = 36
# How far ahead the dashboard looks for planned starts and completions.
AHEAD_MONTHS = 3


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


@dataclass(frozen=True)
class ReportingProgress:
    """How far a month's reporting has come: approved returns among the projects that owe one."""

    approved: int
    expected: int


def reporting_progress(user: Any, period: Period, scope: FigureScope | None = None) -> ReportingProgress:
    """The month's approved returns and the projects with an approved plan for its year, for what the user sees.

    Counted as the completeness rule counts them (a return counts only for a project that owes
    one), in one query over the year's plans; for a scope stored in the aggregate, the projects
    that owe a return are its month's total row (a project has rollup rows exactly when its plan
    is approved) and the returns are the month's own (`_stored_progress`), so nothing scans the plans.
    """
    if scope is not None and scope.aggregate is not None:
        return _stored_progress(user, period, scope)
    approved_return = ProgressReturn.objects.approved().filter(
        project=OuterRef("project"), year=period.year, month=period.month
    )
    counts = (
        AnnualPlan.objects.visible_to(user)
        .filter(year=period.year, status=PlanStatus.APPROVED)
        .annotate(returned=Exists(approved_return))
        .aggregate(expected=Count("pk"), approved=Count("pk", filter=Q(returned=True)))
    )
    return ReportingProgress(approved=counts["approved"], expected=counts["expected"])


def _stored_progress(user: Any, period: Period, scope: FigureScope) -> ReportingProgress:
    assert scope.aggregate is not None
    expected = (
        scope_year(period.year, scope.aggregate).filter(month=period.month).values_list("project_count", flat=True)
    )
    # Counted through the (year, month, status) index alone: asking of each return whether its
    # project's plan is approved joined every return of the month to the plans (0.18 s at 100,000
    # projects against 0.02 s). Returns are entered against approved plans (returns.entry), so
    # the two counts agree; only a return approved for a project whose plan is not (the console
    # can) would be counted here and not by the plans' query.
    approved = (
        ProgressReturn.objects.visible_to(user).approved().filter(scope.q, year=period.year, month=period.month).count()
    )
    return ReportingProgress(approved=approved, expected=expected.first() or 0)


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


@dataclass(frozen=True)
class TrendPoint:
    """The cumulative figures of one month of the year (万元); no actual after the chosen month."""

    month: int
    plan_to_date: Decimal
    actual_to_date: Decimal | None


def scope_year(year: int, aggregate: tuple[str, int]) -> QuerySet[ScopeMonth]:
    """A stored scope's total rows of each month of `year` (at most twelve, whatever its size)."""
    family, scope_id = aggregate
    return ScopeMonth.objects.filter(year=year, family=family, scope_id=scope_id, dimension=Dimension.TOTAL, key_id=0)


def trend(user: Any, period: Period, scope: FigureScope | None = None) -> list[TrendPoint]:
    """Plan to date for months 1..12 and actual to date up to `period`, in one grouped query.

    A scope stored in the aggregate reads its twelve total rows; any other sums its projects' rows.
    """
    if scope is not None and scope.aggregate is not None:
        rows: Any = scope_year(period.year, scope.aggregate).values(
            "month", plan=F("plan_to_date"), actual=F("actual_to_date")
        )
    else:
        rows = (
            ProjectMonth.objects.visible_to(user)
            .filter(scope.q if scope else Q(), year=period.year)
            .values("month")
            .annotate(
                plan=Coalesce(Sum("plan_to_date"), Value(ZERO)),
                actual=Coalesce(Sum("actual_to_date"), Value(ZERO)),
            )
            .order_by("month")
        )
    # SQLite sums decimals as binary floats; the columns hold whole cents, so rounding to the
    # cent restores the exact total (as figures._figures does).
    sums = {row["month"]: (round2(Decimal(row["plan"])), round2(Decimal(row["actual"]))) for row in rows}
    points = []
    for month in range(1, 13):
        plan, actual = sums.get(month, (ZERO, ZERO))
        points.append(TrendPoint(month, plan, actual if month <= period.month else None))
    return points


def furthest_behind(user: Any, period: Period, limit: int = 10, scope: FigureScope | None = None) -> list[ProjectMonth]:
    """The projects with the lowest 完成序时进度计划 that had something planned by `period`.

    Ordered in the database (on a tie, the larger shortfall first); each row carries its
    project (and the project's district) and the annotations of `project_figures`
    (over, schedule_rate, annual_rate).
    """
    ranked = project_figures(user, period, scope).filter(plan_to_date__gt=0)
    order = ("schedule_rate", "over", "project_id")
    # The ten are picked from the rollup alone, then joined to their projects: joining every
    # project's row before sorting made this the dashboard's slowest query (bench/).
    slowest = ranked.order_by(*order).values("pk")[:limit]
    return list(ranked.filter(pk__in=slowest).select_related("project__district").order_by(*order))


@dataclass(frozen=True)
class Milestone:
    """A planned start or completion that has not been reported yet."""

    period: Period
    project: Project


@dataclass(frozen=True)
class Upcoming:
    """Planned starts and completions of the months after the chosen one (the first `limit` of each)."""

    months: list[Period]
    starts: list[Milestone]
    completions: list[Milestone]
    start_count: int
    completion_count: int


def _reported(period: Period, flag: str) -> Exists:
    """Whether an approved return up to `period` says the plan's project has started (or completed)."""
    returns = ProgressReturn.objects.approved().filter(
        Q(year__lt=period.year) | Q(year=period.year, month__lte=period.month),
        project=OuterRef("project"),
        **{flag: True},
    )
    return Exists(returns)


def _in_months(column: str, months: list[Period]) -> Q:
    # One (year, months) term a year, so that PostgreSQL reads each year's months as one range
    # of the (year, month column, status) index (plans.AnnualPlan's indexes).
    years: dict[int, list[int]] = {}
    for p in months:
        years.setdefault(p.year, []).append(p.month)
    q = Q(pk__in=[])
    for year, in_year in years.items():
        q |= Q(year=year, **{f"{column}__in": in_year})
    return q


def upcoming(user: Any, period: Period, ahead: int = AHEAD_MONTHS, limit: int = 10) -> Upcoming:
    """Projects whose approved plan puts a start or completion in the `ahead` months after `period`,
    and which have not reported it yet. Three queries: the two counts, the starts, the completions."""
    months = [period.next()]
    while len(months) < ahead:
        months.append(months[-1].next())
    start_window = _in_months("start_month", months)
    completion_window = _in_months("completion_month", months)
    # Narrowed to the window first, so that whether a milestone was reported is asked only of
    # the few plans that have one in these months, not of every plan of the year.
    approved = AnnualPlan.objects.visible_to(user).filter(status=PlanStatus.APPROVED)
    started, completed = _reported(period, "started"), _reported(period, "completed")
    plans = approved.filter(start_window | completion_window).annotate(has_started=started, has_completed=completed)
    due_start = start_window & Q(has_started=False)
    due_completion = completion_window & Q(has_completed=False)
    counts = plans.aggregate(starts=Count("pk", filter=due_start), completions=Count("pk", filter=due_completion))

    def listed(window: Q, reported: Exists, column: str) -> list[Milestone]:
        # Each list is narrowed by its own window alone: with the other's OR'd in, PostgreSQL
        # could not use the month index and read every approved plan of the year (bench/).
        rows = (
            approved.filter(window)
            .filter(~reported)
            .select_related("project__district")
            .order_by("year", column, "project__code")[:limit]
        )
        return [Milestone(Period(plan.year, getattr(plan, column)), plan.project) for plan in rows]

    return Upcoming(
        months=months,
        starts=listed(start_window, started, "start_month"),
        completions=listed(completion_window, completed, "completion_month"),
        start_count=counts["starts"],
        completion_count=counts["completions"],
    )
