"""The scheduled jobs, each run of them, and the worker's and the scheduler's signs of life."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyproj.core.models import AuditedModel
from keyproj.jobs.querysets import JobQuerySet, JobRunQuerySet

# An interval job runs at most once a minute and at least once a day.
MIN_EVERY = 1
MAX_EVERY = 24 * 60


class Job(AuditedModel):
    """A piece of work the scheduler queues on its own: daily at a time of day, or every so many minutes.

    Exactly one of `at` and `every_minutes` is set (a constraint says so). The work itself is the
    function registered under `code` in keyproj.jobs.jobs; the office changes only when it runs.
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    label = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    at = models.TimeField(_("每日运行时间"), null=True, blank=True)
    every_minutes = models.PositiveIntegerField(
        _("运行间隔(分钟)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_EVERY), MaxValueValidator(MAX_EVERY)],
    )
    enabled = models.BooleanField(_("启用"), default=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")
        ordering = ["at", "every_minutes", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(at__isnull=False, every_minutes__isnull=True)
                | Q(at__isnull=True, every_minutes__isnull=False),
                name="job_daily_or_interval",
            ),
            models.CheckConstraint(
                condition=Q(every_minutes__isnull=True) | Q(every_minutes__gte=MIN_EVERY, every_minutes__lte=MAX_EVERY),
                name="job_interval_bounds",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("jobs:index") + f"#job-{self.code}"

    @property
    def is_daily(self) -> bool:
        return self.at is not None

    def period_at(self, moment: dt.datetime) -> str:
        """The period a run started at `moment` is for: the day of a daily job, the interval's start of another.

        A daily job's period is the business day (2019-09-03); an interval job's is the start of the
        interval of the day it falls in (2019-09-03T09:30 for every 15 minutes at 09:41).
        """
        if self.is_daily:
            return moment.date().isoformat()
        every = self.every_minutes or MIN_EVERY
        minute = (moment.hour * 60 + moment.minute) // every * every
        start = dt.datetime.combine(moment.date(), dt.time(minute // 60, minute % 60))
        return start.strftime("%Y-%m-%dT%H:%M")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("失败")
    SKIPPED = "skipped", _("跳过")


# A run in one of these is still to finish; one in DONE has finished well (a period needs no more runs).
PENDING = (RunStatus.QUEUED, RunStatus.RUNNING)
DONE = (RunStatus.SUCCEEDED, RunStatus.SKIPPED)


class JobRun(models.Model):
    """One attempt at one job for one period: queued by the schedule or by someone, then run by a worker.

    A period's attempts are numbered from 1; the database refuses a second run with the same number,
    so two schedulers ticking at once cannot both queue the same period.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="runs", verbose_name=_("任务"))
    period = models.CharField(_("期间"), max_length=20)
    attempt = models.PositiveSmallIntegerField(_("第几次"), default=1)
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    queued_at = models.DateTimeField(_("排队时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    counts = models.JSONField(_("计数"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    request_id = models.CharField(_("请求ID"), max_length=40, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    task_id = models.CharField(_("队列任务ID"), max_length=40, blank=True)

    objects = JobRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务运行记录")
        verbose_name_plural = _("任务运行记录")
        ordering = ["-queued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["job", "period", "attempt"], name="one_run_per_attempt")]
        indexes = [models.Index(fields=["job", "-queued_at"], name="jobrun_job_recent")]

    def __str__(self) -> str:
        return f"{self.job_id} {self.period} #{self.attempt}"

    @property
    def duration(self) -> dt.timedelta | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return self.ended_at - self.started_at


class Heartbeat(models.Model):
    """When a long-running process (the worker, the scheduler) last said it was alive, and where it runs."""

    name = models.CharField(_("进程"), max_length=20, primary_key=True)
    seen_at = models.DateTimeField(_("最近心跳"))
    host = models.CharField(_("主机"), max_length=100, blank=True)
    pid = models.PositiveIntegerField(_("进程号"), null=True, blank=True)

    class Meta:
        verbose_name = _("心跳")
        verbose_name_plural = _("心跳")

    def __str__(self) -> str:
        return f"{self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"
