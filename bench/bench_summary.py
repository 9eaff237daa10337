"""Benchmark: the published figures for 2019-07 — `summary()` plus its three breakdowns.

This is what the home page, `/api/v1/summary/` and `keyproj summary` do for one request.
Each run loads the user afresh (untimed), so the timed part includes working out the
user's scope, as a real request does. Runs as the office admin (the whole city) and as
Siming's district officer (one district). Warm-up runs first, then the median and the
95th percentile of the timed runs.

Targets (issue 2, on PostgreSQL): under 50 ms at 10,000 projects, under 300 ms at 100,000.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import ADMIN_USERNAME, DISTRICT_USERNAME, YEAR
from bench.report import Result, Stopwatch, backend_name, measure
from keyproj.accounts.models import User
from keyproj.core.period import Period
from keyproj.metrics.figures import breakdown, summary
from keyproj.projects.models import Project

PERIOD = Period(YEAR, 7)
BREAKDOWNS = ("district", "category", "responsible_unit")
ACTORS = (("office admin", ADMIN_USERNAME), ("district officer", DISTRICT_USERNAME))


def target_ms(projects: int) -> float | None:
    """The issue's target for this size (it names 10,000 and 100,000; in between, the larger one)."""
    if projects <= 10_000:
        return 50.0
    if projects <= 100_000:
        return 300.0
    return None


def figures_once(user: Any, period: Period = PERIOD) -> None:
    """Everything one request for the figures page computes."""
    summary(user, period)
    for by in BREAKDOWNS:
        breakdown(user, period, by)


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise SystemExit(f"用户 {username} 不存在：请先运行 python -m bench generate") from None


def run(*, runs: int = 20, warmup: int = 3, period: Period = PERIOD, detail: bool = True) -> list[Result]:
    """Time the figures as each actor; one row for the whole, and (detail) one per call."""
    projects = Project.objects.count()
    backend = backend_name()
    results: list[Result] = []
    for label, username in ACTORS:
        pk = _user(username).pk

        def once(pk: int = pk) -> dict[str, float]:
            user = User.objects.get(pk=pk)  # a fresh object: no cached scope, as in a new request
            watch = Stopwatch()
            with watch("total"):
                with watch("summary"):
                    summary(user, period)
                for by in BREAKDOWNS:
                    with watch(f"breakdown {by}"):
                        breakdown(user, period, by)
            return watch.laps

        timings = measure(once, runs=runs, warmup=warmup)
        median, p95 = timings.pop("total")
        results.append(
            Result(f"figures {period} as {label}", projects, backend, runs, median, p95, target_ms(projects))
        )
        if detail:
            for name, (median, p95) in timings.items():
                results.append(Result(f"  {name}", projects, backend, runs, median, p95))
    return results


def explain(*, period: Period = PERIOD, username: str = ADMIN_USERNAME) -> str:
    """The plans of the queries one figures request runs: EXPLAIN ANALYZE on PostgreSQL,
    EXPLAIN QUERY PLAN on SQLite. The SQL is captured from the real calls, not rebuilt."""
    user = _user(username)
    with CaptureQueriesContext(connection) as captured:
        figures_once(user, period)
    out: list[str] = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            out.append(f"-- {query['time']} s\n{sql}")
            if "projectmonth" not in sql.lower():
                continue  # the membership lookup: one indexed row
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            out.extend("    " + " ".join(str(c) for c in row) for row in cursor.fetchall())
            out.append("")
    return "\n".join(out)
