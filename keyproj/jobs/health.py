"""The worker's and the scheduler's parts of /healthz: alive when their heartbeat is recent.

Neither is critical: the pages work while the worker restarts; the answer is "degraded" meanwhile.
The detail says when each was last seen and how each job's latest run went, for the operator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from keyproj.core import clock
from keyproj.core.health import Part
from keyproj.jobs.models import Heartbeat, Job, JobRun

# A heartbeat older than this means the process is gone (the worker beats every 30 s, the scheduler every tick).
FRESH = dt.timedelta(minutes=2)


def last_runs() -> dict[str, Any]:
    """Each job's latest run: when it was queued and ended, and its status."""
    found: dict[str, Any] = {}
    for job in Job.objects.order_by("pk"):
        run = JobRun.objects.filter(job=job).order_by("-queued_at", "-pk").first()
        found[job.code] = (
            None
            if run is None
            else {
                "period": run.period,
                "status": run.status,
                "queued_at": run.queued_at.isoformat(),
                "ended_at": run.ended_at.isoformat() if run.ended_at else None,
            }
        )
    return found


def part(name: str) -> Part:
    beat = Heartbeat.objects.filter(name=name).first()
    seen = beat.seen_at if beat else None
    ok = seen is not None and clock.real_now() - seen <= FRESH
    detail: dict[str, Any] = {"last_seen": seen.isoformat() if seen else None, "jobs": last_runs()}
    return Part(ok=ok, critical=False, detail=detail)


def worker() -> Part:
    return part("worker")


def scheduler() -> Part:
    return part("scheduler")
