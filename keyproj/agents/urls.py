"""The pages of 代建管理 (namespace `agents`; the nav links to `agents:index`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from keyproj.agents.views import accounts, attendance, credit, directory, inspections

app_name = "agents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", directory.index, name="index"),
    path("firms/", directory.firm_list, name="firms"),
    path("firms/<int:pk>/", directory.firm_detail, name="firm"),
    path("credit/", credit.credit, name="credit"),
    path("interviews/<int:pk>/held/", credit.interview_held, name="interview_held"),
    path("attendance/", attendance.attendance, name="attendance"),
    path("accounts/", accounts.accounts, name="accounts"),
    path("inspections/", inspections.rounds, name="rounds"),
    path("inspections/<int:year>/q<int:quarter>/", inspections.round_detail, name="round"),
    path("inspections/<int:year>/q<int:quarter>/close/", inspections.round_close, name="round_close"),
    path("inspections/<int:year>/q<int:quarter>/issue/", inspections.round_issue, name="round_issue"),
    path("inspections/<int:year>/q<int:quarter>/draw.json", inspections.round_draw_record, name="round_draw"),
    path(
        "inspections/<int:year>/q<int:quarter>/notice.<str:fmt>",
        inspections.round_notice,
        name="round_notice",
    ),
    path("inspection/<int:pk>/", inspections.inspection_detail, name="inspection"),
    path("projects/<int:pk>/panel/", directory.project_panel, name="project_panel"),
]
