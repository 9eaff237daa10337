"""The /api/v1/ routes of 统计 (the published figures); included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from keyproj.metrics.api import SummaryView

urlpatterns: list[URLPattern | URLResolver] = [
    path("summary/", SummaryView.as_view(), name="summary"),
]
