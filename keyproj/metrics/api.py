"""The published figures over HTTP: the same object as `keyproj summary --json`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.core.period import Period, PeriodError
from keyproj.metrics.figures import BREAKDOWNS, ScopeError, breakdown, parse_scope, summary


class FiguresSerializer(serializers.Serializer):
    """The figures of one scope for months 1..N (documentation only: the view answers Figures.as_json)."""

    period = serializers.CharField(help_text="期间 YYYY-MM")
    scope = serializers.CharField(
        help_text="范围：city（全市）、visible（本人可见的部分）、district:代码、org:编号 或 category:代码"
    )
    project_count = serializers.IntegerField(help_text="项目个数")
    annual_plan = serializers.CharField(help_text="年度计划投资（万元，两位小数）")
    plan_to_date = serializers.CharField(help_text="1-N月计划投资（万元）")
    actual_to_date = serializers.CharField(help_text="1-N月实际完成投资（万元）")
    over = serializers.CharField(help_text="超（正）或差（负）（万元）")
    schedule_rate = serializers.CharField(allow_null=True, help_text="完成序时进度计划%；无计划时为null")
    annual_rate = serializers.CharField(allow_null=True, help_text="完成年度计划%；无计划时为null")
    time_rate = serializers.CharField(help_text="时间进度%（N/12）")
    time_lead = serializers.CharField(allow_null=True, help_text="超序时进度（百分点）：完成年度计划% − 时间进度%")


class BreakdownRowSerializer(FiguresSerializer):
    key = serializers.CharField(help_text="区代码、类别代码或责任单位编号")
    name = serializers.CharField(help_text="名称")


class SummarySerializer(FiguresSerializer):
    rows = BreakdownRowSerializer(many=True, required=False, help_text="仅在指定breakdown时出现")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文说明")


class SummaryView(APIView):
    """The published figures of what the caller may see, for one month and an optional scope."""

    @extend_schema(
        operation_id="summary",
        summary="汇总数据（与 keyproj summary --json 相同）",
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                required=True,
                pattern=r"^\d{4}-\d{1,2}$",
                description="期间 YYYY-MM，例如 2019-07（统计1至该月的累计数）",
            ),
            OpenApiParameter(
                "scope",
                OpenApiTypes.STR,
                required=False,
                description="范围：district:350203（区代码或名称）、org:12（单位编号）、category:industry；缺省为本人可见的全部",
            ),
            OpenApiParameter(
                "breakdown",
                OpenApiTypes.STR,
                required=False,
                enum=list(BREAKDOWNS),
                description="同时给出分组数据 rows：按区、按项目类别或按责任单位",
            ),
        ],
        responses={200: SummarySerializer, 400: ErrorSerializer},
        examples=[
            OpenApiExample(
                "2019年1-7月全市",
                response_only=True,
                value={
                    "period": "2019-07",
                    "scope": "city",
                    "project_count": 357,
                    "annual_plan": "11927000.00",
                    "plan_to_date": "5953100.00",
                    "actual_to_date": "7774000.00",
                    "over": "1820900.00",
                    "schedule_rate": "130.59",
                    "annual_rate": "65.18",
                    "time_rate": "58.33",
                    "time_lead": "6.85",
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        raw = params.get("period", "").strip()
        if not raw:
            raise ParseError("缺少参数period，格式为YYYY-MM，例如2019-07")
        try:
            period = Period.parse(raw)
            scope = parse_scope(params.get("scope") or None, request.user)
        except (PeriodError, ScopeError) as exc:
            raise ParseError(str(exc)) from None
        by = params.get("breakdown") or None
        if by is not None and by not in BREAKDOWNS:
            raise ParseError(f"breakdown应为 {'、'.join(BREAKDOWNS)} 之一，而不是“{by}”")

        data: dict[str, Any] = summary(request.user, period, scope).as_json()
        if by is not None:
            data["rows"] = [
                {"key": row.key, "name": row.name, **row.figures.as_json()}
                for row in breakdown(request.user, period, by, scope)
            ]
        return Response(data)
