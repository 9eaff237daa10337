"""Querysets of 问题协调; every one that reaches a user goes through `visible_to` (the one door).

Who sees a problem:
- anyone who sees its project (keyproj.core.scoping: the office and city leaders see all,
  a district its projects, a unit, owner or agent builder theirs);
- the project's tracker (跟踪人), whatever their memberships;
- the project's liaison leader (分管(挂钩)市领导) once the problem has been escalated to them
  (level 4) or above.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import BooleanField, Case, Count, Q, Value, When

from keyproj.core.scoping import project_q, scope_for

# The project columns by which long-unresolved problems are counted against an organisation.
COUNT_FIELDS = frozenset({"district", "area_command", "responsible_unit", "owner", "agent_builder"})


def problem_q(user: Any, prefix: str = "") -> Q:
    """A filter for problems (reached through `prefix`) the user may see."""
    q = project_q(user, f"{prefix}project__")
    if scope_for(user).everything:
        return q
    if getattr(user, "pk", None) is not None:
        q |= Q(**{f"{prefix}project__tracker_id": user.pk})
        q |= Q(**{f"{prefix}project__liaison_leader_id": user.pk, f"{prefix}level__gte": 4})
    return q


def _limits(today: dt.date) -> dict[int, int]:
    """{level: time limit in days} under the problem rule in force on `today` (one query)."""
    rule_model = apps.get_model("problems", "ProblemRule")
    return rule_model.in_force(today).limits()


def long_unresolved_days(as_of: dt.date) -> int:
    """The long-unresolved threshold (days) in force on `as_of`."""
    rule_model = apps.get_model("problems", "ProblemRule")
    return int(rule_model.in_force(as_of).long_unresolved_days)


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ProblemQuerySet:
        """Problems the user may see (see the module docstring)."""
        return self.filter(problem_q(user))

    def open(self) -> ProblemQuerySet:
        """Problems not yet resolved or closed (待办 or 办理中)."""
        return self.filter(status__in=["open", "in_progress"])

    def unresolved_on(self, as_of: dt.date) -> ProblemQuerySet:
        """Problems raised by `as_of` and not resolved by then (today this is `open()`;
        for a past day it is what was open that day, so a month close can be redone later)."""
        return self.filter(raised_on__lte=as_of).filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=as_of))

    def long_unresolved(self, as_of: dt.date) -> ProblemQuerySet:
        """Problems unresolved on `as_of` that were raised more than the rule's days (default 60) before it."""
        cutoff = as_of - dt.timedelta(days=long_unresolved_days(as_of))
        return self.unresolved_on(as_of).filter(raised_on__lt=cutoff)

    def overdue_q(self, today: dt.date, limits: dict[int, int] | None = None) -> Q:
        """Open problems held at their level for longer than its time limit on `today`.

        A problem that reached level L on day d is due by d + limit(L); it is overdue from the
        day after. The cut-off per level is computed here, so the database compares plain dates.
        """
        limits = _limits(today) if limits is None else limits
        q = Q(pk__in=[])
        for level, days in limits.items():
            q |= Q(level=level, level_since__lt=today - dt.timedelta(days=days))
        return Q(status__in=["open", "in_progress"]) & q

    def overdue(self, today: dt.date, limits: dict[int, int] | None = None) -> ProblemQuerySet:
        """Open problems past their level's time limit on `today`."""
        return self.filter(self.overdue_q(today, limits))

    def with_overdue(self, today: dt.date) -> ProblemQuerySet:
        """Annotate `is_overdue` (for worklists that put overdue problems first)."""
        return self.annotate(
            is_overdue=Case(
                When(self.overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )


def long_unresolved_counts(as_of: dt.date, by: str) -> dict[int, int]:
    """{organisation id: number of long-unresolved problems on its projects}, counted in the database.

    by: the project's organisation column ("district", "area_command", "responsible_unit", "owner",
    "agent_builder"). Projects without that organisation are not counted.
    """
    if by not in COUNT_FIELDS:
        raise ValueError(f"unknown organisation field {by!r}")
    problem_model = apps.get_model("problems", "Problem")
    column = f"project__{by}_id"
    rows = (
        problem_model.objects.long_unresolved(as_of)
        .filter(**{f"{column}__isnull": False})
        .order_by()
        .values(column)
        .annotate(n=Count("id"))
        .values_list(column, "n")
    )
    return {org: n for org, n in rows}


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> MeetingQuerySet:
        """The whole programme's meetings for the office and leaders; for others, the meetings
        that discussed, raised or resolved a problem they may see."""
        if scope_for(user).everything:
            return self.all()
        problem_model = apps.get_model("problems", "Problem")
        visible = problem_model.objects.filter(problem_q(user))
        through: Any = self.model.discussed.through  # type: ignore[attr-defined]
        return self.filter(
            Q(pk__in=through.objects.filter(problem__in=visible).values("meeting_id"))
            | Q(pk__in=visible.filter(raised_at_meeting__isnull=False).values("raised_at_meeting_id"))
            | Q(pk__in=visible.filter(resolved_at_meeting__isnull=False).values("resolved_at_meeting_id"))
        )


class SiteVisitQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> SiteVisitQuerySet:
        """All visits for the office and leaders; for others, visits to a project they may see."""
        if scope_for(user).everything:
            return self.all()
        through: Any = self.model.projects.through  # type: ignore[attr-defined]
        return self.filter(pk__in=through.objects.filter(project_q(user, "project__")).values("sitevisit_id"))
