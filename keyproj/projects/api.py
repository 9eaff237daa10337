"""The project register over HTTP: read-only, scoped like the pages, filtered by ProjectFilterSet."""

from __future__ import annotations

from rest_framework import serializers

from keyproj.core.viewsets import ScopedReadOnlyViewSet
from keyproj.projects.filtersets import ProjectFilterSet
from keyproj.projects.models import Project


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
            "description",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class ProjectViewSet(ScopedReadOnlyViewSet):
    """Projects the caller may see; any other project does not exist here (404)."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

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
