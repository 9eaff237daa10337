"""The /api/v1/ routes of the outbox; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from keyproj.outbox.api import DeliveryViewSet, PreferenceView

router = SimpleRouter()
router.register("outbox/deliveries", DeliveryViewSet, basename="delivery")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    path("notification-preferences/", PreferenceView.as_view(), name="notification-preferences"),
]
