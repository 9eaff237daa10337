"""What metrics plugs into the apps below it: the register's month figures and the page blocks built on them.

projects and orgs sit below metrics and import nothing of it; they offer places to plug in
(keyproj.projects.extensions, keyproj.orgs.extensions), and MetricsConfig.ready calls
`register` to fill them:

- the rollup's answer to `figures_changed` (plans and returns send it), to `links_changing` /
  `links_changed` (the register reassigns projects) and to a project's deletion;
- the register's figures of a month (`MonthFigures`): the rollup row joined to each project,
  the month a page opens on, the months a picker offers;
- the project page's months (plan against returns, table and chart: keyproj.metrics.sections);
- the organisation page's figures and projects furthest behind, and the org list's project counts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, FilteredRelation, Q, QuerySet
from django.db.models.signals import pre_delete

from keyproj.core.period import Period
from keyproj.metrics import rollup
from keyproj.metrics.dashboard import PICKER_MONTHS, latest_reported
from keyproj.metrics.earned_section import EARNED_VALUE_SECTION
from keyproj.metrics.models import ScopeMonth
from keyproj.metrics.sections import MONTHS_SECTION, ORG_FIGURES_SECTION, org_project_counts
from keyproj.orgs import extensions as org_extensions
from keyproj.projects import extensions as project_extensions
from keyproj.projects.models import Project

MONEY = DecimalField(max_digits=14, decimal_places=2)
# How far back the register's month picker looks for planned years (it offers PICKER_MONTHS months).
PICKER_YEARS = 10


def with_month(queryset: QuerySet[Any], period: Period | None) -> QuerySet[Any]:
    """Annotate projects with their rollup row of `period`: one LEFT JOIN, NULL where no plan.

    Adds plan_to_date, actual_to_date, annual_plan, plan_month, actual_month (万元), over
    (actual − plan to date) and, for ordering and filtering only, schedule_rate and
    annual_rate as floats (a rate shown to a user is `percent()` of the exact money).
    """
    if period is None:
        # No month with returns yet: the columns exist but are empty (no year 0), so sorts still work.
        condition = Q(months__year=0)
    else:
        condition = Q(months__year=period.year, months__month=period.month)
    return queryset.annotate(
        rollup=FilteredRelation("months", condition=condition),
        plan_to_date=F("rollup__plan_to_date"),
        actual_to_date=F("rollup__actual_to_date"),
        annual_plan=F("rollup__annual_plan"),
        plan_month=F("rollup__plan_month"),
        actual_month=F("rollup__actual_month"),
        over=ExpressionWrapper(F("rollup__actual_to_date") - F("rollup__plan_to_date"), output_field=MONEY),
        # The rollup row's stored rates, so a sort by rate can use their (year, month, rate) indexes.
        schedule_rate=F("rollup__schedule_rate"),
        annual_rate=F("rollup__annual_rate"),
    )


class MonthFigures:
    """The register's figures of a month, read from the ProjectMonth rollup (projects' FiguresProvider)."""

    def with_month(self, queryset: QuerySet[Any], period: Period | None) -> QuerySet[Any]:
        return with_month(queryset, period)

    def default_period(self, user: Any) -> Period | None:
        # The dashboard's rule (the latest month with approved returns the user can see), so all pages agree.
        return latest_reported(user)

    def picker_periods(self, user: Any, latest: Period | None) -> list[Period]:
        """The months of the planned years up to `latest`, newest first, as many as the dashboard's picker.

        The planned years are read from the city's total rows of January (one row a year, by the
        aggregate's key) among the last PICKER_YEARS years, not by DISTINCT over every annual plan.
        """
        if latest is None:
            return []
        years = ScopeMonth.objects.filter(
            year__in=range(latest.year - PICKER_YEARS + 1, latest.year + 1),
            month=1,
            family="city",
            scope_id=0,
            dimension="total",
            key_id=0,
            project_count__gt=0,
        ).values_list("year", flat=True)
        periods = [Period(year, month) for year in sorted(years, reverse=True) for month in range(12, 0, -1)]
        return [p for p in periods if p <= latest][:PICKER_MONTHS]

    def planned_count(self, period: Period, family: str, scope_id: int) -> int:
        # The scope's total row counts one per ProjectMonth row of the month: the projects with a plan.
        row = ScopeMonth.objects.filter(
            year=period.year, month=period.month, family=family, scope_id=scope_id, dimension="total", key_id=0
        ).values_list("project_count", flat=True)
        return next(iter(row), 0)


def register() -> None:
    """Plug metrics into projects and orgs; MetricsConfig.ready calls this once."""
    # Plans and returns say when a project's figures changed; the rollup rewrites its rows in the same transaction.
    project_extensions.figures_changed.connect(rollup.refresh_changed, dispatch_uid="keyproj.metrics.rollup")
    # A project moving to another district, unit or category moves its figures between scopes;
    # one deleted (its rows go by cascade) leaves them.
    project_extensions.links_changing.connect(rollup.links_changing, dispatch_uid="keyproj.metrics.links_changing")
    project_extensions.links_changed.connect(rollup.links_changed, dispatch_uid="keyproj.metrics.links_changed")
    pre_delete.connect(rollup.project_deleting, sender=Project, dispatch_uid="keyproj.metrics.project_deleting")
    project_extensions.register_figures(MonthFigures())
    project_extensions.register_section(MONTHS_SECTION)
    project_extensions.register_section(EARNED_VALUE_SECTION)
    org_extensions.register_section(ORG_FIGURES_SECTION)
    org_extensions.register_project_counter(org_project_counts)
