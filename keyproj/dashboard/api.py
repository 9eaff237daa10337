"""一张图 over HTTP: the month's districts and project points, scoped like the map page."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.core.period import Period, PeriodError
from keyproj.dashboard.mapdata import default_period, map_data
from keyproj.metrics.api import ErrorSerializer


class MapDistrictSerializer(serializers.Serializer):
    """One district the caller sees figures of (documentation only)."""

    code = serializers.CharField(help_text="区代码（GB/T 2260）")
    name = serializers.CharField(help_text="区名称")
    project_count = serializers.IntegerField(help_text="本月有计划的项目个数")
    schedule_rate = serializers.CharField(allow_null=True, help_text="完成序时进度计划%；无计划时为null")
    score = serializers.CharField(allow_null=True, help_text="当月红黑榜（各区）得分；月份未关账时为null")
    rank = serializers.IntegerField(allow_null=True, help_text="当月红黑榜（各区）名次；月份未关账时为null")


class MapPointSerializer(serializers.Serializer):
    """One project with a location (documentation only)."""

    code = serializers.CharField(help_text="项目代码")
    name = serializers.CharField(help_text="项目名称")
    district = serializers.CharField(help_text="所属区代码")
    lng = serializers.FloatField(help_text="经度（WGS-84）")
    lat = serializers.FloatField(help_text="纬度（WGS-84）")
    drawn = serializers.ListField(
        child=serializers.FloatField(), help_text="绘图用位置：该点在城市边界文件坐标系（默认GCJ-02）中的[经度, 纬度]"
    )
    card = serializers.ChoiceField(
        choices=["red", "yellow"], allow_null=True, help_text="当月关账所发红黄牌：red、yellow，无牌为null"
    )
    annual_plan = serializers.CharField(allow_null=True, help_text="年度计划投资（万元）；该年无计划为null")
    url = serializers.CharField(help_text="项目页地址")


class MapTotalSerializer(serializers.Serializer):
    project_count = serializers.IntegerField(help_text="有位置且本月有计划的项目个数")
    annual_plan = serializers.CharField(help_text="这些项目的年度计划投资合计（万元）")


class MapSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="期间 YYYY-MM")
    closed = serializers.BooleanField(help_text="该月是否已关账（得分、名次和红黄牌只在关账后给出）")
    districts = MapDistrictSerializer(many=True)
    points = MapPointSerializer(many=True)
    total = MapTotalSerializer()


class MapView(APIView):
    """The month's map of what the caller may see: districts by rate and rank, projects as points."""

    @extend_schema(
        operation_id="map",
        summary="一张图：各区完成序时进度与排名、项目位置与红黄牌",
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                required=False,
                pattern=r"^\d{4}-\d{1,2}$",
                description="期间 YYYY-MM；缺省为最近关账的月份（尚无关账时为最近填报的月份）",
            )
        ],
        responses={200: MapSerializer, 400: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("period")
        # Left out, the month is the default one; sent blank, it is a mistake to name, as the schema says.
        if raw is not None and not raw.strip():
            raise ParseError("参数period不能为空：格式为YYYY-MM，例如2019-07；不指定月份请去掉该参数")
        try:
            period = Period.parse(raw.strip()) if raw is not None else default_period(request.user)
        except PeriodError as exc:
            raise ParseError(str(exc)) from None
        return Response(map_data(request.user, period).as_json())
