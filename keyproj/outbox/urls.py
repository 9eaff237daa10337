"""The outbox's pages (namespace `outbox`): everyone's /notifications/preferences/, the office's /outbox/."""

from __future__ import annotations

from django.urls import path

from keyproj.outbox.views import deliveries, preferences, robots

app_name = "outbox"

urlpatterns = [
    path("notifications/preferences/", preferences.preferences, name="preferences"),
    path("outbox/", deliveries.deliveries, name="deliveries"),
    path("outbox/<int:pk>/retry/", deliveries.retry, name="retry"),
    path("outbox/retry-failed/", deliveries.retry_all, name="retry_all"),
    path("outbox/robots/", robots.robots, name="robots"),
    path("outbox/robots/add/", robots.add_robot, name="add_robot"),
    path("outbox/robots/<int:pk>/", robots.edit_robot, name="edit_robot"),
    path("outbox/robots/<int:pk>/enabled/", robots.toggle_robot, name="toggle_robot"),
]
