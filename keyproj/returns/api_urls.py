"""The /api/v1/ routes of 月度填报; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from keyproj.returns.api import MonthLockDetailView, MonthLockListView, ReturnViewSet

router = SimpleRouter()
router.register("returns", ReturnViewSet, basename="return")

urlpatterns: list[URLPattern | URLResolver] = [
    path("locks/", MonthLockListView.as_view(), name="locks"),
    path("locks/<int:year>-<int:month>/", MonthLockDetailView.as_view(), name="lock"),
    *router.urls,
]
