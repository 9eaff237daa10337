"""Whether a month's returns came in on time: the deadline, and who is late or missing.

A return is due for every project with an approved plan for the year. It is on time when
it was submitted (or approved) by the end of the deadline day, late when after, missing
when it has not been submitted at all. The office chases the missing ones (催报).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from keyproj.core.period import Period
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReportingRule, ReturnStatus

DEFAULT_DEADLINE_DAY = 5  # what applies before the office has written any rule


def deadline(period: Period) -> dt.date:
    """The last day on which the month's returns are on time."""
    rule = (
        ReportingRule.objects.filter(
            Q(effective_year__lt=period.year) | Q(effective_year=period.year, effective_month__lte=period.month)
        )
        .order_by("-effective_year", "-effective_month")
        .first()
    )
    day = rule.deadline_day if rule else DEFAULT_DEADLINE_DAY
    return period.next().first_day.replace(day=day)


@dataclass(frozen=True)
class OwnerTimeliness:
    """One owner's returns for a month: how many were due, on time, late and missing."""

    owner_id: int
    owner: str
    due: int
    on_time: int
    late: int
    missing: int


def _due(user: Any, period: Period) -> Any:
    """The projects the user may see whose return for the month is due."""
    planned = AnnualPlan.objects.filter(project=OuterRef("pk"), year=period.year, status=PlanStatus.APPROVED)
    return Project.objects.visible_to(user).filter(Exists(planned))


def by_owner(user: Any, period: Period) -> list[OwnerTimeliness]:
    """Every owner's count of due, on-time, late and missing returns, counted in the database."""
    end = timezone.make_aware(dt.datetime.combine(deadline(period) + dt.timedelta(days=1), dt.time.min))
    sent = (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)
    month = Q(returns__year=period.year, returns__month=period.month, returns__status__in=sent)
    rows = (
        _due(user, period)
        .values("owner_id", "owner__name")
        .annotate(
            due=Count("pk", distinct=True),
            on_time=Count("returns", filter=month & Q(returns__submitted_at__lt=end)),
            late=Count("returns", filter=month & Q(returns__submitted_at__gte=end)),
        )
        .order_by("owner__name")
    )
    return [
        OwnerTimeliness(
            owner_id=row["owner_id"],
            owner=row["owner__name"],
            due=row["due"],
            on_time=row["on_time"],
            late=row["late"],
            missing=row["due"] - row["on_time"] - row["late"],
        )
        for row in rows
    ]


def missing(user: Any, period: Period) -> Any:
    """The projects whose return for the month has not been submitted: the 催报 list."""
    sent = ProgressReturn.objects.filter(
        project=OuterRef("pk"),
        year=period.year,
        month=period.month,
        status__in=(ReturnStatus.SUBMITTED, ReturnStatus.APPROVED),
    )
    return (
        _due(user, period)
        .filter(~Exists(sent))
        .select_related("owner", "agent_builder", "district", "responsible_unit")
        .order_by("owner__name", "code")
    )
