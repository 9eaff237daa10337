"""The schedule over HTTP (read-only): the jobs with their schedule and latest run, and the run history.

The office's alone, as on the pages: for anyone else neither list exists (404). The runs are narrowed
by the page's own FilterSet (keyproj.jobs.filtersets). Included by keyproj.api_urls.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers
from rest_framework.request import Request

from keyproj.accounts.permissions import is_office
from keyproj.core import clock
from keyproj.core.api import NOT_FOUND, REFUSALS
from keyproj.core.viewsets import ScopedViewSet
from keyproj.jobs import scheduler
from keyproj.jobs.filtersets import JobRunFilterSet
from keyproj.jobs.models import Job, JobRun


class JobRunSerializer(serializers.ModelSerializer):
    """One run: which job, for which period, which attempt, how it went."""

    job: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="任务代码"
    )
    requested_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="发起人（用户名）；按计划运行时为null"
    )
    duration_seconds = serializers.SerializerMethodField(help_text="用时（秒）；未结束时为null")

    class Meta:
        model = JobRun
        fields = [
            "id",
            "job",
            "period",
            "attempt",
            "status",
            "queued_at",
            "started_at",
            "ended_at",
            "duration_seconds",
            "counts",
            "error",
            "request_id",
            "requested_by",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "period": {
                "help_text": "期间：每日任务为业务日期（2019-09-03），按间隔的任务为间隔的开始（2019-09-03T09:30）"
            },
            "attempt": {"help_text": "该期间的第几次运行"},
            "counts": {"help_text": "运行结果计数（如发出消息数）；跳过时含说明 note"},
            "error": {"help_text": "失败时的错误信息"},
        }

    def get_duration_seconds(self, run: JobRun) -> float | None:
        spent = run.duration
        return None if spent is None else round(spent.total_seconds(), 3)


@extend_schema_field({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "07:00"})
class HourMinute(serializers.TimeField):
    """A time of day as the schedule page shows it (07:00): not the seconds and zone of an ISO time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class JobSerializer(serializers.ModelSerializer):
    """A job: its schedule (a daily time or an interval), whether it runs, its latest run and when it is next due."""

    at = HourMinute(read_only=True, allow_null=True, help_text="每日运行时间（时:分，如07:00）；按间隔运行时为null")
    last_run = serializers.SerializerMethodField(help_text="最近一次运行；尚未运行时为null")
    next_due = serializers.SerializerMethodField(help_text="下次运行时间；停用时为null")

    class Meta:
        model = Job
        fields = ["code", "label", "description", "at", "every_minutes", "enabled", "version", "last_run", "next_due"]
        read_only_fields = fields

    def get_last_run(self, job: Job) -> dict[str, Any] | None:
        runs = getattr(job, "latest_runs", None)
        run = runs[0] if runs else None
        return None if run is None else JobRunSerializer(run).data

    def get_next_due(self, job: Job) -> str | None:
        moment = scheduler.next_due(job, clock.now(), clock.real_now())
        return None if moment is None else moment.isoformat()


class OfficeOnly:
    """Signed in but not the office: the schedule does not exist for them (404), lists included."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if not is_office(request.user):
            raise exceptions.NotFound(gettext("不存在"))


@extend_schema_view(
    list=extend_schema(
        summary="定时任务（重点办）：每个任务的运行计划、最近一次运行和下次运行时间",
        responses={200: JobSerializer(many=True), **NOT_FOUND},
    )
)
class JobViewSet(OfficeOnly, mixins.ListModelMixin, ScopedViewSet):
    queryset = Job.objects.prefetch_related(
        Prefetch("runs", queryset=JobRun.objects.order_by("-queued_at", "-pk")[:1], to_attr="latest_runs")
    ).order_by("pk")
    serializer_class = JobSerializer
    pagination_class = None


@extend_schema_view(
    list=extend_schema(
        summary="定时任务运行记录（重点办），新的在前",
        description="可按任务代码（job）、状态（status）和期间开头（period）筛选。",
        responses={200: JobRunSerializer(many=True), 400: REFUSALS[400], **NOT_FOUND},
    )
)
class JobRunViewSet(OfficeOnly, mixins.ListModelMixin, ScopedViewSet):
    queryset = JobRun.objects.select_related("job", "requested_by").order_by("-queued_at", "-pk")
    serializer_class = JobRunSerializer
    filterset_class = JobRunFilterSet
