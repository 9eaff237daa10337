"""How the problems ledger is narrowed down: one FilterSet for the 问题台账 page, its xlsx export and the API.

Rows are already within the user's scope when they reach it (`Problem.objects.visible_to`, or the API's
base viewset), so a project is matched by its code or id without first being looked up: a code out of
scope or of no project alike answers an empty list, and never confirms that the project exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from keyproj.core.api import MAX_ID
from keyproj.problems.models import Level, Problem, ProblemCategory, ProblemStatus
from keyproj.problems.querysets import ProblemQuerySet

UNRESOLVED = "unresolved"


def _not_one_of(choices: Iterable[Any]) -> Any:
    """The API's refusal of an unknown choice (as core.api.choice_param words it), in the request's language."""
    allowed = "、".join(str(choice) for choice in choices)
    return lazy(lambda: gettext("不是可选的值（可选：%(choices)s）") % {"choices": allowed}, str)()


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number the database can hold (a larger one is refused, not sent to SQL)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


STATUS_CHOICES = [(UNRESOLVED, _("未解决")), *ProblemStatus.choices]


class ProblemFilterSet(django_filters.FilterSet):
    """The ledger's filters: a search box, status (or all unresolved), category, current level, project."""

    q = django_filters.CharFilter(method="search", label=_("搜索（问题或项目名称）"))
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=_("全部"),
        label=_("状态（unresolved：未解决，即待办或办理中）"),
        error_messages={"invalid_choice": _not_one_of(value for value, _label in STATUS_CHOICES)},
    )
    category = django_filters.ModelChoiceFilter(
        queryset=ProblemCategory.objects.all(), to_field_name="code", empty_label=_("全部"), label=_("问题类别（代码）")
    )
    level = django_filters.ChoiceFilter(choices=Level.choices, empty_label=_("全部"), label=_("当前层级"))
    project = django_filters.CharFilter(field_name="project__code", widget=forms.HiddenInput, label=_("项目代码"))
    project_id = IdFilter(field_name="project_id", widget=forms.HiddenInput, label=_("项目编号"))

    class Meta:
        model = Problem
        fields = ["q", "status", "category", "level", "project", "project_id"]

    def search(self, queryset: QuerySet[Problem], name: str, value: str) -> QuerySet[Problem]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(project__name__icontains=value))

    def filter_status(self, queryset: ProblemQuerySet, name: str, value: str) -> QuerySet[Problem]:
        if value == UNRESOLVED:
            return queryset.open()
        return queryset.filter(status=value) if value else queryset
