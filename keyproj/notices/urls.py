"""The pages of 通报 (namespace `notices`): issued notices and their files."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "notices"

urlpatterns: list[URLPattern | URLResolver] = []
