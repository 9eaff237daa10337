"""The schedule: which jobs are due at a moment, queued by `tick`, which `keyproj scheduler` calls every few seconds.

A daily job is due once its time of day has passed on the business day (keyproj.core.clock) and that
day has no run that succeeded, was skipped, or is still queued or running. An interval job is due when
the interval it is in (every 15 minutes: 09:00, 09:15 …, on the real clock: delivering messages is not
business) has no such run and no run of the job is still pending. A failed run is tried again with
back-off (BACKOFF) until MAX_ATTEMPTS runs of its period have failed. Days missed while nothing ran
are not made up (the worker was down on the 3rd: the 3rd's reminders are not sent on the 4th as the
3rd's — the jobs that matter look at a window of days themselves).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from keyproj.core import clock
from keyproj.jobs.models import DONE, PENDING, Job, JobRun, RunStatus
from keyproj.jobs.runner import beat, local, queue_run

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# The wait after the first, second … failure of a period before the next attempt.
BACKOFF = (dt.timedelta(minutes=5), dt.timedelta(minutes=10), dt.timedelta(minutes=20))
TICK_SECONDS = 15.0
# A queued run whose task is no longer on the queue after this long was lost (the queue gave up on it).
LOST_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Due:
    """A run to queue: the job, its period, which attempt."""

    job: Job
    period: str
    attempt: int


def backoff(failures: int) -> dt.timedelta:
    return BACKOFF[min(max(failures, 1), len(BACKOFF)) - 1]


def due(job: Job, business: dt.datetime, real: dt.datetime) -> Due | None:
    """The run of `job` to queue at this moment, if any (business: the business moment; real: the real one)."""
    if not job.enabled:
        return None
    business, real = local(business), local(real)
    if job.is_daily:
        assert job.at is not None
        if business.time().replace(tzinfo=None) < job.at:
            return None
        period = job.period_at(business)
    else:
        if JobRun.objects.filter(job=job, status__in=PENDING).exists():
            return None  # one delivery at a time: the next waits for the one still running
        period = job.period_at(real)
    runs = list(JobRun.objects.filter(job=job, period=period).order_by("attempt"))
    if not runs:
        return Due(job, period, 1)
    if any(run.status in DONE or run.status in PENDING for run in runs):
        return None
    failures = sum(1 for run in runs if run.status == RunStatus.FAILED)
    if failures >= MAX_ATTEMPTS:
        return None
    last = runs[-1]
    if real < (last.ended_at or last.queued_at) + backoff(failures):
        return None
    return Due(job, period, last.attempt + 1)


def next_due(job: Job, business: dt.datetime, real: dt.datetime) -> dt.datetime | None:
    """When the job will next be queued, for the page (None: disabled); a moment already past means now."""
    if not job.enabled:
        return None
    business, real = local(business), local(real)
    if not job.is_daily:
        assert job.every_minutes is not None
        start = dt.datetime.fromisoformat(job.period_at(real))
        last = JobRun.objects.filter(job=job, period=job.period_at(real)).exists()
        moment = start + dt.timedelta(minutes=job.every_minutes) if last else real.replace(tzinfo=None)
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    assert job.at is not None
    today = timezone.make_aware(dt.datetime.combine(business.date(), job.at))
    if business < today:
        return today
    period = job.period_at(business)
    runs = list(JobRun.objects.filter(job=job, period=period).order_by("attempt"))
    failures = sum(1 for run in runs if run.status == RunStatus.FAILED)
    settled = any(run.status in DONE or run.status in PENDING for run in runs) or failures >= MAX_ATTEMPTS
    if settled:
        return today + dt.timedelta(days=1)
    if runs:
        last = runs[-1]
        return local((last.ended_at or last.queued_at) + backoff(failures))
    return business


def mark_lost(real: dt.datetime) -> int:
    """Give up on runs no worker will finish: running past the queue's timeout, or queued with no task left.

    A worker killed mid-run (or a task the queue dropped) would otherwise hold its period forever; as a
    failed run it is retried like any other failure.
    """
    from django_q.models import OrmQ  # only when ticking: django_q's models load with the app registry

    timeout = dt.timedelta(seconds=int(settings.Q_CLUSTER.get("retry", 720)) + 60)
    given_up = JobRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=real - timeout).update(
        status=RunStatus.FAILED, ended_at=clock.real_now(), error="运行超时，或工作进程在运行中退出"
    )
    old = list(JobRun.objects.filter(status=RunStatus.QUEUED, queued_at__lt=real - LOST_AFTER))
    if old:
        queued = {row.task_id() for row in OrmQ.objects.all()}
        lost = [run.pk for run in old if run.task_id not in queued]
        given_up += JobRun.objects.filter(pk__in=lost, status=RunStatus.QUEUED).update(
            status=RunStatus.FAILED, ended_at=clock.real_now(), error="任务已不在队列中，未被执行"
        )
    return given_up


def tick(now: dt.datetime | None = None, *, real: dt.datetime | None = None) -> list[JobRun]:
    """Queue every run due at this moment; returns the runs queued.

    `now` is the business moment (default: the clock's); `real` the real one (default: `now` when given,
    so a test names one moment, else the real clock).
    """
    business = now or clock.now()
    real = real or now or clock.real_now()
    mark_lost(real)
    queued: list[JobRun] = []
    for job in Job.objects.filter(enabled=True).order_by("pk"):
        found = due(job, business, real)
        if found is None:
            continue
        run = queue_run(found.job, found.period, found.attempt)
        if run is not None:
            queued.append(run)
    beat("scheduler")
    return queued


def loop(stop: threading.Event, *, seconds: float = TICK_SECONDS) -> None:
    """Tick until `stop` is set. A failing tick is logged and the next one tried: the schedule never just ends."""
    while not stop.is_set():
        close_old_connections()
        try:
            for run in tick():
                logger.info("queued job %s for %s (attempt %s)", run.job.code, run.period, run.attempt)
        except Exception:
            logger.exception("scheduler tick failed")
        finally:
            close_old_connections()
        stop.wait(seconds)
