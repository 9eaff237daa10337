"""Problems, meetings, site visits and statistics over HTTP, scoped like the pages.

Every change goes through keyproj.problems.services; a problem, meeting or visit the caller
may not see is answered like one that does not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.core import params
from keyproj.core.api import (
    CONFLICT,
    NOT_FOUND,
    REFUSALS,
    BoundedDateField,
    id_field,
    version_field,
)
from keyproj.core.viewsets import ScopedReadOnlyViewSet
from keyproj.metrics.figures import ScopeError, parse_scope
from keyproj.problems import services
from keyproj.problems.filtersets import ProblemFilterSet
from keyproj.problems.models import (
    Escalation,
    Level,
    Meeting,
    MeetingForm,
    MeetingKind,
    Problem,
    ProblemCategory,
    ProblemSource,
    SiteVisit,
)
from keyproj.problems.stats import compute
from keyproj.projects.models import Project

PROBLEM_FIELDS = {
    "问题": "title",
    "问题类别": "category",
    "来源": "source",
    "当前层级": "level",
    "上报原因": "reason",
    "解决情况": "note",
    "状态": "status",
    "会议类型": "kind",
    "会议形式": "form",
    "会议名称": "title",
    "主持人": "chair",
    "会议日期": "held_on",
    "研究的问题": "discussed",
    "解决的问题": "resolved",
    "解决日期": "held_on",
}


class EscalationStepSerializer(serializers.ModelSerializer):
    """One step up the ladder."""

    class Meta:
        model = Escalation
        fields = ["from_level", "to_level", "on", "reason", "automatic", "time_limit_days"]


class ProblemRecordSerializer(serializers.ModelSerializer):
    """A problem on a project, with its ladder history."""

    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    escalations = EscalationStepSerializer(many=True, read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "project",
            "category",
            "title",
            "description",
            "status",
            "level",
            "level_since",
            "source",
            "raised_on",
            "resolved_on",
            "resolution",
            "version",
            "escalations",
        ]


class ProblemRaiseSerializer(serializers.Serializer):
    """A new problem: the project (by code, within the caller's scope), category (by code), title."""

    project = serializers.SlugRelatedField(slug_field="code", queryset=Project.objects.none())
    category = serializers.SlugRelatedField(slug_field="code", queryset=ProblemCategory.objects.filter(active=True))
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=ProblemSource.choices, default=ProblemSource.OWNER)
    level = serializers.ChoiceField(choices=Level.choices, default=Level.OWNER)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        field: Any = self.fields["project"]
        field.queryset = Project.objects.visible_to(request.user if request else None)


class EscalationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    version = version_field(required=False)


class ResolutionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)
    version = version_field(required=False)


class ProblemVersionSerializer(serializers.Serializer):
    version = version_field(required=False)


@extend_schema_view(
    list=extend_schema(summary="问题台账（本人可见范围内）"),
    retrieve=extend_schema(summary="一个问题", responses={200: ProblemRecordSerializer, **NOT_FOUND}),
)
class ProblemViewSet(ScopedReadOnlyViewSet):
    """Problems of the projects the caller may see (and, for a liaison leader, those escalated to them),
    filtered by ProblemFilterSet as the ledger page is."""

    serializer_class = ProblemRecordSerializer
    filterset_class = ProblemFilterSet
    problem_fields = PROBLEM_FIELDS

    queryset = (
        Problem.objects.select_related("project", "category")
        .prefetch_related("escalations")
        .order_by("-raised_on", "-pk")
    )

    def _answer(self, problem: Problem, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=problem.pk)
        return Response(ProblemRecordSerializer(fresh).data, status=code)

    def _read(self, request: Request, form_class: type[serializers.Serializer]) -> tuple[Problem, Any]:
        problem = self.get_object()
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        return problem, form.validated_data

    @extend_schema(
        summary="提出问题",
        request=ProblemRaiseSerializer,
        responses={201: ProblemRecordSerializer, **REFUSALS},
    )
    def create(self, request: Request) -> Response:
        form = ProblemRaiseSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        problem = services.raise_problem(services.ProblemData(**form.validated_data), user=request.user)
        return self._answer(problem, status.HTTP_201_CREATED)

    @extend_schema(
        summary="上报上一级（须写明原因）",
        request=EscalationReasonSerializer,
        responses={200: ProblemRecordSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str | None = None) -> Response:
        problem, data = self._read(request, EscalationReasonSerializer)
        services.escalate(problem, user=request.user, reason=data["reason"], expected_version=data.get("version"))
        return self._answer(problem)

    @extend_schema(
        summary="办结（须写明解决情况）",
        request=ResolutionNoteSerializer,
        responses={200: ProblemRecordSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        problem, data = self._read(request, ResolutionNoteSerializer)
        services.resolve(problem, user=request.user, note=data["note"], expected_version=data.get("version"))
        return self._answer(problem)

    @extend_schema(
        summary="开始办理",
        request=ProblemVersionSerializer,
        responses={200: ProblemRecordSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="take-up")
    def take_up(self, request: Request, pk: str | None = None) -> Response:
        problem, data = self._read(request, ProblemVersionSerializer)
        services.take_up(problem, user=request.user, expected_version=data.get("version"))
        return self._answer(problem)


class MeetingSerializer(serializers.ModelSerializer):
    """A coordination meeting; `resolved` lists the problems it resolved."""

    resolved = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "kind", "held_on", "form", "title", "location", "chair", "attendees", "decisions", "resolved"]

    def get_resolved(self, meeting: Meeting) -> list[int]:
        return sorted(p.pk for p in meeting.resolved_problems.all())


class MeetingResolvedItemSerializer(serializers.Serializer):
    problem = id_field()
    note = serializers.CharField(allow_blank=True)


class MeetingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    held_on = BoundedDateField()
    form = serializers.ChoiceField(choices=MeetingForm.choices, default=MeetingForm.VENUE)
    title = serializers.CharField(max_length=200)
    location = serializers.CharField(required=False, allow_blank=True, default="")
    chair = serializers.CharField(max_length=100)
    attendees = serializers.CharField(required=False, allow_blank=True, default="")
    decisions = serializers.CharField(required=False, allow_blank=True, default="")
    discussed = serializers.ListField(child=id_field(), required=False, default=list)
    resolved = MeetingResolvedItemSerializer(many=True, required=False, default=list)


@extend_schema_view(
    list=extend_schema(summary="协调会议（本人可见范围内）"),
    retrieve=extend_schema(summary="一次会议", responses={200: MeetingSerializer, **NOT_FOUND}),
)
class MeetingViewSet(ScopedReadOnlyViewSet):
    """Meetings that took up problems the caller may see (all meetings for the office and leaders)."""

    serializer_class = MeetingSerializer
    problem_fields = PROBLEM_FIELDS

    queryset = Meeting.objects.order_by("-held_on", "-pk")

    def narrow(self, rows: QuerySet[Meeting]) -> QuerySet[Meeting]:
        # Only the problems the caller may see: a shared meeting must not list other districts' ids.
        return rows.prefetch_related(
            Prefetch("resolved_problems", queryset=Problem.objects.visible_to(self.request.user))
        )

    @extend_schema(
        summary="登记会议（可同时办结会上解决的问题；问题须在本人可见范围内）",
        request=MeetingCreateSerializer,
        responses={201: MeetingSerializer, **REFUSALS},
    )
    def create(self, request: Request) -> Response:
        form = MeetingCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        # Looked up in the caller's scope: an id of another district's problem is refused exactly as an
        # id of none, so that ids cannot be probed.
        meeting = services.record_meeting(
            services.MeetingData.from_request(
                data,
                user=request.user,
                discussed=list(data["discussed"]),
                resolved=[(item["problem"], item["note"]) for item in data["resolved"]],
            ),
            user=request.user,
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class SiteVisitSerializer(serializers.ModelSerializer):
    """A site visit and the projects (by code) it went to."""

    projects = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = SiteVisit
        fields = ["id", "visited_on", "team", "summary", "projects"]


@extend_schema_view(
    list=extend_schema(summary="深入现场（本人可见范围内）"),
    retrieve=extend_schema(summary="一次深入现场", responses={200: SiteVisitSerializer, **NOT_FOUND}),
)
class SiteVisitViewSet(ScopedReadOnlyViewSet):
    """Site visits to projects the caller may see."""

    serializer_class = SiteVisitSerializer

    queryset = SiteVisit.objects.order_by("-visited_on", "-pk")

    def narrow(self, rows: QuerySet[SiteVisit]) -> QuerySet[SiteVisit]:
        # Only the projects the caller may see, as on the visit's page.
        return rows.prefetch_related(Prefetch("projects", queryset=Project.objects.visible_to(self.request.user)))


class StatsView(APIView):
    """Coordination statistics of a period: year to date (1-N月) and the month."""

    @extend_schema(
        operation_id="problem_stats",
        summary="问题协调统计（1-N月累计及当月）",
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, required=True, description="YYYY-MM"),
            OpenApiParameter("scope", OpenApiTypes.STR, description="district:代码 或 org:编号"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: REFUSALS[400]},
    )
    def get(self, request: Request) -> Response:
        period = params.read(request, "period", params.period)
        if period is None:  # required: the statistics of no month mean nothing
            raise params.ParamError("period", gettext("缺少月份，应为YYYY-MM，例如2019-07"))
        try:
            scope = parse_scope(request.query_params.get("scope"), request.user)
        except ScopeError as exc:
            raise ValidationError({"scope": [str(exc)]}) from None
        return Response(compute(request.user, period, scope).as_json())
