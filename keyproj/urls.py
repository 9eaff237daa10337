"""The site's addresses: the pages, the admin, the API and its schema, the health check."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("keyproj.core.urls")),
    path("projects/", include("keyproj.projects.urls")),
    path("orgs/", include("keyproj.orgs.urls")),
    path("plans/", include("keyproj.plans.urls")),
    path("returns/", include("keyproj.returns.urls")),
    path("supervision/", include("keyproj.supervision.urls")),
    path("problems/", include("keyproj.problems.urls")),
    path("agents/", include("keyproj.agents.urls")),
    path("notices/", include("keyproj.notices.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("keyproj.api_urls")),
    # The schema is public: it describes the API, never its data. There is no /api/docs/
    # because the Swagger UI would have to be fetched from a CDN.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
]
