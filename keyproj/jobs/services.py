"""Changes to the schedule, and running a job now: the office's, checked whole and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from keyproj.accounts.permissions import is_office
from keyproj.core import audit, clock
from keyproj.core.errors import Reason, Refused
from keyproj.jobs.models import MAX_EVERY, MIN_EVERY, PENDING, Job, JobRun
from keyproj.jobs.runner import local, queue_run

SCHEDULE_FIELDS = ("at", "every_minutes", "enabled")


def snapshot(job: Job) -> dict[str, Any]:
    """The job's columns for the audit log (its time of day as HH:MM, which the log's JSON cannot hold as a time)."""
    data = audit.snapshot(job)
    if isinstance(data.get("at"), dt.time):
        data["at"] = data["at"].strftime("%H:%M")
    return data


def check_schedule(at: dt.time | None, every_minutes: int | None) -> list[Reason]:
    """Exactly one of a time of day and an interval, the interval within its bounds."""
    if at is None and every_minutes is None:
        return [Reason("运行方式", "请填写每日运行时间，或运行间隔(分钟)")]
    if at is not None and every_minutes is not None:
        return [Reason("运行方式", "每日运行时间与运行间隔只能填写一项")]
    if every_minutes is not None and not MIN_EVERY <= every_minutes <= MAX_EVERY:
        return [Reason("运行间隔(分钟)", f"运行间隔应为{MIN_EVERY}-{MAX_EVERY:,}分钟，而不是{every_minutes:,}")]
    return []


def update_schedule(
    job: Job,
    *,
    user: Any,
    at: dt.time | None,
    every_minutes: int | None,
    enabled: bool,
    expected_version: int | None = None,
) -> Job:
    """Set when a job runs (a time of day or an interval) and whether it runs at all.

    Refused whole with every reason; refused as a conflict when someone saved the job since the
    editor read `expected_version`. The next tick of the scheduler follows the new schedule.
    """
    if not is_office(user):
        raise PermissionDenied("只有重点办可以修改定时任务")
    if at is not None:
        at = at.replace(second=0, microsecond=0)
    reasons = check_schedule(at, every_minutes)
    if reasons:
        raise Refused(reasons)
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        audit.check_version(locked, expected_version)
        before = snapshot(locked)
        locked.at, locked.every_minutes, locked.enabled = at, every_minutes, enabled
        audit.bump_version(
            locked, expected_version if expected_version is not None else locked.version, SCHEDULE_FIELDS
        )
        audit.log(locked, "job.schedule", user=user, before=before, after=snapshot(locked))
    return locked


def run_now(job: Job, *, user: Any) -> JobRun:
    """Queue a run of the job for its current period at once (立即运行), as the user.

    Safe to repeat: a job's messages are keyed by event and period, so running it again sends nothing
    anyone has had; refused while a run of the job is still queued or running.
    """
    if not is_office(user):
        raise PermissionDenied("只有重点办可以运行定时任务")
    if JobRun.objects.filter(job=job, status__in=PENDING).exists():
        raise Refused([Reason("任务", f"“{job.label}”已在排队或运行中，请等它结束后再运行")])
    moment = local(clock.now() if job.is_daily else clock.real_now())
    period = job.period_at(moment)
    latest = JobRun.objects.filter(job=job, period=period).order_by("-attempt").values_list("attempt", flat=True)
    attempt = (latest.first() or 0) + 1
    with transaction.atomic():
        run = queue_run(job, period, attempt, user=user)
        if run is None:
            raise Refused([Reason("任务", f"“{job.label}”刚刚已由他人运行，请刷新后查看")])
        audit.log(job, "job.run", user=user, before=None, after={"period": period, "attempt": attempt})
    return run
