"""The pages of 通报 (namespace `notices`): issued notices and their files, the stored ones by their hash."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from keyproj.notices.views import notices

app_name = "notices"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", notices.notice_index, name="index"),
    path("<int:pk>/", notices.notice_detail, name="detail"),
    # The stored docx and pdf, each at the one address naming its SHA-256 (keyproj.notices.files).
    re_path(r"^(?P<pk>[0-9]+)/(?P<sha>[0-9a-f]{16,64})\.(?P<fmt>docx|pdf)$", notices.notice_file, name="file"),
    path("<int:pk>/<str:fmt>/", notices.notice_download, name="download"),
]
