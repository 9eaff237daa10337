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
from openpyxl import Workbook
from openpyxl.styles import Font

from keyproj.core import xlsx
from keyproj.core.period import Period
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReportingRule, ReturnStatus


def deadline(period: Period) -> dt.date:
    """The last day on which the month's returns are on time (by the rule in force on the month's first day)."""
    day = ReportingRule.in_force(period.first_day).deadline_day
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
    return by_organisation(user, period, "owner")


# The project columns a timeliness table can be grouped by.
GROUPINGS = ("owner", "district", "responsible_unit")


def by_organisation(user: Any, period: Period, by: str) -> list[OwnerTimeliness]:
    """Due, on-time, late and missing returns per organisation of one project column (owner, district or unit).

    The rows carry the organisation in `owner_id`/`owner` whatever the grouping (the name is historical).
    """
    if by not in GROUPINGS:
        raise ValueError(f"cannot group timeliness by {by!r}")
    end = timezone.make_aware(dt.datetime.combine(deadline(period) + dt.timedelta(days=1), dt.time.min))
    sent = (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)
    month = Q(returns__year=period.year, returns__month=period.month, returns__status__in=sent)
    rows = (
        _due(user, period)
        .values(f"{by}_id", f"{by}__name")
        .annotate(
            due=Count("pk", distinct=True),
            on_time=Count("returns", filter=month & Q(returns__submitted_at__lt=end)),
            late=Count("returns", filter=month & Q(returns__submitted_at__gte=end)),
        )
        .order_by(f"{by}__name")
    )
    return [
        OwnerTimeliness(
            owner_id=row[f"{by}_id"],
            owner=row[f"{by}__name"],
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


REMINDER_HEADER = ["项目代码", "项目名称", "所属区", "责任单位", "业主单位", "代建单位", "联系人", "联系电话"]


def reminder_workbook(user: Any, period: Period) -> tuple[Workbook, int]:
    """The 催报 list as a workbook (one row per missing return), and how many rows it has."""
    workbook = xlsx.new_workbook()
    sheet = workbook.active
    sheet.title = "催报清单"
    xlsx.append(sheet, REMINDER_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for width, letter in zip((26, 36, 10, 16, 30, 30, 10, 16), "ABCDEFGH", strict=True):
        sheet.column_dimensions[letter].width = width
    count = 0
    for project in missing(user, period):
        builder = project.agent_builder
        xlsx.append(
            sheet,
            [
                project.code,
                project.name,
                project.district.name,
                project.responsible_unit.name,
                project.owner.name,
                builder.name if builder else "",
                project.owner.contact,
                project.owner.phone,
            ],
        )
        count += 1
    sheet.freeze_panes = "C2"
    return workbook, count
