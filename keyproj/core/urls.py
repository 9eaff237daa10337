"""The health check (unnamespaced: load balancers ask /healthz)."""

from __future__ import annotations

from django.urls import include, path

from keyproj.core.views import audit as audit_views
from keyproj.core.views import health

# The audit log, the office's (namespace "audit").
audit_patterns = [
    path("", audit_views.index, name="index"),
    path("export/", audit_views.export, name="export"),
]

urlpatterns = [
    path("audit/", include((audit_patterns, "audit"))),
    path("healthz", health.healthz, name="healthz"),
]
