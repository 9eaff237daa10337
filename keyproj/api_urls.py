"""The /api/v1/ routes. Every endpoint answers only what the caller may see."""

from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import APIRootView
from rest_framework.urlpatterns import format_suffix_patterns

app_name = "api"


class Root(APIRootView):
    """The API's front door: a link to each list; every app keeps its own routes in its api_urls."""

    api_root_dict = {
        "projects": "project-list",
        "organisations": "organisation-list",
        "plans": "plan-list",
        "returns": "return-list",
    }


urlpatterns = [
    # The root answers at /api/v1/ and, as DRF's own root does, at /api/v1/.json.
    *format_suffix_patterns([path("", Root.as_view(), name="api-root")]),
    path("", include("keyproj.accounts.api_urls")),
    path("", include("keyproj.orgs.api_urls")),
    path("", include("keyproj.projects.api_urls")),
    path("", include("keyproj.metrics.api_urls")),
    path("", include("keyproj.plans.api_urls")),
    path("", include("keyproj.returns.api_urls")),
    path("", include("keyproj.supervision.api_urls")),
    path("", include("keyproj.problems.api_urls")),
    path("", include("keyproj.photos.api_urls")),
    path("", include("keyproj.agents.api_urls")),
    path("", include("keyproj.notices.api_urls")),
    path("", include("keyproj.outbox.api_urls")),
    path("", include("keyproj.core.rules_api")),
    path("", include("keyproj.core.audit_api")),
    path("", include("keyproj.jobs.api_urls")),
    path("", include("keyproj.opendata.api_urls")),
    path("", include("keyproj.dashboard.api_urls")),
]
