"""The /api/v1/ routes of 单位; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from keyproj.orgs.api import OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
