"""The pages of 月度督办 (namespace `supervision`; the nav links to `supervision:index`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "supervision"

urlpatterns: list[URLPattern | URLResolver] = []
