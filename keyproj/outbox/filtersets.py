"""How the list of deliveries is narrowed down: one FilterSet for the /outbox/ page and its API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from keyproj.outbox.models import Channel, Delivery, Status


class DeliveryFilterSet(django_filters.FilterSet):
    """By status and by channel."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    channel = django_filters.ChoiceFilter(label=_("渠道"), choices=Channel.choices)

    class Meta:
        model = Delivery
        fields = ["status", "channel"]
