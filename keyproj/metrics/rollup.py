"""Keep the ProjectMonth rollup in step with approved plans and approved returns.

Every service that changes a plan or a return's counted investment sends projects'
`figures_changed` in its own transaction; `refresh_changed` answers it with `refresh`.
The work is set-based and stays in the database: one UPDATE … FROM per half
(plans, actuals) joins each rollup row to its month's plan line or approved return and
takes the running total with a window function. Only rows whose figures changed are
written, so approving one July return rewrites July to December of one project.

This is raw SQL because the ORM cannot say UPDATE … FROM with a window. The ORM version
(correlated subqueries per row) took about 3 s for a 10,000-return import on PostgreSQL;
see bench/. The statement is the same on PostgreSQL and SQLite (3.33 or newer).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from keyproj.metrics.models import ProjectMonth
from keyproj.plans.models import AnnualPlan, MonthlyPlan, PlanStatus
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus

_SMALL = 500  # up to this many ids go to the ORM as a plain list

_PLANS_SQL = """
UPDATE {rollup} SET annual_plan = s.annual_plan, plan_month = s.plan_month, plan_to_date = s.plan_to_date
FROM (
    SELECT pm.id AS id,
           COALESCE(ap.investment, 0) AS annual_plan,
           COALESCE(ml.investment, 0) AS plan_month,
           SUM(COALESCE(ml.investment, 0)) OVER (PARTITION BY pm.project_id ORDER BY pm.month) AS plan_to_date
    FROM {rollup} pm
    LEFT JOIN {plan} ap ON ap.project_id = pm.project_id AND ap.year = pm.year AND ap.status = %(plan_approved)s
    LEFT JOIN {line} ml ON ml.plan_id = ap.id AND ml.month = pm.month
    WHERE pm.year = %(year)s {only_pm}
) AS s
WHERE {rollup}.id = s.id AND {rollup}.year = %(year)s {only_rollup}
  AND ({rollup}.annual_plan <> s.annual_plan OR {rollup}.plan_month <> s.plan_month
       OR {rollup}.plan_to_date <> s.plan_to_date)
"""

_ACTUALS_SQL = """
UPDATE {rollup} SET actual_month = s.actual_month, actual_to_date = s.actual_to_date
FROM (
    SELECT pm.id AS id,
           COALESCE(r.investment, 0) AS actual_month,
           SUM(COALESCE(r.investment, 0)) OVER (PARTITION BY pm.project_id ORDER BY pm.month) AS actual_to_date
    FROM {rollup} pm
    LEFT JOIN (
        SELECT project_id, month, investment FROM {ret}
        WHERE year = %(year)s AND status = %(approved)s {only_ret}
    ) r ON r.project_id = pm.project_id AND r.month = pm.month
    WHERE pm.year = %(year)s {only_pm}
) AS s
WHERE {rollup}.id = s.id AND {rollup}.year = %(year)s {only_rollup}
  AND ({rollup}.actual_month <> s.actual_month OR {rollup}.actual_to_date <> s.actual_to_date)
"""

_TABLES = {
    "rollup": ProjectMonth._meta.db_table,
    "plan": AnnualPlan._meta.db_table,
    "line": MonthlyPlan._meta.db_table,
    "ret": ProgressReturn._meta.db_table,
}


def refresh(year: int, project_ids: Iterable[int] | None = None, *, plans: bool = True, actuals: bool = True) -> None:
    """Rewrite the rollup of `year` for these projects (all projects when None).

    plans / actuals: which half changed; a returns import need not recompute the plan side.
    """
    ids = None if project_ids is None else sorted(set(project_ids))
    if ids == []:
        return
    with transaction.atomic():
        _lock(ids)
        _refresh(year, ids, plans=plans, actuals=actuals)


def refresh_changed(
    sender: Any, *, project_ids: Iterable[int], year: int, plans: bool = True, actuals: bool = True, **kwargs: Any
) -> None:
    """Answer projects' `figures_changed` (connected by keyproj.metrics.register): rewrite what changed."""
    refresh(year, project_ids, plans=plans, actuals=actuals)


def _lock(ids: list[int] | None) -> None:
    """Take the projects' rows, in id order, until the transaction ends.

    Each statement below totals what its own snapshot sees. Two approvals of the same
    project committing side by side (June in one, July in the other) would each miss the
    other's return and the later write would win; with the lock, the second refresh waits
    and then reads the first one's committed return. (SQLite runs one writer at a time.)
    """
    projects = Project.objects.select_for_update().order_by("pk")
    if ids is not None:
        projects = projects.filter(pk__in=_ids_subquery(ids))
    list(projects.values_list("pk", flat=True))


def _refresh(year: int, ids: list[int] | None, *, plans: bool, actuals: bool) -> None:
    rows = ProjectMonth.objects.filter(year=year)
    planned = AnnualPlan.objects.filter(year=year, status=PlanStatus.APPROVED)
    if ids is not None:
        rows = rows.filter(project_id__in=_ids_subquery(ids))
        planned = planned.filter(project_id__in=_ids_subquery(ids))

    # Rows follow approved plans: a project with none for the year has no figures for it.
    rows.exclude(project_id__in=planned.values("project_id")).delete()
    missing = list(planned.exclude(project_id__in=rows.values("project_id")).values_list("project_id", flat=True))
    ProjectMonth.objects.bulk_create(
        [ProjectMonth(project_id=pid, year=year, month=m) for pid in missing for m in range(1, 13)],
        batch_size=2000,
        ignore_conflicts=True,
    )
    # New rows start at zero: both halves must be written, whichever one changed.
    plans = plans or bool(missing)
    actuals = actuals or bool(missing)

    # Every table in the statement is narrowed to the projects at hand: otherwise the
    # planner joins a whole year of returns and rollup rows to update a few projects.
    params: dict[str, Any] = {"year": year, "approved": ReturnStatus.APPROVED, "plan_approved": PlanStatus.APPROVED}
    only = {"only_pm": "", "only_rollup": "", "only_ret": ""}
    if ids is not None:
        match, params["ids"] = _id_filter(ids)
        only = {
            "only_pm": f"AND pm.project_id {match}",
            "only_rollup": f"AND {_TABLES['rollup']}.project_id {match}",
            "only_ret": f"AND project_id {match}",
        }
    with connection.cursor() as cursor:
        if plans:
            cursor.execute(_PLANS_SQL.format(**_TABLES, **only), params)
        if actuals:
            cursor.execute(_ACTUALS_SQL.format(**_TABLES, **only), params)


def _id_filter(ids: list[int]) -> tuple[str, Any]:
    """A condition matching a column against many ids with a single parameter.

    One parameter, not one per id: PostgreSQL takes an array, SQLite a JSON list, so a
    10,000-project import is one statement, not a dozen chunks each scanning the year.
    """
    if connection.vendor == "postgresql":
        return "= ANY(%(ids)s)", list(ids)
    return "IN (SELECT value FROM json_each(%(ids)s))", json.dumps(ids)


def _ids_subquery(ids: list[int]) -> Any:
    """The ids as an ORM `__in` value that stays one parameter however many there are."""
    if len(ids) <= _SMALL:
        return ids
    match, value = _id_filter(ids)
    return RawSQL(f"SELECT id FROM {Project._meta.db_table} WHERE id {match.replace('%(ids)s', '%s')}", [value])
