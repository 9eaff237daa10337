"""Running a job: queueing a run on django-q2 and carrying it out in a worker.

`queue_run` writes the run and puts its task on the queue in one transaction: with the ORM broker the
task is a row of the same database, so a run is queued exactly when its record is, and a worker can
only pick it up once both are committed. `run_job` is what the worker calls.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from keyproj.core import clock
from keyproj.core.context import request_id
from keyproj.jobs.jobs import KINDS, Skipped
from keyproj.jobs.models import Heartbeat, Job, JobRun, RunStatus

logger = logging.getLogger(__name__)

# What a failed run keeps of its traceback (the end, where the error is).
ERROR_CHARS = 8000
TASK = "keyproj.jobs.runner.run_job"


def beat(name: str) -> None:
    """Say that this process (the worker, the scheduler) is alive."""
    Heartbeat.objects.update_or_create(
        name=name, defaults={"seen_at": clock.real_now(), "host": socket.gethostname()[:100], "pid": os.getpid()}
    )


def _sync() -> bool:
    """Whether tasks run in this process at once (django-q2's `sync`, read on every call so tests may set it)."""
    return bool(getattr(settings, "Q_CLUSTER", {}).get("sync", False))


def enqueue(run: JobRun) -> str:
    """Put the run's task on the queue (inside the caller's transaction); returns the task's id."""
    # Not at the top: django_q's modules read the settings and the app registry when imported.
    from django_q.tasks import async_task

    task_id: str = async_task(
        TASK,
        run.job.code,
        run.period,
        run.pk,
        q_options={"sync": _sync(), "task_name": f"{run.job.code}:{run.period}#{run.attempt}"},
    )
    JobRun.objects.filter(pk=run.pk).update(task_id=task_id[:40])
    return task_id


def queue_run(job: Job, period: str, attempt: int, *, user: Any = None) -> JobRun | None:
    """Record run `attempt` of `job` for `period` and queue it; None when that attempt exists already.

    The unique (job, period, attempt) makes this safe against a second scheduler (or a second click)
    doing the same at the same moment: the later insert fails and nothing is queued twice.
    """
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                job=job,
                period=period,
                attempt=attempt,
                queued_at=clock.real_now(),
                requested_by=user if getattr(user, "pk", None) else None,
            )
            if not _sync():
                enqueue(run)
    except IntegrityError:
        return None
    if _sync():
        # At once, in this process (tests, debugging): after the run is saved, as a worker would see it.
        enqueue(run)
    run.refresh_from_db()
    return run


def moment_of(job: Job, period: str) -> tuple[dt.date, dt.datetime]:
    """The business day a run is for and the business moment it runs at.

    A daily job's period is a business day (the scheduler took it from the business clock), so a retry
    after midnight is still for its day. An interval's period is a stretch of REAL time (delivering
    messages follows the real clock), so its date is not a business day: on an installation whose
    business day is fixed (KEYPROJ_TODAY=2019-09-03) an hourly escalation must still judge deadlines
    as of 2019-09-03, not of the real date. Such a run is for the business clock's day.
    """
    now = clock.now()
    if job.is_daily:
        return dt.date.fromisoformat(period), now
    return clock.today(), now


def run_job(code: str, period: str, run_id: int) -> dict[str, Any]:
    """Carry out one queued run: claim it, run the job under a request id of its own, record the outcome.

    A run that is no longer queued (done already, or given up by the scheduler) is left alone, so a task
    the queue hands out twice runs once. Whatever the job raises is recorded on the run and logged;
    nothing a transactional job wrote stays behind (its own transaction rolls back), while an outbox
    job keeps each delivery it recorded (see JobKind.transactional).
    """
    beat("worker")
    with request_id(prefix="job") as rid:
        started = clock.real_now()
        claimed = JobRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING, started_at=started, request_id=rid
        )
        if not claimed:
            logger.warning("job run %s (%s %s) is no longer queued; not run again", run_id, code, period)
            return {}
        run = JobRun.objects.select_related("job").get(pk=run_id)
        status, counts, error = RunStatus.SUCCEEDED, {}, ""
        try:
            kind = KINDS.get(code)
            if kind is None:
                raise LookupError(f"没有代码为“{code}”的任务")
            day, now = moment_of(run.job, period)
            if kind.transactional:
                with transaction.atomic():
                    counts = kind.run(day, now)
            else:
                counts = kind.run(day, now)
        except Skipped as skipped:
            status, counts = RunStatus.SKIPPED, {"note": str(skipped)}
        except Exception as exc:
            status = RunStatus.FAILED
            error = "".join(traceback.format_exception(exc))[-ERROR_CHARS:]
            logger.exception("job %s for %s (run %s, attempt %s) failed", code, period, run_id, run.attempt)
        JobRun.objects.filter(pk=run_id).update(status=status, ended_at=clock.real_now(), counts=counts, error=error)
    beat("worker")
    return {"status": str(status), **counts}


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment
