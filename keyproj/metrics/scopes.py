"""The aggregate rollup (ScopeMonth): each scope's figures of a month, kept in step by delta.

A figure asked for one organisation or the whole city reads one ScopeMonth row (and a
breakdown one row per district, category or unit) instead of summing a ProjectMonth row per
project, so its cost grows with organisations, not projects.

- A family says which projects a scope covers, as a set of project columns: scope (family, O)
  holds every project naming O in one of them, once however many of them name O. `city` has
  no column: one scope, id 0, with every project.
- A dimension is how the scope's figures split: `total` (key 0) or by one project column.

Nothing here recounts in normal use. `keyproj.metrics.rollup` writes what changed in the
ProjectMonth rows into a per-transaction table (the delta: project, month, +1 / −1 row,
money added or taken away) and `apply_delta` adds it to every scope and dimension the
project falls in, in one INSERT … ON CONFLICT DO UPDATE: approving one return touches
families × dimensions × the remaining months, whatever the size of the programme.

Raw SQL for the same reason as rollup.py: the ORM cannot say INSERT … SELECT … ON CONFLICT.
The statements run unchanged on PostgreSQL and SQLite (3.35 or newer).
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django.db import connection

from keyproj.core.money import ZERO, round2
from keyproj.metrics.models import ProjectMonth, ScopeMonth
from keyproj.projects.models import Project

# Which projects a scope covers: the project columns that name its organisation (or category).
# office is a district officer's scope and unit a unit officer's (accounts.models.ROLE_PROJECT_FIELDS);
# linked is `org:ID` (linked_q) for an organisation that owns and builds nothing.
FAMILIES: dict[str, tuple[str, ...]] = {
    "city": (),
    "category": ("category_id",),
    "district": ("district_id",),
    "office": ("district_id", "area_command_id"),
    "unit": ("responsible_unit_id",),
    "linked": ("district_id", "area_command_id", "responsible_unit_id"),
}

# How a scope's figures split: the total, or by one project column (figures.BREAKDOWNS).
DIMENSIONS: dict[str, str | None] = {
    "total": None,
    "category": "category_id",
    "district": "district_id",
    "unit": "responsible_unit_id",
}

KEY = ("year", "month", "family", "scope_id", "dimension", "key_id")
MONEY = ("annual_plan", "plan_to_date", "actual_to_date")
DELTA = "keyproj_rollup_delta"

_T = {"scope": ScopeMonth._meta.db_table, "rollup": ProjectMonth._meta.db_table, "project": Project._meta.db_table}

# One row per changed ProjectMonth row and half. half: "plans" / "actuals" (the new values
# follow, for the UPDATE of ProjectMonth), "rows" (a row created or removed), "links"
# (a reassignment). n and d_*: what to add to the aggregate (−1 and minus the money to retract).
_CREATE_DELTA = f"""
CREATE TEMP TABLE IF NOT EXISTS {DELTA} (
    half varchar(8) NOT NULL, row_id bigint, project_id bigint NOT NULL,
    year integer NOT NULL, month integer NOT NULL, n integer NOT NULL,
    annual_plan numeric, plan_month numeric, plan_to_date numeric, actual_month numeric, actual_to_date numeric,
    d_annual_plan numeric NOT NULL, d_plan_to_date numeric NOT NULL, d_actual_to_date numeric NOT NULL
){{on_commit}}
"""
# What the UPDATE of ProjectMonth joins on: without it a 10,000-return import joined the delta
# to the year's rows blind (bench/).
_INDEX_DELTA = f"CREATE INDEX IF NOT EXISTS {DELTA}_row ON {DELTA} (row_id, half)"
_EMPTY_DELTA = f"DELETE FROM {DELTA}"
# PostgreSQL compiles a statement it thinks big (a delta of thousands of rows, a year's rebuild)
# to machine code first: seconds of compiling for a statement that then runs in a fraction of
# that (bench/). SET LOCAL ends with the transaction, so it is safe behind a pooler.
_NO_JIT = "SET LOCAL jit = off"
# A year's groups are added up in memory rather than sorted on disk.
_REBUILD_MEMORY = "SET LOCAL work_mem = '64MB'"
# A delta this big gets statistics, so the planner sees it as big (a temp table has none otherwise).
_ANALYZE_ABOVE = 1000


# The project columns that decide which scopes and dimension rows a project's figures go to.
COLUMNS = tuple(dict.fromkeys(c for cs in (*FAMILIES.values(), DIMENSIONS.values()) for c in cs if c))


def _slots() -> list[tuple[str, str, str]]:
    """(family, SQL of the scope id) for each way a group of projects can fall in a family, with the
    condition that makes it count: its column names an organisation no earlier column of the
    family names, so a project whose district and area command are one org counts once."""
    slots = []
    for family, columns in FAMILIES.items():
        if not columns:
            slots.append((family, "0", "1 = 1"))
        for i, column in enumerate(columns):
            distinct = [f"(g.{earlier} IS NULL OR g.{earlier} <> g.{column})" for earlier in columns[:i]]
            slots.append((family, f"g.{column}", " AND ".join([f"g.{column} IS NOT NULL", *distinct])))
    return slots


def expand(source: str) -> str:
    """SELECT the key and sums of `source` (project_id, year, month, n, annual_plan, plan_to_date,
    actual_to_date) added up over every family and dimension each project falls in.

    The rows are first added up by month and the projects' columns (a few thousand groups
    however many projects), and only the groups are expanded to families × dimensions: the
    expansion of every row one by one sorted 34 million rows at 100,000 projects (bench/).

    Sums are rounded to the cent: SQLite adds decimals as binary floats, and an aggregate
    that is only ever added to would otherwise drift; PostgreSQL's numeric is exact already.
    """
    columns = ", ".join(f"p.{c}" for c in COLUMNS)
    inner = ", ".join(f"SUM(src.{name}) AS {name}" for name in MONEY)
    carried = ", ".join(f"g.{c}" for c in COLUMNS)
    members = "\nUNION ALL\n".join(
        f"SELECT g.year, g.month, '{family}' AS family, {scope} AS scope_id, {carried}, g.n, "
        + ", ".join(f"g.{name}" for name in MONEY)
        + f" FROM g WHERE {condition}"
        for family, scope, condition in _slots()
    )
    dims = " UNION ALL ".join(f"SELECT '{name}' AS dimension" for name in DIMENSIONS)
    cases = " ".join(f"WHEN '{name}' THEN m.{column}" for name, column in DIMENSIONS.items() if column)
    key = f"COALESCE(CASE dims.dimension {cases} ELSE 0 END, 0)"
    sums = ", ".join(f"ROUND(SUM(m.{name}), 2)" for name in MONEY)
    return f"""
WITH g AS (
    SELECT src.year, src.month, {columns}, SUM(src.n) AS n, {inner}
    FROM ({source}) src
    JOIN {_T["project"]} p ON p.id = src.project_id
    GROUP BY src.year, src.month, {columns}
)
SELECT m.year, m.month, m.family, m.scope_id, dims.dimension, {key} AS key_id, SUM(m.n), {sums}
FROM ({members}) m
CROSS JOIN ({dims}) dims
WHERE 1 = 1
GROUP BY m.year, m.month, m.family, m.scope_id, dims.dimension, {key}
"""


_generation = itertools.count()
_written = [0]


def generation() -> int:
    """How many times this process has written the aggregate: a figure read before a higher
    number may be stale (keyproj.metrics.figures keeps a page's rows until then)."""
    return _written[0]


def _changed() -> None:
    _written[0] = next(_generation) + 1


def start_delta(cursor: Any) -> None:
    """An empty delta table for this transaction.

    Created if missing in every transaction, never assumed from an earlier one: behind a pooler
    in transaction mode (PgBouncer) the next transaction may run on another server connection.
    On PostgreSQL the three statements go in one round trip, and the rows go at commit
    (a TRUNCATE: autovacuum never cleans a temp table, so DELETEs alone would leave it bloated).
    """
    if connection.vendor == "postgresql":
        create = _CREATE_DELTA.format(on_commit=" ON COMMIT DELETE ROWS")
        cursor.execute(";".join((_NO_JIT, create, _INDEX_DELTA, _EMPTY_DELTA)))
        return
    for statement in (_CREATE_DELTA.format(on_commit=""), _INDEX_DELTA, _EMPTY_DELTA):
        cursor.execute(statement)


def filled(cursor: Any, rows: int) -> None:
    """Say that `rows` rows were just written to the delta: a big delta gets statistics before it is joined."""
    if rows > _ANALYZE_ABOVE and connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {DELTA}")


def apply_delta(cursor: Any) -> None:
    """Add the delta to the aggregate (grouped by month and the projects' columns, then expanded).

    Ordered by the key, so that two approvals upserting overlapping scopes (the city, a
    district) take the rows' locks in the same order and never wait on each other in a cycle.
    """
    source = f"SELECT project_id, year, month, n, d_annual_plan AS annual_plan, d_plan_to_date AS plan_to_date, d_actual_to_date AS actual_to_date FROM {DELTA}"  # noqa: E501
    columns = ", ".join((*KEY, "project_count", *MONEY))
    add = ", ".join(
        [f"project_count = {_T['scope']}.project_count + excluded.project_count"]
        + [f"{name} = ROUND({_T['scope']}.{name} + excluded.{name}, 2)" for name in MONEY]
    )
    cursor.execute(
        f"INSERT INTO {_T['scope']} ({columns}) {expand(source)}"
        f" ORDER BY {', '.join(str(i) for i in range(1, len(KEY) + 1))}"
        f" ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {add}"
    )
    _changed()


def move_projects(cursor: Any, match: str, params: dict[str, Any], sign: int) -> None:
    """Add (sign 1) or retract (sign −1) every ProjectMonth row of these projects, all years,
    under the projects' columns as they are now: around a reassignment, and before a deletion."""
    minus = "" if sign > 0 else "-"
    start_delta(cursor)
    cursor.execute(
        f"INSERT INTO {DELTA} (half, row_id, project_id, year, month, n, d_annual_plan, d_plan_to_date,"
        f" d_actual_to_date) SELECT 'links', pm.id, pm.project_id, pm.year, pm.month, {sign},"
        f" {minus}pm.annual_plan, {minus}pm.plan_to_date, {minus}pm.actual_to_date"
        f" FROM {_T['rollup']} pm WHERE pm.project_id {match}",
        params,
    )
    if cursor.rowcount:
        filled(cursor, cursor.rowcount)
        apply_delta(cursor)


def rebuild(cursor: Any, year: int) -> None:
    """Recount the year's aggregate from its ProjectMonth rows: one DELETE, one INSERT … SELECT."""
    source = f"SELECT project_id, year, month, 1 AS n, annual_plan, plan_to_date, actual_to_date FROM {_T['rollup']} WHERE year = %(year)s"  # noqa: E501
    if connection.vendor == "postgresql":
        cursor.execute(f"{_NO_JIT}; {_REBUILD_MEMORY}")
    cursor.execute(f"DELETE FROM {_T['scope']} WHERE year = %(year)s", {"year": year})
    columns = ", ".join((*KEY, "project_count", *MONEY))
    cursor.execute(f"INSERT INTO {_T['scope']} ({columns}) {expand(source)}", {"year": year})
    _changed()


Row = tuple[int, Decimal, Decimal, Decimal]
_NOTHING: Row = (0, ZERO, ZERO, ZERO)


def _rows(cursor: Any, sql: str, params: dict[str, Any]) -> dict[tuple[Any, ...], Row]:
    cursor.execute(sql, params)
    found = {}
    for record in cursor.fetchall():
        key = tuple(record[: len(KEY)])
        count, *money = record[len(KEY) :]
        row: Row = (int(count), *(round2(Decimal(str(m))) for m in money))  # type: ignore[assignment]
        if row != _NOTHING:  # a scope whose projects all left it reads as no row at all
            found[key] = row
    return found


def stored(year: int) -> dict[tuple[Any, ...], Row]:
    """The aggregate of a year as stored, by key; rows of nothing left out."""
    columns = ", ".join((*KEY, "project_count", *MONEY))
    with connection.cursor() as cursor:
        return _rows(cursor, f"SELECT {columns} FROM {_T['scope']} WHERE year = %(year)s", {"year": year})


def recount(year: int) -> dict[tuple[Any, ...], Row]:
    """The aggregate of a year as its ProjectMonth rows say it should be, by key."""
    source = f"SELECT project_id, year, month, 1 AS n, annual_plan, plan_to_date, actual_to_date FROM {_T['rollup']} WHERE year = %(year)s"  # noqa: E501
    with connection.cursor() as cursor:
        return _rows(cursor, expand(source), {"year": year})


def differences(year: int) -> list[tuple[tuple[Any, ...], Row, Row]]:
    """(key, stored, recounted) wherever the aggregate of `year` differs from a recount; a missing row is zeros."""
    have, want = stored(year), recount(year)
    return [
        (key, have.get(key, _NOTHING), want.get(key, _NOTHING))
        for key in sorted(have.keys() | want.keys(), key=str)
        if have.get(key, _NOTHING) != want.get(key, _NOTHING)
    ]
