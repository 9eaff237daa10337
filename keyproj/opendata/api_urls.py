"""The /api/v1/ routes of open data; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from keyproj.opendata.api import Oc4idsView

urlpatterns: list[URLPattern | URLResolver] = [
    path("open-data/oc4ids/", Oc4idsView.as_view(), name="open-data-oc4ids"),
]
