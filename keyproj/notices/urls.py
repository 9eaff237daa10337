"""The pages of 通报 (namespace `notices`): issued notices and their files."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from keyproj.notices import views

app_name = "notices"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.notice_index, name="index"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/<str:fmt>/", views.notice_download, name="download"),
]
