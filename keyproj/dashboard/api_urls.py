"""The /api/v1/ routes of the home pages' data (一张图); included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from keyproj.dashboard.api import MapView

urlpatterns: list[URLPattern | URLResolver] = [
    path("map/", MapView.as_view(), name="map"),
]
