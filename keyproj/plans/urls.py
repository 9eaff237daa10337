"""The pages of 年度计划 (namespace `plans`; the nav links to `plans:index`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "plans"

urlpatterns: list[URLPattern | URLResolver] = []
