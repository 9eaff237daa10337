"""The problems API: scope (404), permissions (403), refusals (400) and the statistics endpoint."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from keyproj.problems.models import Meeting, Problem
from keyproj.problems.tests.helpers import make_problem

pytestmark = pytest.mark.django_db


def test_an_outsider_cannot_see_or_escalate_a_problem(client, outsider, siming_project):
    problem = make_problem(siming_project)
    client.force_login(outsider)
    assert client.get(f"/api/v1/problems/{problem.pk}/").status_code == 404
    response = client.post(f"/api/v1/problems/{problem.pk}/escalate/", {"reason": "x"}, content_type="application/json")
    assert response.status_code == 404
    assert Problem.objects.get(pk=problem.pk).level == 1


def test_a_district_officer_may_see_but_not_escalate_a_problem_held_by_the_owner(
    client, siming_officer, siming_project
):
    problem = make_problem(siming_project)
    client.force_login(siming_officer)
    assert client.get(f"/api/v1/problems/{problem.pk}/").status_code == 200
    response = client.post(f"/api/v1/problems/{problem.pk}/escalate/", {"reason": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_the_owner_raises_a_problem_on_their_project_but_not_on_another(
    client, owner_user, siming_project, haicang_project
):
    client.force_login(owner_user)
    ok = client.post(
        "/api/v1/problems/",
        {"project": siming_project.code, "category": "land", "title": "征地未完成"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["level"] == 1
    other = client.post(
        "/api/v1/problems/",
        {"project": haicang_project.code, "category": "land", "title": "征地未完成"},
        content_type="application/json",
    )
    assert other.status_code == 400
    assert Problem.objects.count() == 1


def test_a_meeting_over_the_api_cannot_resolve_another_districts_problem(client, siming_officer, haicang_project):
    theirs = make_problem(haicang_project)
    client.force_login(siming_officer)
    response = client.post(
        "/api/v1/meetings/",
        {
            "kind": "special",
            "held_on": "2019-03-05",
            "title": "专题会",
            "chair": "区长",
            "resolved": [{"problem": theirs.pk, "note": "已解决"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.json()["detail"]
    assert not Meeting.objects.exists()
    assert Problem.objects.get(pk=theirs.pk).status == "open"


def test_the_stats_endpoint_refuses_a_bad_period(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/api/v1/problem-stats/?period=2019-13").status_code == 400
    body = client.get("/api/v1/problem-stats/?period=2019-07").json()
    assert body["period"] == "2019-07" and body["to_date"]["problems_resolved"] == 0


def test_the_long_unresolved_command_lists_old_open_problems(siming_project):
    make_problem(siming_project, title="久拖的问题")
    out = io.StringIO()
    call_command("problems", "long-unresolved", "--as-of", "2019-06-01", stdout=out)
    assert "久拖的问题" in out.getvalue() and "久拖不决问题1个" in out.getvalue()


def test_shared_meetings_and_visits_name_only_what_the_district_may_see(
    client, staff_user, siming_officer, siming_project, haicang_project
):
    import datetime as dt

    from keyproj.problems.models import MeetingKind
    from keyproj.problems.services import MeetingData, VisitData, record_meeting, record_visit
    from keyproj.problems.tests.helpers import DAY

    mine, theirs = make_problem(siming_project), make_problem(haicang_project)
    held = DAY + dt.timedelta(days=3)
    record_meeting(
        MeetingData(
            kind=MeetingKind.SPECIAL, held_on=held, title="专题会", chair="主任", resolved=[(mine, "a"), (theirs, "b")]
        ),
        user=staff_user,
        today=held,
    )
    record_visit(
        VisitData(visited_on=DAY, team="一组", projects=[siming_project, haicang_project], findings=[]),
        user=staff_user,
        today=DAY,
    )
    client.force_login(siming_officer)
    assert [m["resolved"] for m in client.get("/api/v1/meetings/").json()["results"]] == [[mine.pk]]
    assert [v["projects"] for v in client.get("/api/v1/site-visits/").json()["results"]] == [[siming_project.code]]
