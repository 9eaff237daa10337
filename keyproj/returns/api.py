"""Monthly returns over HTTP: report, correct, submit, review; and the office's month locks.

Every change goes through keyproj.returns.services, exactly as the pages and the workbook
import do; this module only reads the request, finds the record in the caller's scope and
answers. A project the caller may not see is answered like one that does not exist.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.core.api import (
    CONFLICT,
    NOT_FOUND,
    REFUSALS,
    DetailSerializer,
    ServiceErrorsMixin,
    money_field,
    month_field,
    version_field,
    year_field,
)
from keyproj.core.viewsets import ScopedReadOnlyViewSet
from keyproj.projects.models import Project
from keyproj.projects.querysets import UnknownProject
from keyproj.returns.models import MonthLock, ProgressReturn, ReturnStatus
from keyproj.returns.services import (
    REPORTED,
    ReturnData,
    approve_return,
    lock_month,
    save_return,
    send_back_return,
    submit_return,
    unlock_month,
)

# The services name fields by their column labels (the returns workbook's); the API by these names.
RETURN_FIELDS = {
    "年度": "year",
    "月份": "month",
    "本月完成投资(万元)": "investment",
    "形象进度": "physical_progress",
    "是否开工": "started",
    "是否竣工": "completed",
    "存在问题": "problems",
    "形象进度百分比(%)": "completion",
    "进度回落原因": "completion_drop_reason",
    "审核意见": "comment",
    "原因": "reason",
}


class ReturnSerializer(serializers.ModelSerializer):
    """One monthly return as it stands; investment in 万元 as a string with two decimals."""

    project = serializers.CharField(source="project.code", read_only=True, help_text="项目代码")
    project_name = serializers.CharField(source="project.name", read_only=True, help_text="项目名称")
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="状态（中文）")

    class Meta:
        model = ProgressReturn
        fields = [
            "id",
            "project",
            "project_name",
            "year",
            "month",
            "investment",
            "physical_progress",
            "started",
            "completed",
            "problems",
            "completion",
            "completion_drop_reason",
            "status",
            "status_display",
            "review_comment",
            "version",
            "submitted_at",
            "approved_at",
        ]
        read_only_fields = fields


class ReturnCreateSerializer(serializers.Serializer):
    """A whole return for one project and month: created as a draft, or replacing the draft there is."""

    project = serializers.CharField(help_text="项目代码", error_messages={"required": _("必填：项目代码")})
    year = year_field(help_text="年度")
    month = month_field(help_text="月份（1-12）；须已结束")
    investment = money_field(help_text="本月完成投资（万元），不为负，最多两位小数；可为字符串或数字")
    physical_progress = serializers.CharField(allow_blank=True, trim_whitespace=True, help_text="形象进度")
    started = serializers.BooleanField(help_text="是否开工")
    completed = serializers.BooleanField(help_text="是否竣工")
    problems = serializers.CharField(required=False, allow_blank=True, default="", help_text="存在问题（可选）")
    # Text here: the service reads the number, so that the API refuses as the form and workbook do.
    completion = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="形象进度（%，0-100，可选；可为字符串或数字）；低于此前填报时须给出进度回落原因",
    )
    completion_drop_reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="进度回落原因（形象进度低于此前填报时必填）"
    )
    version = version_field(required=False)

    def validate_project(self, code: str) -> Project:
        try:
            return Project.objects.by_code(self.context["request"].user, code)
        except UnknownProject as unknown:
            raise serializers.ValidationError(str(unknown)) from unknown


class ReturnUpdateSerializer(serializers.Serializer):
    """A correction of some of a return's reported fields, from the version the client read."""

    version = version_field(required=True)
    investment = money_field(required=False, help_text="本月完成投资（万元）")
    physical_progress = serializers.CharField(required=False, allow_blank=True, help_text="形象进度")
    started = serializers.BooleanField(required=False, help_text="是否开工")
    completed = serializers.BooleanField(required=False, help_text="是否竣工")
    problems = serializers.CharField(required=False, allow_blank=True, help_text="存在问题")
    completion = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="形象进度（%，0-100；可为字符串或数字）"
    )
    completion_drop_reason = serializers.CharField(required=False, allow_blank=True, help_text="进度回落原因")


class ReturnActionSerializer(serializers.Serializer):
    """Submitting or approving: optionally the version the client read, so it acts on what it saw."""

    version = version_field(required=False)


class SendBackSerializer(ReturnActionSerializer):
    """Sending back: the reviewer's reasons, which the author reads."""

    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="退回原因（必填）")


class ReturnFilterSet(django_filters.FilterSet):
    """Narrow the returns down by month, status or project."""

    year = django_filters.NumberFilter(field_name="year", label=_("年度"))
    month = django_filters.NumberFilter(field_name="month", label=_("月份"))
    status = django_filters.ChoiceFilter(choices=ReturnStatus.choices, label=_("状态"))
    project = django_filters.CharFilter(field_name="project__code", label=_("项目代码"))

    class Meta:
        model = ProgressReturn
        fields = ["year", "month", "status", "project"]


@extend_schema_view(
    list=extend_schema(
        summary="月度填报列表（本人可见范围内）", responses={200: ReturnSerializer(many=True), 400: REFUSALS[400]}
    ),
    retrieve=extend_schema(summary="一条月度填报", responses={200: ReturnSerializer, **NOT_FOUND}),
)
class ReturnViewSet(ScopedReadOnlyViewSet):
    """Returns of the projects the caller may see; any other return does not exist here (404)."""

    serializer_class = ReturnSerializer
    filterset_class = ReturnFilterSet
    problem_fields = RETURN_FIELDS

    queryset = ProgressReturn.objects.select_related("project").order_by("-year", "-month", "project__code", "pk")

    def _answer(self, ret: ProgressReturn, code: int = status.HTTP_200_OK) -> Response:
        return Response(ReturnSerializer(ret, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        summary="填报（新建草稿，或改写已有的草稿/退回件）",
        description=(
            "按项目代码、年度、月份新建或改写一条填报，存为草稿：新建答201，改写答200。"
            "只能填报已结束的月份；已审核的填报不能再改，已锁定月份不能改。"
            "改写时可给出读取时的 version，若此后已被他人修改则答409。"
            "本人看不到的项目与不存在的项目答复相同。"
        ),
        request=ReturnCreateSerializer,
        responses={200: ReturnSerializer, 201: ReturnSerializer, **REFUSALS, **CONFLICT},
        examples=[
            OpenApiExample(
                "填报2019年7月",
                request_only=True,
                value={
                    "project": "2019-350203-48-01-000001",
                    "year": 2019,
                    "month": 7,
                    "investment": "1250.50",
                    "physical_progress": "主体结构施工至5层",
                    "started": True,
                    "completed": False,
                    "problems": "",
                },
            )
        ],
    )
    def create(self, request: Request) -> Response:
        form = ReturnCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        project, year, month = data["project"], data["year"], data["month"]
        existed = ProgressReturn.objects.filter(project=project, year=year, month=month).exists()
        ret = save_return(
            ReturnData(
                project=project,
                year=year,
                month=month,
                investment=data["investment"],
                physical_progress=data["physical_progress"],
                started=data["started"],
                completed=data["completed"],
                problems=data["problems"],
                completion=data.get("completion"),
                completion_drop_reason=data.get("completion_drop_reason", ""),
                expected_version=data.get("version"),
            ),
            user=request.user,
        )
        return self._answer(ret, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改填报（须给出读取时的 version）",
        description=(
            "只改给出的字段，其余不变。version 须为读取时的版本：此后若已被他人修改，答409且不作任何修改。"
            "修改后的填报为草稿（已提交的改后须重新提交）；已审核的填报不能修改。"
        ),
        request=ReturnUpdateSerializer,
        responses={200: ReturnSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        ret = self.get_object()
        form = ReturnUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        # Fields not given keep the values of the version the client read; a later save is caught by the version.
        reported = {name: data.get(name, getattr(ret, name)) for name in REPORTED}
        save_return(
            ReturnData(
                project=ret.project, year=ret.year, month=ret.month, expected_version=data["version"], **reported
            ),
            user=request.user,
        )
        return self._answer(self.get_object())

    @extend_schema(
        summary="提交填报（交责任单位审核）",
        request=ReturnActionSerializer,
        responses={200: ReturnSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        ret, data = self._acting_on(request, ReturnActionSerializer)
        return self._answer(submit_return(ret, user=request.user, expected_version=data.get("version")))

    @extend_schema(
        summary="审核通过（责任单位或重点办；不能审核自己提交的）",
        request=ReturnActionSerializer,
        responses={200: ReturnSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        ret, data = self._acting_on(request, ReturnActionSerializer)
        return self._answer(approve_return(ret, user=request.user, expected_version=data.get("version")))

    @extend_schema(
        summary="退回填报（须写明原因 comment）",
        request=SendBackSerializer,
        responses={200: ReturnSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: str | None = None) -> Response:
        ret, data = self._acting_on(request, SendBackSerializer)
        return self._answer(
            send_back_return(ret, user=request.user, comment=data["comment"], expected_version=data.get("version"))
        )

    def _acting_on(self, request: Request, form_class: type[serializers.Serializer]) -> tuple[ProgressReturn, Any]:
        """The return in scope (404 otherwise) and its request body read (the service checks the version)."""
        ret = self.get_object()
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        return ret, form.validated_data


class MonthLockSerializer(serializers.ModelSerializer):
    """A locked month."""

    class Meta:
        model = MonthLock
        fields = ["year", "month", "locked_at"]
        read_only_fields = fields


class LockRequestSerializer(serializers.Serializer):
    """The month to lock."""

    year = year_field(help_text="年度")
    month = month_field(help_text="月份（1-12）")


class UnlockSerializer(serializers.Serializer):
    """Why a locked month is opened again (on record in the audit log)."""

    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="解锁原因（必填）")


class MonthLockListView(ServiceErrorsMixin, APIView):
    """The locked months (anyone signed in may know which), and locking one (the office)."""

    problem_fields = RETURN_FIELDS

    @extend_schema(operation_id="locks_list", summary="已锁定的月份", responses={200: MonthLockSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(MonthLockSerializer(MonthLock.objects.order_by("-year", "-month"), many=True).data)

    @extend_schema(
        operation_id="locks_create",
        summary="锁定月份（重点办）：该月填报不能再修改、提交或审核",
        request=LockRequestSerializer,
        responses={201: MonthLockSerializer, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        form = LockRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        lock = lock_month(form.validated_data["year"], form.validated_data["month"], user=request.user)
        return Response(MonthLockSerializer(lock).data, status=status.HTTP_201_CREATED)


class MonthLockDetailView(ServiceErrorsMixin, APIView):
    """Opening a locked month again (the office), with the reason."""

    problem_fields = RETURN_FIELDS

    @extend_schema(
        operation_id="locks_destroy",
        summary="解锁月份（重点办，须写明原因）",
        description="原因 reason 可放在请求体（JSON）或查询参数中。",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH, description="年度"),
            OpenApiParameter("month", OpenApiTypes.INT, OpenApiParameter.PATH, description="月份"),
            OpenApiParameter(
                "reason", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description="解锁原因"
            ),
        ],
        request=UnlockSerializer,
        responses={204: None, **REFUSALS, 404: DetailSerializer},
    )
    def delete(self, request: Request, year: int, month: int) -> Response:
        get_object_or_404(MonthLock, year=year, month=month)
        form = UnlockSerializer(data=request.data or {"reason": request.query_params.get("reason", "")})
        form.is_valid(raise_exception=True)
        unlock_month(year, month, user=request.user, reason=form.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)
