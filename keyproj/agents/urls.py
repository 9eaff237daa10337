"""The pages of 代建管理 (namespace `agents`; the nav links to `agents:index`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from keyproj.agents import inspection_views, views

app_name = "agents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("firms/", views.firm_list, name="firms"),
    path("firms/<int:pk>/", views.firm_detail, name="firm"),
    path("credit/", views.credit, name="credit"),
    path("interviews/<int:pk>/held/", views.interview_held, name="interview_held"),
    path("attendance/", views.attendance, name="attendance"),
    path("accounts/", views.accounts, name="accounts"),
    path("inspections/", inspection_views.rounds, name="rounds"),
    path("inspections/<int:year>/q<int:quarter>/", inspection_views.round_detail, name="round"),
    path("inspections/<int:year>/q<int:quarter>/close/", inspection_views.round_close, name="round_close"),
    path("inspections/<int:year>/q<int:quarter>/issue/", inspection_views.round_issue, name="round_issue"),
    path("inspections/<int:year>/q<int:quarter>/draw.json", inspection_views.round_draw_record, name="round_draw"),
    path(
        "inspections/<int:year>/q<int:quarter>/notice.<str:fmt>",
        inspection_views.round_notice,
        name="round_notice",
    ),
    path("inspection/<int:pk>/", inspection_views.inspection_detail, name="inspection"),
    path("projects/<int:pk>/panel/", views.project_panel, name="project_panel"),
]
