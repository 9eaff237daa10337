"""The /api/v1/ routes of 年度计划; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from keyproj.plans.api import PlanViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="plan")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
