"""Benchmark: closing a month of the generated programme, notices included.

Each timed run is what `keyproj close-month --period 2019-MM --out DIR` does: compute and
write the cards, the four ranking lists and the listing proposals, freeze the snapshot,
issue the 通报 (the notices app takes a 文号 and renders and stores the .docx and .pdf),
then render the ranking tables as .xlsx. Every run happens
in a transaction that is rolled back afterwards, so that each one closes the same month
from scratch.

Target (issue 5, on PostgreSQL): under 10 s for 10,000 projects.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction

from bench.generate import DEFAULT_MONTHS, YEAR
from bench.report import Result, Stopwatch, backend_name, measure
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.projects.models import Project
from keyproj.supervision.models import MonthClose
from keyproj.supervision.services import close_month, issue_close_notice
from keyproj.supervision.writing import notice_bytes

TARGET_MS = 10_000.0


def _after_deadline(period: Period) -> dt.date:
    return period.next().first_day + dt.timedelta(days=20)


class _Rollback(Exception):
    """Leaves the atomic block so that the run's writes are undone."""


def _one(period: Period) -> dict[str, float]:
    watch = Stopwatch()
    try:
        with transaction.atomic():
            MonthClose.objects.filter(year=period.year, month=period.month).delete()
            cpu = time.process_time()
            with watch("total"):
                with watch("close"):
                    outcome = close_month(period, user=CONSOLE, today=_after_deadline(period))
                with watch("issue (docx + pdf)"):
                    issue_close_notice(outcome.close, user=CONSOLE)
                with watch("ranking xlsx"):
                    notice_bytes(outcome.close, "xlsx")
            # This process's CPU time: on a busy machine the wall time above includes waiting for a core.
            watch.laps["total, CPU of this process"] = time.process_time() - cpu
            raise _Rollback
    except _Rollback:
        pass
    return watch.laps


def run(*, runs: int = 3, warmup: int = 1, month: int = DEFAULT_MONTHS) -> list[Result]:
    """Time the close of `month` (the last generated one by default)."""
    period = Period(YEAR, month)
    n = Project.objects.count()
    timings = measure(lambda: _one(period), runs=runs, warmup=warmup)
    backend = backend_name()
    order = ["close", "issue (docx + pdf)", "ranking xlsx", "total, CPU of this process", "total"]
    return [
        Result(
            f"close-month {period} + notices" if name == "total" else f"  {name}",
            n,
            backend,
            runs,
            *timings[name],
            TARGET_MS if name == "total" else None,
        )
        for name in order
        if name in timings
    ]
