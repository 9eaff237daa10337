"""The first face: the home page and the health check (unnamespaced: settings name `home`)."""

from __future__ import annotations

from django.urls import path

from keyproj.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
