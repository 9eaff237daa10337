"""The pages of 通报 (namespace `notices`): issued notices and their files, the stored ones by their hash."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from keyproj.notices import views

app_name = "notices"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.notice_index, name="index"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    # The stored docx and pdf, each at the one address naming its SHA-256 (keyproj.notices.files).
    re_path(r"^(?P<pk>[0-9]+)/(?P<sha>[0-9a-f]{16,64})\.(?P<fmt>docx|pdf)$", views.notice_file, name="file"),
    path("<int:pk>/<str:fmt>/", views.notice_download, name="download"),
]
