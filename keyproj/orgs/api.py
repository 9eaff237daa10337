"""Organisations over HTTP, read-only: how an API client finds the ids the project filters take."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from rest_framework import serializers

from keyproj.core.viewsets import ScopedReadOnlyViewSet
from keyproj.orgs.models import Organisation, OrgKind


class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation: its kind, names and code (division code or credit code)."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        # No parent: it may be an organisation the caller is not to know of.
        fields = ["id", "kind", "kind_display", "name", "short_name", "code", "active"]
        read_only_fields = fields


class OrganisationFilterSet(django_filters.FilterSet):
    """Narrow the organisations down by kind, or search by name or code."""

    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label="类型")
    q = django_filters.CharFilter(method="search", label="搜索（名称、简称或代码）")

    class Meta:
        model = Organisation
        fields = ["kind", "q"]

    def search(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value))


class OrganisationViewSet(ScopedReadOnlyViewSet):
    """Organisations the caller may see: their own and those on their projects."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet

    queryset = Organisation.objects.order_by("kind", "order", "name")
