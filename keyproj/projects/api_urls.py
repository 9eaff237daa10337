"""The /api/v1/ routes of 项目库; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from keyproj.projects.api import ProjectViewSet

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
