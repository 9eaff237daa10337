"""The pages of 代建管理 (namespace `agents`; the nav links to `agents:index`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

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
    # A quarter's round of inspections is a `round` and one project's inspection an `inspection`,
    # in pages and API alike (/api/v1/agents/rounds/, /api/v1/agents/inspections/<id>/).
    path("rounds/", inspections.rounds, name="rounds"),
    path("rounds/<int:year>/q<int:quarter>/", inspections.round_detail, name="round"),
    path("rounds/<int:year>/q<int:quarter>/close/", inspections.round_close, name="round_close"),
    path("rounds/<int:year>/q<int:quarter>/issue/", inspections.round_issue, name="round_issue"),
    path("rounds/<int:year>/q<int:quarter>/draw.json", inspections.round_draw_record, name="round_draw"),
    path("rounds/<int:year>/q<int:quarter>/notice.<str:fmt>", inspections.round_notice, name="round_notice"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection"),
    # The addresses these pages had before, kept for bookmarks and links in sent notifications.
    re_path(r"^inspections/(?P<rest>(\d{4}/q\d/.*)?)$", inspections.old_round_address, name="old_rounds"),
    path("inspection/<int:pk>/", inspections.old_inspection_address, name="old_inspection"),
    path("projects/<int:pk>/panel/", directory.project_panel, name="project_panel"),
]
