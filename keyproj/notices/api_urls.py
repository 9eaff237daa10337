"""The /api/v1/ routes of 通报; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from keyproj.notices.api import NoticeViewSet

router = SimpleRouter()
router.register("notices", NoticeViewSet, basename="notice")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
