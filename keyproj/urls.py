"""The site's addresses: the pages, the admin, the API and its schema, the health check."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("keyproj.dashboard.urls")),
    path("", include("keyproj.core.urls")),
    path("projects/", include("keyproj.projects.urls")),
    path("orgs/", include("keyproj.orgs.urls")),
    path("plans/", include("keyproj.plans.urls")),
    path("returns/", include("keyproj.returns.urls")),
    path("", include("keyproj.exchange.urls")),
    path("supervision/", include("keyproj.supervision.urls")),
    path("problems/", include("keyproj.problems.urls")),
    path("photos/", include("keyproj.photos.urls")),
    path("agents/", include("keyproj.agents.urls")),
    path("notices/", include("keyproj.notices.urls")),
    path("jobs/", include("keyproj.jobs.urls")),
    path("", include("keyproj.outbox.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("keyproj.accounts.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("keyproj.api_urls")),
    # The schema and its documentation are public: they describe the API, never its data. The
    # documentation page runs Swagger UI from the application's own static files.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", TemplateView.as_view(template_name="api_docs.html"), name="api-docs"),
    # What was published, to anyone, when KEYPROJ_PUBLIC is on (a 404 otherwise).
    path("public/", include("keyproj.opendata.urls")),
]

# Errors answer with the site's own pages, in the user's language (templates 400/403/404.html);
# a server error's page is rendered without touching the database, which may be what failed.
handler500 = "keyproj.core.error_pages.server_error"
# Under /api/ a path no route matches is answered with the API's documented JSON body.
handler404 = "keyproj.core.api.not_found"
