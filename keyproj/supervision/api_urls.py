"""The /api/v1/ routes of 月度督办; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from keyproj.supervision.api import CloseViewSet, ForecastView, ListingViewSet, RulesView

router = SimpleRouter()
router.register("supervision/closes", CloseViewSet, basename="supervision-close")
router.register("supervision/listings", ListingViewSet, basename="supervision-listing")

urlpatterns: list[URLPattern | URLResolver] = [
    path("supervision/rules/", RulesView.as_view(), name="supervision-rules"),
    path("supervision/forecast/", ForecastView.as_view(), name="supervision-forecast"),
    *router.urls,
]
