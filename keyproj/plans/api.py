"""Annual plans over HTTP: draw one up (twelve monthly amounts), read them, approve them (the office).

Every change goes through keyproj.plans.services, as the pages and the plans workbook do.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from keyproj.core.api import (
    CONFLICT,
    NOT_FOUND,
    REFUSALS,
    money_field,
    month_field,
    version_field,
    year_field,
)
from keyproj.core.viewsets import ScopedReadOnlyViewSet
from keyproj.plans.models import AnnualPlan, MonthlyPlan, PlanStatus
from keyproj.plans.services import PlanData, approve_plan, save_plan
from keyproj.projects.models import Project
from keyproj.projects.querysets import UnknownProject

# The services name fields by the plans workbook's column labels; the API by these names.
PLAN_FIELDS = {
    "年度": "year",
    "年度计划投资(万元)": "investment",
    "计划开工月份": "start_month",
    "计划竣工月份": "completion_month",
    "截至上年末累计完成投资(万元)": "invested_before",
    **{f"{month}月": "monthly" for month in range(1, 13)},
}


class PlanSerializer(serializers.ModelSerializer):
    """One annual plan with its twelve monthly amounts; money in 万元 as strings with two decimals."""

    project = serializers.CharField(source="project.code", read_only=True, help_text="项目代码")
    project_name = serializers.CharField(source="project.name", read_only=True, help_text="项目名称")
    monthly = serializers.SerializerMethodField(help_text="1-12月计划投资（万元），一月在前")
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="状态（中文）")

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "project",
            "project_name",
            "year",
            "investment",
            "monthly",
            "start_month",
            "completion_month",
            "land_acquisition",
            "land_handover",
            "invested_before",
            "status",
            "status_display",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), min_length=12, max_length=12))
    def get_monthly(self, plan: AnnualPlan) -> list[str]:
        amounts = {line.month: line.investment for line in plan.lines.all()}
        return [f"{amounts.get(month, 0):.2f}" for month in range(1, 13)]


class PlanWriteSerializer(serializers.Serializer):
    """A whole annual plan for one project and year: created as a draft, or replacing the draft there is."""

    project = serializers.CharField(help_text="项目代码", error_messages={"required": _("必填：项目代码")})
    year = year_field(help_text="年度")
    investment = money_field(help_text="年度计划投资（万元），须等于12个月之和")
    monthly = serializers.ListField(
        child=money_field(),
        min_length=12,
        max_length=12,
        help_text="1-12月计划投资（万元），恰好12个，一月在前",
        error_messages={"min_length": _("应有12个月的计划"), "max_length": _("应有12个月的计划")},
    )
    start_month = month_field(required=False, allow_null=True, help_text="计划开工月份（1-12，可选）")
    completion_month = month_field(required=False, allow_null=True, help_text="计划竣工月份（1-12，可选）")
    land_acquisition = money_field(max_digits=10, required=False, allow_null=True, help_text="计划征收（亩，可选）")
    land_handover = money_field(max_digits=10, required=False, allow_null=True, help_text="计划交地（亩，可选）")
    invested_before = money_field(
        required=False, allow_null=True, help_text="截至上年末累计完成投资（万元，可选；挣值分析的期初数）"
    )
    version = version_field(required=False)

    def validate_project(self, code: str) -> object:
        try:
            return Project.objects.by_code(self.context["request"].user, code)
        except UnknownProject as unknown:
            raise serializers.ValidationError(str(unknown)) from unknown


class PlanActionSerializer(serializers.Serializer):
    """Approving: optionally the version the client read, so it approves what it saw."""

    version = version_field(required=False)


class PlanFilterSet(django_filters.FilterSet):
    """Narrow the plans down by year, project or status."""

    year = django_filters.NumberFilter(field_name="year", label=_("年度"))
    project = django_filters.CharFilter(field_name="project__code", label=_("项目代码"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("状态"))

    class Meta:
        model = AnnualPlan
        fields = ["year", "project", "status"]


@extend_schema_view(
    list=extend_schema(
        summary="年度计划列表（本人可见范围内）", responses={200: PlanSerializer(many=True), 400: REFUSALS[400]}
    ),
    retrieve=extend_schema(summary="一项年度计划", responses={200: PlanSerializer, **NOT_FOUND}),
)
class PlanViewSet(ScopedReadOnlyViewSet):
    """Plans of the projects the caller may see; any other plan does not exist here (404)."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    problem_fields = PLAN_FIELDS

    # The twelve lines of a whole page come in one query, whatever the page size.
    queryset = (
        AnnualPlan.objects.select_related("project")
        .prefetch_related(Prefetch("lines", queryset=MonthlyPlan.objects.order_by("month")))
        .order_by("-year", "project__code", "pk")
    )

    def _answer(self, plan: AnnualPlan, code: int = status.HTTP_200_OK) -> Response:
        return Response(PlanSerializer(plan, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        summary="编制年度计划（新建草稿，或改写草稿）",
        description=(
            "按项目代码、年度新建或改写年度计划（草稿）：新建答201，改写答200。12个月之和须等于年度计划投资。"
            "已批准的计划只能由重点办调整。可给出读取时的 version，若此后已被他人修改则答409。"
            "本人看不到的项目与不存在的项目答复相同。"
        ),
        request=PlanWriteSerializer,
        responses={200: PlanSerializer, 201: PlanSerializer, **REFUSALS, **CONFLICT},
        examples=[
            OpenApiExample(
                "2019年度计划",
                request_only=True,
                value={
                    "project": "2019-350203-48-01-000001",
                    "year": 2019,
                    "investment": "1200.00",
                    "monthly": ["100.00"] * 12,
                    "start_month": 3,
                    "completion_month": None,
                },
            )
        ],
    )
    def create(self, request: Request) -> Response:
        form = PlanWriteSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        existing = AnnualPlan.objects.filter(project=data["project"], year=data["year"]).exists()
        plan = save_plan(
            PlanData(
                project=data["project"],
                year=data["year"],
                investment=data["investment"],
                monthly=data["monthly"],
                start_month=data.get("start_month"),
                completion_month=data.get("completion_month"),
                land_acquisition=data.get("land_acquisition"),
                land_handover=data.get("land_handover"),
                invested_before=data.get("invested_before"),
                expected_version=data.get("version"),
            ),
            user=request.user,
        )
        return self._answer(plan, status.HTTP_200_OK if existing else status.HTTP_201_CREATED)

    @extend_schema(
        summary="批准年度计划（重点办）：批准后作为基准计入统计",
        request=PlanActionSerializer,
        responses={200: PlanSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        form = PlanActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        approve_plan(plan, user=request.user, expected_version=form.validated_data.get("version"))
        return self._answer(plan)
