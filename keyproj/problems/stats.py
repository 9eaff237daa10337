"""Statistics of coordination work for a period and a scope: site visits, meetings, problems.

A period's statistics are year-to-date (1-N月), as the office publishes them ("1-7月，已累计深入
项目现场326次…"); the month's own figures (N月) are given beside them. Counts come from the
database (COUNT with filters); the median days to resolve reads one values_list of the
(raised_on, resolved_on) pairs of the problems resolved in the period and scope, because a
median is not portable SQL between SQLite and PostgreSQL.
"""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q

from keyproj.core.period import Period
from keyproj.core.scoping import project_q
from keyproj.metrics.figures import FigureScope, parse_scope
from keyproj.problems.models import Level, Meeting, MeetingKind, Problem, ProblemCategory, SiteVisit


@dataclass(frozen=True)
class Span:
    """Counts over one span of days."""

    first: dt.date
    last: dt.date
    site_visits: int  # project sites visited (a team visiting three sites in a day counts three)
    visit_outings: int  # the visits themselves
    weekly_meetings: int
    special_meetings: int
    raised: int
    resolved: int
    median_days: Decimal | None  # days from raised to resolved, of the problems resolved in the span

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "site_visits": self.site_visits,
            "visit_outings": self.visit_outings,
            "weekly_meetings": self.weekly_meetings,
            "special_meetings": self.special_meetings,
            "problems_raised": self.raised,
            "problems_resolved": self.resolved,
            "median_days_to_resolve": None if self.median_days is None else str(self.median_days),
        }


@dataclass(frozen=True)
class Row:
    """Raised and resolved problems of one category or level, year to date."""

    key: str
    name: str
    raised: int
    resolved: int


@dataclass(frozen=True)
class Stats:
    """The coordination statistics of a period: year to date and the month, with breakdowns."""

    period: Period
    scope: FigureScope
    to_date: Span
    month: Span
    open_at_end: int
    long_unresolved_at_end: int
    by_category: list[Row] = field(default_factory=list)
    by_level: list[Row] = field(default_factory=list)

    def sentence(self) -> str:
        """The office's published sentence, as the seed writes it (year to date):
        1-7月，已累计深入项目现场326次，累计召开专题会议49次，共协调解决项目建设问题147个。"""
        t = self.to_date
        where = "" if self.scope.key == "city" else f"{self.scope.label}："
        return (
            f"{self.period.to_date_label}，{where}已累计深入项目现场{t.site_visits}次，"
            f"累计召开专题会议{t.special_meetings}次，共协调解决项目建设问题{t.resolved}个。"
        )

    def month_sentence(self) -> str:
        """The month's own figures: 7月，深入项目现场N次，召开专题会议M次，协调解决问题K个。"""
        m = self.month
        return (
            f"{self.period.month}月，深入项目现场{m.site_visits}次，召开专题会议{m.special_meetings}次，"
            f"协调解决问题{m.resolved}个。"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "period": str(self.period),
            "scope": self.scope.key,
            "to_date": self.to_date.as_json(),
            "month": self.month.as_json(),
            "open_at_end": self.open_at_end,
            "long_unresolved_at_end": self.long_unresolved_at_end,
            "by_category": [r.__dict__ for r in self.by_category],
            "by_level": [r.__dict__ for r in self.by_level],
        }


def _median(pairs: list[tuple[dt.date, dt.date]]) -> Decimal | None:
    if not pairs:
        return None
    value = statistics.median((resolved - raised).days for raised, resolved in pairs)
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _span(user: Any, scope: FigureScope, first: dt.date, last: dt.date) -> Span:
    problems = Problem.objects.visible_to(user).filter(scope.q)
    counts = problems.aggregate(
        raised=Count("pk", filter=Q(raised_on__range=(first, last))),
        resolved=Count("pk", filter=Q(resolved_on__range=(first, last))),
    )
    pairs = list(problems.filter(resolved_on__range=(first, last)).values_list("raised_on", "resolved_on"))
    through: Any = SiteVisit.projects.through  # type: ignore[attr-defined]
    # FigureScope.q reaches the project through "project__", as the visit–project rows do.
    visited = (
        through.objects.filter(sitevisit__visited_on__range=(first, last))
        .filter(project_q(user, "project__"))
        .filter(scope.q)
        .aggregate(sites=Count("pk"), outings=Count("sitevisit", distinct=True))
    )
    meetings = _meetings(user, scope).filter(held_on__range=(first, last))
    by_kind = meetings.aggregate(
        weekly=Count("pk", filter=Q(kind=MeetingKind.WEEKLY)), special=Count("pk", filter=Q(kind=MeetingKind.SPECIAL))
    )
    return Span(
        first=first,
        last=last,
        site_visits=visited["sites"],
        visit_outings=visited["outings"],
        weekly_meetings=by_kind["weekly"],
        special_meetings=by_kind["special"],
        raised=counts["raised"],
        resolved=counts["resolved"],
        median_days=_median(pairs),
    )


def _meetings(user: Any, scope: FigureScope) -> Any:
    meetings = Meeting.objects.visible_to(user)
    if scope.key in ("city", "visible"):
        return meetings
    # A narrower scope counts the meetings that took up its projects' problems.
    touched = Problem.objects.filter(scope.q)
    through: Any = Meeting.discussed.through  # type: ignore[attr-defined]
    return meetings.filter(pk__in=through.objects.filter(problem__in=touched).values("meeting_id"))


def compute(user: Any, period: Period, scope: FigureScope | None = None) -> Stats:
    """The statistics of `period` (year to date, and the month) within the user's scope, or a narrower one."""
    scope = scope or parse_scope(None, user)
    year_start = dt.date(period.year, 1, 1)
    month_start = dt.date(period.year, period.month, 1)
    month_end = dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])
    problems = Problem.objects.visible_to(user).filter(scope.q)
    in_year = Q(raised_on__range=(year_start, month_end))
    solved = Q(resolved_on__range=(year_start, month_end))
    names = {c.code: c.display_name for c in ProblemCategory.objects.all()}
    by_category = [
        Row(code, names.get(code, code), raised, resolved)
        for code, raised, resolved in problems.filter(in_year | solved)
        .order_by()
        .values("category__code")
        .annotate(raised=Count("pk", filter=in_year), resolved=Count("pk", filter=solved))
        .values_list("category__code", "raised", "resolved")
    ]
    order = {c.code: c.order for c in ProblemCategory.objects.all()}
    by_category.sort(key=lambda r: (order.get(r.key, 999), r.key))
    by_level = sorted(
        (
            Row(str(level), str(Level(level).label), raised, resolved)
            for level, raised, resolved in problems.filter(in_year | solved)
            .order_by()
            .values("level")
            .annotate(raised=Count("pk", filter=in_year), resolved=Count("pk", filter=solved))
            .values_list("level", "raised", "resolved")
        ),
        key=lambda r: r.key,
    )
    return Stats(
        period=period,
        scope=scope,
        to_date=_span(user, scope, year_start, month_end),
        month=_span(user, scope, month_start, month_end),
        open_at_end=problems.unresolved_on(month_end).count(),
        long_unresolved_at_end=problems.long_unresolved(month_end).count(),
        by_category=by_category,
        by_level=by_level,
    )
