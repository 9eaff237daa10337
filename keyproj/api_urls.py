"""The /api/v1/ routes. Every endpoint answers only what the caller may see."""

from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from keyproj.accounts.api import TokenListView, TokenRevokeView, TokenView
from keyproj.metrics.api import SummaryView
from keyproj.orgs.api import OrganisationViewSet
from keyproj.plans.api import PlanViewSet
from keyproj.projects.api import ProjectViewSet
from keyproj.returns.api import MonthLockDetailView, MonthLockListView, ReturnViewSet

app_name = "api"

router = DefaultRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("returns", ReturnViewSet, basename="return")
router.register("plans", PlanViewSet, basename="plan")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/tokens/", TokenListView.as_view(), name="tokens"),
    path("auth/tokens/<int:pk>/", TokenRevokeView.as_view(), name="token-revoke"),
    path("summary/", SummaryView.as_view(), name="summary"),
    path("locks/", MonthLockListView.as_view(), name="locks"),
    path("locks/<int:year>-<int:month>/", MonthLockDetailView.as_view(), name="lock"),
    *router.urls,
    # Each later app keeps its own routes beside its code.
    path("", include("keyproj.plans.api_urls")),
    path("", include("keyproj.returns.api_urls")),
    path("", include("keyproj.supervision.api_urls")),
    path("", include("keyproj.problems.api_urls")),
    path("", include("keyproj.agents.api_urls")),
    path("", include("keyproj.notices.api_urls")),
    path("", include("keyproj.core.rules_api")),
]
