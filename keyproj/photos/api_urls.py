"""The /api/v1/ routes of 现场照片; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from keyproj.photos.api import ReturnPhotosView, VisitPhotosView

urlpatterns: list[URLPattern | URLResolver] = [
    path("returns/<int:pk>/photos/", ReturnPhotosView.as_view(), name="return-photos"),
    path("site-visits/<int:pk>/photos/", VisitPhotosView.as_view(), name="site-visit-photos"),
]
