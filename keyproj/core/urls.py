"""Core's pages: the health check (unnamespaced: load balancers ask /healthz) and the rules pages."""

from __future__ import annotations

from django.urls import include, path

from keyproj.core.views import audit as audit_views
from keyproj.core.views import health, rules

# The audit log, the office's (namespace "audit").
audit_patterns = [
    path("", audit_views.index, name="index"),
    path("export/", audit_views.export, name="export"),
]

urlpatterns = [
    path("audit/", include((audit_patterns, "audit"))),
    path("healthz", health.healthz, name="healthz"),
    path("rules/", rules.index, name="rules"),
    path("rules/<slug:slug>/", rules.detail, name="rule"),
]
