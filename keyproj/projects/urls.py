"""The register's addresses: the list, its xlsx export, a project's page and its point."""

from __future__ import annotations

from django.urls import path

from keyproj.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.xlsx", views.project_export, name="export"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/location/", views.project_location, name="location"),
]
