"""The pages of 年度计划 (namespace `plans`; the nav links to `plans:index`)."""

from __future__ import annotations

from django.urls import path

from keyproj.plans.views import plans

app_name = "plans"

urlpatterns = [
    path("", plans.index, name="index"),
    path("tasklist.xlsx", plans.tasklist, name="tasklist"),
    path("split/", plans.split, name="split"),
    path("amendments/", plans.amendments, name="amendments"),
    path("amendments/<int:pk>/decide/", plans.decide, name="decide"),
    path("<int:pk>/<int:year>/", plans.edit, name="edit"),
]
