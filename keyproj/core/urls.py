"""The health check (unnamespaced: load balancers ask /healthz)."""

from __future__ import annotations

from django.urls import path

from keyproj.core.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
]
