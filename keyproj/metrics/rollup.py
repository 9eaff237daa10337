"""Keep the ProjectMonth rollup, and the ScopeMonth aggregate on it, in step with approved plans and returns.

Every service that changes a plan or a return's counted investment sends projects'
`figures_changed` in its own transaction; `refresh_changed` answers it with `refresh`.
The work is set-based and stays in the database: one INSERT … SELECT per half (plans,
actuals) joins each rollup row to its month's plan line or approved return, takes the
running total with a window function and writes the rows whose figures changed, old and
new, into a per-transaction delta table; ProjectMonth is updated from the delta, and the
same delta is added to the aggregate (keyproj.metrics.scopes). Approving one July return
rewrites July to December of one project, and those months of each scope it is in.

Reassigning a project (projects' `links_changing` / `links_changed`) moves its rows from
the old scopes to the new ones; `rebuild` recounts a year from scratch.

This is raw SQL because the ORM cannot say UPDATE … FROM with a window. The ORM version
(correlated subqueries per row) took about 3 s for a 10,000-return import on PostgreSQL;
see bench/. The statements are the same on PostgreSQL and SQLite (3.35 or newer).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from keyproj.metrics import scopes
from keyproj.metrics.models import ProjectMonth
from keyproj.plans.models import AnnualPlan, MonthlyPlan, PlanStatus
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus

_SMALL = 500  # up to this many ids go to the ORM as a plain list

# Each half first writes what changes into the delta (the new values, and the differences
# the aggregate adds), then updates ProjectMonth from it: SQLite's UPDATE … RETURNING cannot
# return the old values, so the delta is how both tables learn the same change.
_PLANS_SQL = """
INSERT INTO {delta} (half, row_id, project_id, year, month, n, annual_plan, plan_month, plan_to_date,
                     d_annual_plan, d_plan_to_date, d_actual_to_date)
SELECT 'plans', o.id, o.project_id, o.year, o.month, 0, s.annual_plan, s.plan_month, s.plan_to_date,
       s.annual_plan - o.annual_plan, s.plan_to_date - o.plan_to_date, 0
FROM {rollup} o
JOIN (
    SELECT pm.id AS id,
           COALESCE(ap.investment, 0) AS annual_plan,
           COALESCE(ml.investment, 0) AS plan_month,
           SUM(COALESCE(ml.investment, 0)) OVER (PARTITION BY pm.project_id ORDER BY pm.month) AS plan_to_date
    FROM {rollup} pm
    LEFT JOIN {plan} ap ON ap.project_id = pm.project_id AND ap.year = pm.year AND ap.status = %(plan_approved)s
    LEFT JOIN {line} ml ON ml.plan_id = ap.id AND ml.month = pm.month
    WHERE pm.year = %(year)s {only_pm}
) s ON s.id = o.id
WHERE o.year = %(year)s
  AND (o.annual_plan <> s.annual_plan OR o.plan_month <> s.plan_month OR o.plan_to_date <> s.plan_to_date)
"""

_ACTUALS_SQL = """
INSERT INTO {delta} (half, row_id, project_id, year, month, n, actual_month, actual_to_date,
                     d_annual_plan, d_plan_to_date, d_actual_to_date)
SELECT 'actuals', o.id, o.project_id, o.year, o.month, 0, s.actual_month, s.actual_to_date,
       0, 0, s.actual_to_date - o.actual_to_date
FROM {rollup} o
JOIN (
    SELECT pm.id AS id,
           COALESCE(r.investment, 0) AS actual_month,
           SUM(COALESCE(r.investment, 0)) OVER (PARTITION BY pm.project_id ORDER BY pm.month) AS actual_to_date
    FROM {rollup} pm
    LEFT JOIN (
        SELECT project_id, month, investment FROM {ret}
        WHERE year = %(year)s AND status = %(approved)s {only_ret}
    ) r ON r.project_id = pm.project_id AND r.month = pm.month
    WHERE pm.year = %(year)s {only_pm}
) s ON s.id = o.id
WHERE o.year = %(year)s AND (o.actual_month <> s.actual_month OR o.actual_to_date <> s.actual_to_date)
"""

# The year's rows are narrowed to the projects at hand here too, so the planner reaches the
# few rows to write through the index instead of joining the delta to a whole year.
_APPLY_SQL = """
UPDATE {rollup} SET {assign}
FROM {delta} d
WHERE {rollup}.id = d.row_id AND d.half = '{half}' AND {rollup}.year = %(year)s {only_rollup}
"""
_ASSIGN = {
    "plans": "annual_plan = d.annual_plan, plan_month = d.plan_month, plan_to_date = d.plan_to_date",
    "actuals": "actual_month = d.actual_month, actual_to_date = d.actual_to_date",
}

# Rows of projects left without an approved plan for the year: retracted, then removed.
_GONE_SQL = """
INSERT INTO {delta} (half, row_id, project_id, year, month, n, d_annual_plan, d_plan_to_date, d_actual_to_date)
SELECT 'gone', pm.id, pm.project_id, pm.year, pm.month, -1, -pm.annual_plan, -pm.plan_to_date, -pm.actual_to_date
FROM {rollup} pm
WHERE pm.year = %(year)s {only_pm}
  AND NOT EXISTS (SELECT 1 FROM {plan} ap
                  WHERE ap.project_id = pm.project_id AND ap.year = pm.year AND ap.status = %(plan_approved)s)
"""
_DELETE_GONE_SQL = "DELETE FROM {rollup} WHERE id IN (SELECT row_id FROM {delta} WHERE half = 'gone')"

# Rows just created (all zero): each adds one project to its scopes.
_NEW_SQL = """
INSERT INTO {delta} (half, row_id, project_id, year, month, n, d_annual_plan, d_plan_to_date, d_actual_to_date)
SELECT 'new', pm.id, pm.project_id, pm.year, pm.month, 1, 0, 0, 0
FROM {rollup} pm
WHERE pm.year = %(year)s AND pm.project_id {new}
"""

_TABLES = {
    "rollup": ProjectMonth._meta.db_table,
    "plan": AnnualPlan._meta.db_table,
    "line": MonthlyPlan._meta.db_table,
    "ret": ProgressReturn._meta.db_table,
    "delta": scopes.DELTA,
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
    # Every table in the statements is narrowed to the projects at hand: otherwise the
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
    sql = {**_TABLES, **only}
    with connection.cursor() as cursor:
        scopes.start_delta(cursor)
        changed, missing = _rows_follow_plans(cursor, sql, params, year, ids) if plans else (False, [])
        # New rows start at zero: both halves must be written, whichever one changed.
        for half, wanted, statement in (("plans", plans, _PLANS_SQL), ("actuals", actuals, _ACTUALS_SQL)):
            if wanted or missing:
                cursor.execute(statement.format(**sql), params)
                if cursor.rowcount > 0:
                    changed = True
                    scopes.filled(cursor, cursor.rowcount)
                    cursor.execute(_APPLY_SQL.format(**sql, half=half, assign=_ASSIGN[half]), params)
        # The aggregate follows in the same transaction, from the same delta.
        if changed or missing:
            scopes.apply_delta(cursor)


def _rows_follow_plans(
    cursor: Any, sql: dict[str, str], params: dict[str, Any], year: int, ids: list[int] | None
) -> tuple[bool, list[int]]:
    """Remove (retracted) the rows of projects left without an approved plan, and make the rows of
    projects that have one now; (whether rows went, the projects given new rows).

    Only a change of plans moves a project in or out of the year: an approval of a return
    (actuals only) skips both statements, two of the dozen of its refresh (bench/).
    """
    # Rows follow approved plans: a project with none for the year has no figures for it.
    cursor.execute(_GONE_SQL.format(**sql), params)
    gone = cursor.rowcount > 0
    if gone:
        cursor.execute(_DELETE_GONE_SQL.format(**sql))
    planned = AnnualPlan.objects.filter(year=year, status=PlanStatus.APPROVED)
    rows = ProjectMonth.objects.filter(year=year)
    if ids is not None:
        rows = rows.filter(project_id__in=_ids_subquery(ids))
        planned = planned.filter(project_id__in=_ids_subquery(ids))
    missing = list(planned.exclude(project_id__in=rows.values("project_id")).values_list("project_id", flat=True))
    if missing:
        ProjectMonth.objects.bulk_create(
            [ProjectMonth(project_id=pid, year=year, month=m) for pid in missing for m in range(1, 13)],
            batch_size=2000,
        )
        new, params["new"] = _id_filter(sorted(missing), "new")
        cursor.execute(_NEW_SQL.format(**sql, new=new), params)
    return gone, missing


_MONTHS = " UNION ALL ".join(f"SELECT {m} AS month" for m in range(1, 13))

# A whole year from the sources in one statement: on an empty table an INSERT … SELECT is far
# cheaper than the UPDATEs above (the bench generator builds 1,000,000 projects' rows this way).
_REBUILD_SQL = f"""
INSERT INTO {{rollup}} (project_id, year, month, annual_plan, plan_month, plan_to_date, actual_month, actual_to_date)
SELECT ap.project_id, ap.year, m.month, COALESCE(ap.investment, 0), COALESCE(ml.investment, 0),
       SUM(COALESCE(ml.investment, 0)) OVER (PARTITION BY ap.project_id ORDER BY m.month),
       COALESCE(r.investment, 0),
       SUM(COALESCE(r.investment, 0)) OVER (PARTITION BY ap.project_id ORDER BY m.month)
FROM {{plan}} ap
CROSS JOIN ({_MONTHS}) m
LEFT JOIN {{line}} ml ON ml.plan_id = ap.id AND ml.month = m.month
LEFT JOIN {{ret}} r ON r.project_id = ap.project_id AND r.year = ap.year AND r.month = m.month
                   AND r.status = %(approved)s
WHERE ap.year = %(year)s AND ap.status = %(plan_approved)s
"""


def rebuild(year: int) -> None:
    """Recount `year` from scratch: its ProjectMonth rows from the approved plans and returns, then
    its ScopeMonth rows from those. Two statements a table (DELETE, INSERT … SELECT), no loop over rows.

    For an operator repairing the figures (`keyproj rollup --rebuild`) and for bulk loads
    that bypass the services (the bench generator); day-to-day changes go through `refresh`.
    """
    params: dict[str, Any] = {"year": year, "approved": ReturnStatus.APPROVED, "plan_approved": PlanStatus.APPROVED}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A refresh locks its projects' rows and then writes rollup rows; the recount writes
            # rollup rows whose foreign-key checks then wait on those same projects. Shutting out
            # new project locks first (and waiting for the refreshes already running) keeps the
            # two from waiting on each other. Plain reads go on; SQLite has one writer anyway.
            cursor.execute(f"LOCK TABLE {Project._meta.db_table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {_TABLES['rollup']} WHERE year = %(year)s", params)
        cursor.execute(_REBUILD_SQL.format(**_TABLES), params)
        scopes.rebuild(cursor, year)


def move_projects(project_ids: Iterable[int], sign: int, *, lock: bool = True) -> None:
    """Retract (sign −1) or add (sign 1) all of these projects' rows in the aggregate, under the
    scopes their columns name now. Locked like a refresh, so an approval of the same project
    cannot slip its change in between the retraction and the addition."""
    ids = sorted(set(project_ids))
    if not ids:
        return
    with transaction.atomic():
        if lock:
            _lock(ids)
        match, value = _id_filter(ids)
        with connection.cursor() as cursor:
            scopes.move_projects(cursor, match, {"ids": value}, sign)


def links_changing(sender: Any, *, project_ids: Iterable[int], **kwargs: Any) -> None:
    """Answer projects' `links_changing`: take the projects out of the scopes they are leaving."""
    move_projects(project_ids, -1)


def links_changed(sender: Any, *, project_ids: Iterable[int], **kwargs: Any) -> None:
    """Answer projects' `links_changed`: put the projects into the scopes they now belong to."""
    move_projects(project_ids, 1)


def project_deleting(sender: Any, *, instance: Project, **kwargs: Any) -> None:
    """Before a project is deleted (its rows go with it, by cascade), take it out of the aggregate."""
    move_projects([instance.pk], -1, lock=False)


def _id_filter(ids: list[int], name: str = "ids") -> tuple[str, Any]:
    """A condition matching a column against many ids with a single parameter.

    One parameter, not one per id: PostgreSQL takes an array, SQLite a JSON list, so a
    10,000-project import is one statement, not a dozen chunks each scanning the year.
    """
    if connection.vendor == "postgresql":
        return f"= ANY(%({name})s)", list(ids)
    return f"IN (SELECT value FROM json_each(%({name})s))", json.dumps(ids)


def _ids_subquery(ids: list[int]) -> Any:
    """The ids as an ORM `__in` value that stays one parameter however many there are."""
    if len(ids) <= _SMALL:
        return ids
    match, value = _id_filter(ids)
    return RawSQL(f"SELECT id FROM {Project._meta.db_table} WHERE id {match.replace('%(ids)s', '%s')}", [value])
