"""The /api/v1/ routes. Every endpoint answers only what the caller may see."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from keyproj.metrics.api import SummaryView
from keyproj.orgs.api import OrganisationViewSet
from keyproj.projects.api import ProjectViewSet

app_name = "api"

router = DefaultRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("summary/", SummaryView.as_view(), name="summary"),
    *router.urls,
]
