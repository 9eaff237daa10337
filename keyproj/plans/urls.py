"""The pages of 年度计划 (namespace `plans`; the nav links to `plans:index`)."""

from __future__ import annotations

from django.urls import path

from keyproj.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("tasklist.xlsx", views.tasklist, name="tasklist"),
    path("split/", views.split, name="split"),
    path("amendments/", views.amendments, name="amendments"),
    path("amendments/<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/<int:year>/", views.edit, name="edit"),
]
