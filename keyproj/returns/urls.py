"""The pages of 月度填报 (namespace `returns`; the nav links to `returns:index`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "returns"

urlpatterns: list[URLPattern | URLResolver] = []
