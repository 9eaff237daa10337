"""The pages of 问题协调 (namespace `problems`; the nav links to `problems:index`)."""

from __future__ import annotations

from django.urls import path

from keyproj.problems.views import meetings, notifications, panels, problems, stats, visits

app_name = "problems"

urlpatterns = [
    path("", problems.problem_list, name="index"),
    path("ledger.xlsx", problems.ledger_export, name="ledger"),
    path("worklist/", problems.worklist, name="worklist"),
    path("long-unresolved/", problems.long_unresolved, name="long_unresolved"),
    path("new/", problems.problem_create, name="create"),
    path("<int:pk>/", problems.problem_detail, name="detail"),
    path("<int:pk>/<str:action>/", problems.problem_action, name="action"),
    path("<int:pk>/attachments/<int:attachment_id>/", problems.attachment, name="attachment"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_update, name="meeting_update"),
    path("meetings/<int:pk>/minutes.docx", meetings.meeting_minutes, name="minutes"),
    path("visits/", visits.visit_list, name="visits"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit"),
    path("visits/<int:pk>/findings/<int:finding_id>/problem/", visits.finding_to_problem, name="finding_problem"),
    path("stats/", stats.stats_page, name="stats"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/bell/", notifications.bell, name="bell"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("panel/project/<int:pk>/", panels.project_panel, name="project_panel"),
    path("panel/dashboard/", panels.dashboard_panel, name="dashboard_panel"),
]
