"""The pages of 问题协调 (namespace `problems`; the nav links to `problems:index`)."""

from __future__ import annotations

from django.urls import path

from keyproj.problems import coordination, views

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="index"),
    path("ledger.xlsx", views.ledger_export, name="ledger"),
    path("worklist/", views.worklist, name="worklist"),
    path("long-unresolved/", views.long_unresolved, name="long_unresolved"),
    path("new/", views.problem_create, name="create"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.problem_action, name="action"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("meetings/", coordination.meeting_list, name="meetings"),
    path("meetings/new/", coordination.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", coordination.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", coordination.meeting_update, name="meeting_update"),
    path("meetings/<int:pk>/minutes.docx", coordination.meeting_minutes, name="minutes"),
    path("visits/", coordination.visit_list, name="visits"),
    path("visits/new/", coordination.visit_create, name="visit_create"),
    path("visits/<int:pk>/", coordination.visit_detail, name="visit"),
    path("visits/<int:pk>/findings/<int:finding_id>/problem/", coordination.finding_to_problem, name="finding_problem"),
    path("stats/", coordination.stats_page, name="stats"),
    path("notifications/", coordination.notifications, name="notifications"),
    path("notifications/bell/", coordination.bell, name="bell"),
    path("notifications/read/", coordination.notifications_read, name="notifications_read"),
    path("panel/project/<int:pk>/", coordination.project_panel, name="project_panel"),
    path("panel/dashboard/", coordination.dashboard_panel, name="dashboard_panel"),
]
