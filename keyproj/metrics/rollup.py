"""Keep the ProjectMonth rollup in step with plans and approved returns.

Every service that changes a plan or a return's counted investment calls `refresh` in its
own transaction. The work is set-based: the rows are rewritten by UPDATE statements whose
values are correlated subqueries over the source tables, so nothing is summed in Python.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from keyproj.metrics.models import ProjectMonth
from keyproj.plans.models import AnnualPlan, MonthlyPlan
from keyproj.returns.models import ProgressReturn, ReturnStatus

_MONEY = DecimalField(max_digits=14, decimal_places=2)
_CHUNK = 900  # stays under SQLite's bound-parameter limit


def _total(queryset: models.QuerySet, group: str, field: str = "investment") -> Coalesce:
    """SUM(field) of a correlated queryset, or 0 when it has no rows."""
    summed = queryset.order_by().values(group).annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(summed, output_field=_MONEY), Value(0), output_field=_MONEY)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def refresh(
    year: int, project_ids: Iterable[int] | None = None, *, plans: bool = True, actuals: bool = True
) -> None:
    """Rewrite the rollup of `year` for these projects (all projects when None).

    plans / actuals: which half changed; a returns import need not recompute the plan side.
    """
    if project_ids is None:
        _refresh_some(year, None, plans=plans, actuals=actuals)
        return
    ids = sorted(set(project_ids))
    for chunk in _chunks(ids):
        _refresh_some(year, chunk, plans=plans, actuals=actuals)


def _refresh_some(year: int, ids: list[int] | None, *, plans: bool, actuals: bool) -> None:
    rows = ProjectMonth.objects.filter(year=year)
    planned = AnnualPlan.objects.filter(year=year)
    if ids is not None:
        rows = rows.filter(project_id__in=ids)
        planned = planned.filter(project_id__in=ids)

    # Rows follow plans: a project with no plan for the year has no figures for it.
    rows.exclude(project_id__in=planned.values("project_id")).delete()
    missing = planned.exclude(project_id__in=rows.values("project_id")).values_list("project_id", flat=True)
    ProjectMonth.objects.bulk_create(
        [ProjectMonth(project_id=pid, year=year, month=m) for pid in missing for m in range(1, 13)],
        batch_size=2000,
        ignore_conflicts=True,
    )

    updates: dict[str, Coalesce] = {}
    if plans:
        lines = MonthlyPlan.objects.filter(
            plan__project_id=OuterRef("project_id"), plan__year=OuterRef("year")
        )
        updates["annual_plan"] = _total(
            AnnualPlan.objects.filter(project_id=OuterRef("project_id"), year=OuterRef("year")), "project_id"
        )
        updates["plan_month"] = _total(lines.filter(month=OuterRef("month")), "plan__project_id")
        updates["plan_to_date"] = _total(lines.filter(month__lte=OuterRef("month")), "plan__project_id")
    if actuals:
        counted = ProgressReturn.objects.filter(
            project_id=OuterRef("project_id"), year=OuterRef("year"), status=ReturnStatus.APPROVED
        )
        updates["actual_month"] = _total(counted.filter(month=OuterRef("month")), "project_id")
        updates["actual_to_date"] = _total(counted.filter(month__lte=OuterRef("month")), "project_id")
    if updates:
        rows.update(**updates)
