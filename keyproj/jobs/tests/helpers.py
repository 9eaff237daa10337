"""What the jobs' tests share: moments in the business time zone, and a project due to report August 2019."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from keyproj.accounts.models import Notification
from keyproj.projects.models import Project
from keyproj.testing import make_plan, make_returns

# August 2019 is reported in September; the returns' deadline is the 5th (the default rule).
DEADLINE = dt.date(2019, 9, 5)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of the business day in the installation's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def reporting(project: Project, months: int = 7) -> Project:
    """The project with an approved 2019 plan and approved returns for months 1..`months`."""
    make_plan(project)
    make_returns(project, ["100"] * months)
    return project


def told(user, kind: str = "") -> list[Notification]:
    rows = Notification.objects.filter(user=user)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.order_by("pk"))
