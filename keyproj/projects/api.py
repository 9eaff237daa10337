"""The project register over HTTP: scoped like the pages, filtered by ProjectFilterSet.

The register itself is read-only here (it is changed by the projects workbook); a project's
point is set through its `location` action, by the same service as the page's map.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from keyproj.core import geo
from keyproj.core.api import CONFLICT, NOT_FOUND, REFUSALS, version_field
from keyproj.core.viewsets import ScopedReadOnlyViewSet
from keyproj.projects.filtersets import ProjectFilterSet
from keyproj.projects.models import Project
from keyproj.projects.services import set_location


class OrganisationRefSerializer(serializers.Serializer):
    """An organisation as a project refers to it."""

    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ListItemRefSerializer(serializers.Serializer):
    """A row of a configurable list (category, stage, batch) as a project refers to it."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ProjectSerializer(serializers.ModelSerializer):
    """One project of the register; money in 万元 as a string with two decimals."""

    level_display = serializers.CharField(source="get_level_display", read_only=True)
    category = ListItemRefSerializer(read_only=True)
    stage = ListItemRefSerializer(read_only=True, allow_null=True)
    pipeline_batch = ListItemRefSerializer(read_only=True, allow_null=True)
    district = OrganisationRefSerializer(read_only=True)
    area_command = OrganisationRefSerializer(read_only=True, allow_null=True)
    responsible_unit = OrganisationRefSerializer(read_only=True)
    owner = OrganisationRefSerializer(read_only=True)
    agent_builder = OrganisationRefSerializer(read_only=True, allow_null=True)
    lng = serializers.DecimalField(
        max_digits=9, decimal_places=6, read_only=True, allow_null=True, help_text="经度（WGS-84），未设置时为 null"
    )
    lat = serializers.DecimalField(
        max_digits=9, decimal_places=6, read_only=True, allow_null=True, help_text="纬度（WGS-84），未设置时为 null"
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "level",
            "level_display",
            "category",
            "stage",
            "pipeline_batch",
            "district",
            "area_command",
            "responsible_unit",
            "owner",
            "agent_builder",
            "total_investment",
            "planned_start",
            "planned_completion",
            "location",
            "lng",
            "lat",
            "description",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class LocationSerializer(serializers.Serializer):
    """A project's point as entered: longitude and latitude in `crs`; both null clears the point."""

    lng = serializers.FloatField(
        min_value=-180, max_value=180, allow_null=True, help_text="经度；与纬度同为 null 时清除坐标"
    )
    lat = serializers.FloatField(min_value=-90, max_value=90, allow_null=True, help_text="纬度")
    crs = serializers.ChoiceField(
        choices=[(geo.WGS84, "WGS-84"), (geo.GCJ02, "GCJ-02")],
        default=geo.WGS84,
        help_text="坐标系：wgs84（GPS，默认）或 gcj02（国内网络地图）；存储时一律换算为 WGS-84",
    )
    version = version_field(required=False)


class ProjectViewSet(ScopedReadOnlyViewSet):
    """Projects the caller may see; any other project does not exist here (404)."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    problem_fields = {"经度": "lng", "纬度": "lat", "坐标系": "crs"}

    # Everything a row shows is joined in, so a page costs the same few queries at any size.
    queryset = Project.objects.select_related(
        "category",
        "stage",
        "pipeline_batch",
        "district",
        "area_command",
        "responsible_unit",
        "owner",
        "agent_builder",
    ).order_by("code")

    @extend_schema(
        summary="设置项目坐标（点须在本市、且在项目所属区内）",
        request=LocationSerializer,
        responses={200: ProjectSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def location(self, request: Request, pk: str | None = None) -> Response:
        project = self.get_object()
        form = LocationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        set_location(
            project,
            lng=data["lng"],
            lat=data["lat"],
            crs=data["crs"],
            user=request.user,
            expected_version=data.get("version"),
        )
        return Response(ProjectSerializer(self.get_queryset().get(pk=project.pk)).data)
