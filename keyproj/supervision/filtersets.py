"""How the listings are narrowed down: one FilterSet for the 挂牌督办 page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from keyproj.supervision.models import Listing, ListingStatus


class ListingFilterSet(django_filters.FilterSet):
    """By status (建议挂牌, 挂牌督办中, 已销号, 不予挂牌)."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=ListingStatus.choices)

    class Meta:
        model = Listing
        fields = ["status"]
