"""The pages of 代建管理 (namespace `agents`; the nav links to `agents:index`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "agents"

urlpatterns: list[URLPattern | URLResolver] = []
