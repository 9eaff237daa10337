"""How a list of projects is narrowed down: one FilterSet for the API and the pages alike.

Organisations are offered (and accepted) only among those the user may see, so a filter
never confirms that an out-of-scope organisation exists. Always build it with the request.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects.models import Category, Project, ProjectLevel, Stage


def _visible_organisations(kind: str | None = None) -> Any:
    def queryset(request: Any) -> QuerySet[Organisation]:
        if request is None:
            return Organisation.objects.none()
        orgs = Organisation.objects.visible_to(request.user)
        return orgs.filter(kind=kind) if kind else orgs

    return queryset


class ProjectFilterSet(django_filters.FilterSet):
    """Filters on the project register: district and list codes, organisation ids, a search box."""

    q = django_filters.CharFilter(method="search", label="搜索（项目名称或项目代码）")
    district = django_filters.ModelChoiceFilter(
        queryset=_visible_organisations(OrgKind.DISTRICT),
        to_field_name="code",
        label="所属区（行政区划代码）",
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), to_field_name="code", label="项目类别（代码）"
    )
    level = django_filters.ChoiceFilter(choices=ProjectLevel.choices, label="项目级别")
    stage = django_filters.ModelChoiceFilter(
        queryset=Stage.objects.all(), to_field_name="code", label="项目阶段（代码）"
    )
    responsible_unit = django_filters.ModelChoiceFilter(queryset=_visible_organisations(), label="责任单位（编号）")
    owner = django_filters.ModelChoiceFilter(queryset=_visible_organisations(), label="业主单位（编号）")
    agent_builder = django_filters.ModelChoiceFilter(
        queryset=_visible_organisations(OrgKind.AGENT_BUILDER), label="代建单位（编号）"
    )

    class Meta:
        model = Project
        fields = ["q", "district", "category", "level", "stage", "responsible_unit", "owner", "agent_builder"]

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
