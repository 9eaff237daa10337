"""The pages and the API: allowed, forbidden, out of scope; the ledger export; the minutes; demo statistics."""

from __future__ import annotations

import datetime as dt
import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from keyproj.core.scoping import CONSOLE
from keyproj.problems.models import MeetingKind, Problem
from keyproj.problems.services import MeetingData, record_meeting
from keyproj.problems.tests.helpers import DAY, make_problem
from keyproj.testing import make_project

pytestmark = pytest.mark.django_db


def test_an_outsider_gets_404_for_a_problem(client, outsider, siming_project):
    problem = make_problem(siming_project)
    client.force_login(outsider)
    assert client.get(problem.get_absolute_url()).status_code == 404
    assert client.get(reverse("problems:project_panel", args=[siming_project.pk])).status_code == 404


def test_another_district_gets_404_and_cannot_act(client, haicang_officer, siming_project):
    problem = make_problem(siming_project)
    client.force_login(haicang_officer)
    assert client.get(problem.get_absolute_url()).status_code == 404
    response = client.post(reverse("problems:action", args=[problem.pk, "resolve"]), {"note": "x"})
    assert response.status_code == 404
    assert Problem.objects.get(pk=problem.pk).status == "open"


def test_the_district_sees_the_problem_but_may_not_resolve_it(client, siming_officer, siming_project):
    problem = make_problem(siming_project)
    client.force_login(siming_officer)
    page = client.get(problem.get_absolute_url())
    assert page.status_code == 200 and problem.title in page.content.decode()
    client.post(reverse("problems:action", args=[problem.pk, "resolve"]), {"note": "x"})
    assert Problem.objects.get(pk=problem.pk).status == "open"


def test_the_owner_escalates_from_the_page(client, owner_user, siming_project):
    problem = make_problem(siming_project)
    client.force_login(owner_user)
    response = client.post(
        reverse("problems:action", args=[problem.pk, "escalate"]), {"reason": "需责任单位协调", "version": 1}
    )
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).level == 2


def test_the_ledger_lists_and_exports_only_the_scope(client, siming_officer, siming_project, haicang_project):
    make_problem(siming_project, title="思明的问题")
    make_problem(haicang_project, title="海沧的问题")
    client.force_login(siming_officer)
    page = client.get(reverse("problems:index")).content.decode()
    assert "思明的问题" in page and "海沧的问题" not in page
    response = client.get(reverse("problems:ledger"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[7] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["思明的问题"]


def test_an_attachment_is_served_only_within_scope(
    client, owner_user, haicang_officer, siming_project, settings, tmp_path
):
    from keyproj.problems.services import add_attachment

    settings.MEDIA_ROOT = tmp_path
    problem = make_problem(siming_project)
    item = add_attachment(
        problem, user=owner_user, name="现场.png", content=b"\x89PNG\r\n\x1a\n" + b"0" * 10, today=DAY
    )
    client.force_login(owner_user)
    assert client.get(item.get_absolute_url()).status_code == 200
    client.force_login(haicang_officer)
    assert client.get(item.get_absolute_url()).status_code == 404


def test_the_minutes_are_a_word_file_listing_only_visible_problems(
    client, staff_user, siming_officer, siming_project, haicang_project
):
    from docx import Document

    mine = make_problem(siming_project, title="思明征地问题")
    theirs = make_problem(haicang_project, title="海沧管线问题")
    held = DAY + dt.timedelta(days=2)
    meeting = record_meeting(
        MeetingData(
            kind=MeetingKind.SPECIAL,
            held_on=held,
            title="专题协调会",
            chair="主任",
            decisions="一、抓紧交地。",
            resolved=[(mine, "已交地"), (theirs, "已迁改")],
        ),
        user=staff_user,
        today=held,
    )
    client.force_login(siming_officer)
    response = client.get(reverse("problems:minutes", args=[meeting.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "思明征地问题" in text and "海沧管线问题" not in text


def test_the_api_lists_only_the_scope_and_refuses_a_resolution_without_note(
    client, siming_officer, staff_user, siming_project, haicang_project
):
    mine = make_problem(siming_project)
    make_problem(haicang_project)
    client.force_login(siming_officer)
    body = client.get("/api/v1/problems/").json()
    ids = [row["id"] for row in (body["results"] if isinstance(body, dict) else body)]
    assert ids == [mine.pk]
    client.force_login(staff_user)
    response = client.post(f"/api/v1/problems/{mine.pk}/resolve/", {"note": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "note"


def test_the_demo_statistics_read_as_the_seed(db):
    from keyproj.demo import coordination

    projects = [make_project() for _ in range(8)]
    coordination.load(SimpleNamespace(projects=projects))
    out = io.StringIO()
    call_command("stats", "--period", "2019-07", stdout=out)
    assert "1-7月，已累计深入项目现场326次，累计召开专题会议49次，共协调解决项目建设问题147个。" in out.getvalue()
    out = io.StringIO()
    call_command("stats", "--period", "2019-07", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["to_date"]["special_meetings"] == 49 and data["to_date"]["problems_resolved"] == 147
    assert data["long_unresolved_at_end"] > 0
    assert sum(r["resolved"] for r in data["by_category"]) == 147
    assert {r["key"] for r in data["by_level"]} >= {"1", "2", "3", "4"}
    # The daily run is idempotent on the demo's last day too.
    assert Problem.objects.overdue(dt.date(2019, 7, 31)).filter(level__lt=5).count() == 0


def test_escalate_overdue_command_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="格式不对"):
        call_command("problems", "escalate-overdue", "--today", "2019-13-01")


def test_the_ledger_costs_the_same_queries_for_few_or_many_rows(client, staff_user, siming_project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff_user)
    make_problem(siming_project)
    client.get(reverse("problems:index"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("problems:index"))
    for _ in range(6):
        make_problem(make_project())
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("problems:index"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_meeting_recorded_on_the_page_resolves_the_ticked_problems(client, staff_user, siming_project):
    problem = make_problem(siming_project, today=dt.date(2019, 3, 1))
    other = make_problem(siming_project, today=dt.date(2019, 3, 1))
    client.force_login(staff_user)
    response = client.post(
        reverse("problems:meeting_create"),
        {
            "kind": "special",
            "held_on": "2019-03-05",
            "form": "on_site",
            "title": "专题协调会",
            "chair": "主任",
            "discussed": [str(other.pk)],
            "resolved": [str(problem.pk)],
            f"note_{problem.pk}": "已协调交地",
        },
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.resolved_on, problem.resolution) == ("resolved", dt.date(2019, 3, 5), "已协调交地")
    assert Problem.objects.get(pk=other.pk).status == "open"


def test_a_meeting_page_refuses_a_resolution_without_a_note_and_writes_nothing(client, staff_user, siming_project):
    from keyproj.problems.models import Meeting

    problem = make_problem(siming_project, today=dt.date(2019, 3, 1))
    client.force_login(staff_user)
    response = client.post(
        reverse("problems:meeting_create"),
        {
            "kind": "weekly",
            "held_on": "2019-03-04",
            "form": "venue",
            "title": "周例会",
            "chair": "主任",
            "resolved": [str(problem.pk)],
        },
    )
    assert response.status_code == 200 and "请填写问题" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_dashboard_panel_counts_as_at_the_end_of_the_month_shown(client, staff_user, siming_project):
    from keyproj.problems.services import resolve

    early = make_problem(siming_project, today=dt.date(2019, 1, 10))
    make_problem(siming_project, today=dt.date(2019, 6, 20))
    make_problem(siming_project, today=dt.date(2019, 8, 5))  # after July: not yet raised
    resolve(early, note="已协调国土部门完成交地", user=CONSOLE, today=dt.date(2019, 7, 15))
    client.force_login(staff_user)

    july = client.get(reverse("problems:dashboard_panel"), {"period": "2019-07"}).context["counts"]
    june = client.get(reverse("problems:dashboard_panel"), {"period": "2019-06"}).context["counts"]

    assert (july["open"], july["resolved"], july["long"]) == (1, 1, 0)
    # At the end of June the January problem was still open, and more than 60 days old.
    assert (june["open"], june["resolved"], june["long"]) == (2, 0, 1)


def test_meeting_and_visit_lists_count_only_what_the_district_may_see(
    client, staff_user, siming_officer, siming_project, haicang_project
):
    from keyproj.problems.services import VisitData, record_visit

    mine, theirs = make_problem(siming_project), make_problem(haicang_project)
    held = DAY + dt.timedelta(days=3)
    record_meeting(
        MeetingData(
            kind=MeetingKind.SPECIAL,
            held_on=held,
            title="专题会",
            chair="主任",
            discussed=[theirs],
            resolved=[(mine, "已协调")],
        ),
        user=staff_user,
        today=held,
    )
    record_visit(
        VisitData(
            visited_on=DAY,
            team="轻骑兵一组",
            projects=[siming_project, haicang_project],
            findings=[(siming_project, "电力迁改滞后"), (haicang_project, "征拆滞后")],
        ),
        user=staff_user,
        today=DAY,
    )
    client.force_login(staff_user)
    meeting = client.get(reverse("problems:meetings")).context["page"].object_list[0]
    visit = client.get(reverse("problems:visits")).context["page"].object_list[0]
    assert (meeting.n_discussed, meeting.n_resolved, visit.n_projects, visit.n_findings) == (2, 1, 2, 2)
    client.force_login(siming_officer)
    meeting = client.get(reverse("problems:meetings")).context["page"].object_list[0]
    visit = client.get(reverse("problems:visits")).context["page"].object_list[0]
    assert (meeting.n_discussed, meeting.n_resolved, visit.n_projects, visit.n_findings) == (1, 1, 1, 1)


def test_a_liaison_leaders_worklist_holds_the_problems_raised_to_them(client, leader_user, siming_project):
    other = make_project()
    siming_project.liaison_leader = leader_user
    siming_project.save(update_fields=["liaison_leader"])
    waiting = make_problem(siming_project, title="需市领导协调的问题", level=4)
    below = make_problem(siming_project, title="还在业主手里的问题")
    elsewhere = make_problem(other, title="别的领导挂钩项目的问题", level=4)
    client.force_login(leader_user)
    response = client.get(reverse("problems:worklist"))
    rows = list(response.context["page"].object_list)
    assert rows == [waiting] and below not in rows and elsewhere not in rows
    assert "已上报至您协调的问题" in response.content.decode()
