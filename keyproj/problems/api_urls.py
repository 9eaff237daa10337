"""The /api/v1/ routes of 问题协调; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from keyproj.problems.api import MeetingViewSet, ProblemViewSet, SiteVisitViewSet, StatsView

router = SimpleRouter()
router.register("problems", ProblemViewSet, basename="problem")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("site-visits", SiteVisitViewSet, basename="site-visit")

urlpatterns: list[URLPattern | URLResolver] = [
    path("problem-stats/", StatsView.as_view(), name="problem-stats"),
    *router.urls,
]
