"""The pages of 现场照片 (namespace `photos`): uploads, the files, deleting."""

from __future__ import annotations

from django.urls import path

from keyproj.photos import views

app_name = "photos"

urlpatterns = [
    path("returns/<int:pk>/", views.return_upload, name="return_upload"),
    path("visits/<int:pk>/", views.visit_upload, name="visit_upload"),
    path("<int:pk>/file/", views.photo_file, name="file"),
    path("<int:pk>/thumbnail/", views.photo_thumbnail, name="thumbnail"),
    path("<int:pk>/delete/", views.photo_delete, name="delete"),
]
