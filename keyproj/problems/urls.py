"""The pages of 问题协调 (namespace `problems`; the nav links to `problems:index`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "problems"

urlpatterns: list[URLPattern | URLResolver] = []
