"""How the list of notices is narrowed down: one FilterSet for the page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keyproj.notices.models import Notice, NoticeKind


class NoticeFilterSet(django_filters.FilterSet):
    """By kind, by year, and a search in the title, 文号 and period."""

    kind = django_filters.ChoiceFilter(label=_("类型"), choices=NoticeKind.choices)
    year = django_filters.NumberFilter(label=_("年度"), min_value=1900, max_value=9999)
    q = django_filters.CharFilter(label=_("搜索"), method="search", max_length=60)

    class Meta:
        model = Notice
        fields = ["kind", "year"]

    def search(self, qs: QuerySet[Notice], name: str, value: Any) -> QuerySet[Notice]:
        text = str(value).strip()
        if not text:
            return qs
        return qs.filter(Q(title__icontains=text) | Q(number__icontains=text) | Q(period_label__icontains=text))
