"""The /api/v1/ routes of 年度计划; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
