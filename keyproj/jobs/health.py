"""The worker's and the scheduler's parts of /healthz: alive when their heartbeat is recent.

Neither is critical: the pages work while the worker restarts; the answer is "degraded" meanwhile.
/healthz is public, so a part says only how long ago its process was last seen; how each job's runs
went is on the office's /jobs/ page.
"""

from __future__ import annotations

import datetime as dt

from keyproj.core import clock
from keyproj.core.health import Part
from keyproj.jobs.models import Heartbeat

# A heartbeat older than this means the process is gone (the worker beats every 30 s, the scheduler every tick).
FRESH = dt.timedelta(minutes=2)


def part(name: str) -> Part:
    seen = Heartbeat.objects.filter(name=name).values_list("seen_at", flat=True).first()
    age = None if seen is None else clock.real_now() - seen
    ok = age is not None and age <= FRESH
    return Part(ok=ok, critical=False, detail={"age_seconds": None if age is None else int(age.total_seconds())})


def worker() -> Part:
    return part("worker")


def scheduler() -> Part:
    return part("scheduler")
