"""How the audit log is narrowed down: one FilterSet for its page and its export.

Core names no app above it, so users come from the configured user model and organisations
from the users' memberships (the `memberships` relation accounts gives every user): an entry
belongs to an organisation when the person who wrote it holds a post there.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keyproj.core import actions
from keyproj.core.models import AuditEntry

# A filter left empty narrows nothing.
ALL = _("全部")


def _membership_model() -> type[Model]:
    return get_user_model()._meta.get_field("memberships").related_model  # type: ignore[return-value]


def _organisations(request: Any) -> QuerySet[Any]:
    """The organisations anyone holds a post in: the only ones an entry can belong to."""
    organisation = _membership_model()._meta.get_field("organisation").related_model
    return organisation._default_manager.filter(memberships__isnull=False).distinct()  # type: ignore[union-attr]


def _users(request: Any) -> QuerySet[Any]:
    return get_user_model()._default_manager.order_by("username")


def _object_types(request: Any) -> QuerySet[ContentType]:
    """The kinds of object the log holds entries for."""
    return ContentType.objects.filter(pk__in=AuditEntry.objects.values("content_type")).order_by("app_label", "model")


class ObjectTypeChoice(forms.ModelChoiceField):
    """A kind of object named as a reader calls it (项目, 月度填报), not by its table."""

    def label_from_instance(self, obj: ContentType) -> str:
        model = obj.model_class()
        return str(model._meta.verbose_name) if model is not None else obj.model


class ObjectTypeFilter(django_filters.ModelChoiceFilter):
    field_class = ObjectTypeChoice


class AuditEntryFilterSet(django_filters.FilterSet):
    """Who, in which organisation, on what, which action, on which business days."""

    user = django_filters.ModelChoiceFilter(label=_("操作人"), queryset=_users, empty_label=ALL)
    organisation = django_filters.ModelChoiceFilter(
        label=_("所在单位"), queryset=_organisations, method="filter_organisation", empty_label=ALL
    )
    content_type = ObjectTypeFilter(label=_("对象类型"), queryset=_object_types, empty_label=ALL)
    object_id = django_filters.CharFilter(label=_("对象ID"), max_length=64)
    q = django_filters.CharFilter(label=_("对象"), method="filter_text", max_length=100)
    action = django_filters.ChoiceFilter(label=_("操作"), choices=actions.choices, empty_label=ALL)
    since = django_filters.DateFilter(label=_("业务日期自"), field_name="business_day", lookup_expr="gte")
    until = django_filters.DateFilter(label=_("业务日期至"), field_name="business_day", lookup_expr="lte")

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("since", "until"):
            self.form.fields[name].widget = forms.DateInput(attrs={"type": "date"})
        self.form.fields["q"].widget.attrs["placeholder"] = _("对象名称包含…")

    def filter_organisation(self, queryset: QuerySet[AuditEntry], name: str, value: Any) -> QuerySet[AuditEntry]:
        # A subquery, not a join: a user with two posts in one organisation still gives one row per entry.
        posts = _membership_model()._default_manager.filter(organisation=value).values("user_id")
        return queryset.filter(user_id__in=posts)

    def filter_text(self, queryset: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        return queryset.filter(Q(object_repr__icontains=value) | Q(object_id=value))
