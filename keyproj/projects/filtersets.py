"""How a list of projects is narrowed down: one FilterSet for the API and the pages alike.

Organisations are offered (and accepted) only among those the user may see, so a filter
never confirms that an out-of-scope organisation exists. Always build it with the request.

The figures of a month (plan to date, actual, the rates) are joined in by the registered
figures provider (metrics: its ProjectMonth rollup) for the chosen `period` (default: the
latest month with approved returns the user can see), so that `behind` and sorting by a
rate are done by the database.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from keyproj.core.period import Period, PeriodError
from keyproj.core.scoping import linked_q
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects import extensions
from keyproj.projects.models import Category, PipelineBatch, Project, ProjectLevel, Stage


def _visible_organisations(kind: str | None = None) -> Any:
    def queryset(request: Any) -> QuerySet[Organisation]:
        if request is None:
            return Organisation.objects.none()
        orgs = Organisation.objects.visible_to(request.user)
        return orgs.filter(kind=kind) if kind else orgs

    return queryset


class PeriodField(forms.CharField):
    """A month as YYYY-MM, cleaned to a Period (empty: None, the caller's default)."""

    def clean(self, value: Any) -> Period | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return Period.parse(text)
        except PeriodError as exc:
            # The reason repeats what was typed, which may hold a "%": as a parameter it is never read as a
            # format (django-filter formats every message, and "?period=%" failed with a server error).
            raise forms.ValidationError("%(reason)s", params={"reason": str(exc)}) from None


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2019-07"})
class PeriodFilter(django_filters.Filter):
    """Chooses the month whose figures are joined in; it filters nothing by itself."""

    field_class = PeriodField

    def filter(self, qs: QuerySet[Project], value: Any) -> QuerySet[Project]:
        return qs


class ProjectFilterSet(django_filters.FilterSet):
    """Filters on the project register: district and list codes, organisation ids, a search box,
    whether a project is behind schedule in the chosen month, its “五个一批” batch."""

    q = django_filters.CharFilter(method="search", label=_("搜索（项目名称或项目代码）"))
    district = django_filters.ModelChoiceFilter(
        queryset=_visible_organisations(OrgKind.DISTRICT),
        to_field_name="code",
        label=_("所属区（行政区划代码）"),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), to_field_name="code", label=_("项目类别（代码）")
    )
    level = django_filters.ChoiceFilter(choices=ProjectLevel.choices, label=_("项目级别"))
    stage = django_filters.ModelChoiceFilter(
        queryset=Stage.objects.all(), to_field_name="code", label=_("项目阶段（代码）")
    )
    responsible_unit = django_filters.ModelChoiceFilter(queryset=_visible_organisations(), label=_("责任单位（编号）"))
    owner = django_filters.ModelChoiceFilter(queryset=_visible_organisations(), label=_("业主单位（编号）"))
    agent_builder = django_filters.ModelChoiceFilter(
        queryset=_visible_organisations(OrgKind.AGENT_BUILDER), label=_("代建单位（编号）")
    )
    org = django_filters.ModelChoiceFilter(
        queryset=_visible_organisations(), method="linked", label=_("相关单位（编号，任一身份）")
    )
    batch = django_filters.ModelChoiceFilter(
        queryset=PipelineBatch.objects.all(),
        field_name="pipeline_batch",
        to_field_name="code",
        label=_("五个一批（代码）"),
    )
    behind = django_filters.ChoiceFilter(
        choices=[("yes", _("是")), ("no", _("否"))],
        method="filter_behind",
        label=_("是否滞后（累计完成低于序时计划：yes/no）"),
    )
    period = PeriodFilter(label=_("统计月份（YYYY-MM，默认最近有审核填报的月份）"))

    class Meta:
        model = Project
        fields = [
            "q",
            "district",
            "category",
            "level",
            "stage",
            "responsible_unit",
            "owner",
            "agent_builder",
            "org",
            "batch",
            "behind",
            "period",
        ]

    @cached_property
    def latest(self) -> Period | None:
        """The user's latest month with approved returns (read once per filter set)."""
        return extensions.figures().default_period(getattr(self.request, "user", None))

    @cached_property
    def period_value(self) -> Period | None:
        """The month whose figures are shown: the one asked for, else the user's latest reported."""
        asked = self.form.cleaned_data.get("period") if self.is_bound and self.is_valid() else None
        return asked or self.latest

    def filter_queryset(self, queryset: QuerySet[Project]) -> QuerySet[Project]:
        # The month's figures are joined in first, so that `behind` and any ordering can use them.
        return super().filter_queryset(extensions.figures().with_month(queryset, self.period_value))

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def linked(self, queryset: QuerySet[Project], name: str, value: Organisation | None) -> QuerySet[Project]:
        return queryset.filter(linked_q(value.pk)) if value else queryset

    def filter_behind(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        # Behind means the month's actual is below its plan to date (`over` < 0); a project without a
        # plan for the year is neither behind nor on schedule, so it drops out of both lists.
        if value == "yes":
            return queryset.filter(over__lt=0)
        if value == "no":
            return queryset.filter(over__gte=0)
        return queryset
