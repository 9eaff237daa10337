"""Builders for the supervision tests: projects with plans and returns, closes on a fixed day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.returns.services import ReturnData, save_returns
from keyproj.supervision.models import CardRule, MonthClose, RankingRule
from keyproj.supervision.services import close_month
from keyproj.testing import AFTER_2019, make_plan, make_project

JULY = Period(2019, 7)
JUNE = Period(2019, 6)
# What a month recorded by `earlier_months_closed` published: nothing.
EMPTY_SNAPSHOT: dict[str, Any] = {
    "cards": [],
    "lifted": [],
    "rankings": {},
    "listings": {"listed": [], "proposals": []},
    "timeliness": {"missing_projects": []},
}


def project_with(
    actual_per_month: str | None, months: int = 7, *, started: bool = True, plan: str = "100", **plan_extra: Any
):
    """A project with twelve equal plan months and `months` approved returns of the same amount."""
    extra = {key: plan_extra.pop(key) for key in list(plan_extra) if key not in ("start_month", "completion_month")}
    project = make_project(**extra)
    make_plan(project, [plan] * 12, **plan_extra)
    if actual_per_month is not None:
        items = [
            ReturnData(project=project, year=2019, month=m, investment=Decimal(actual_per_month), started=started)
            for m in range(1, months + 1)
        ]
        save_returns(items, user=CONSOLE, approve=True, today=AFTER_2019)
    return project


def earlier_months_closed(period: Period) -> None:
    """Record the months of the year before `period` as closed, having published nothing.

    Months close in order; a test about one month's close should not be a test of the
    months before it. A month recorded so has no cards and no ranks, so the close of
    `period` judges exactly as if nothing had been closed before it.
    """
    for month in range(1, period.month):
        if MonthClose.objects.filter(year=period.year, month=month).exists():
            continue
        day = Period(period.year, month).next().first_day.replace(day=20)
        MonthClose.objects.create(
            year=period.year,
            month=month,
            card_rule=CardRule.current(),
            ranking_rule=RankingRule.current(),
            closed_at=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
            closed_on=day,
            snapshot={"period": str(Period(period.year, month)), **EMPTY_SNAPSHOT},
        )


def close(period: Period = JULY, **kwargs: Any):
    """Close a month as the console, on a day after its deadline, the months before it recorded as closed."""
    kwargs.setdefault("today", dt.date(period.next().year, period.next().month, 20))
    earlier_months_closed(period)
    return close_month(period, user=kwargs.pop("user", CONSOLE), **kwargs)
