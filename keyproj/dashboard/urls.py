"""The home page (unnamespaced: settings name `home` as where a login lands)."""

from __future__ import annotations

from django.urls import path

from keyproj.dashboard.views import home

urlpatterns = [
    path("", home.home, name="home"),
]
