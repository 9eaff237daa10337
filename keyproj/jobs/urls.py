"""The schedule's pages (/jobs/), the office's alone."""

from __future__ import annotations

from django.urls import path

from keyproj.jobs.views import jobs

app_name = "jobs"

urlpatterns = [
    path("", jobs.index, name="index"),
    path("runs/", jobs.runs, name="runs"),
    path("<slug:code>/", jobs.edit, name="edit"),
    path("<slug:code>/run/", jobs.run, name="run"),
]
