"""The /api/v1/ routes of 月度填报; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
