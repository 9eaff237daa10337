"""Out of scope is the same as not there: a request naming another district's problem or project gets
exactly the answer a request naming none gets, on the pages and over the API, so ids cannot be probed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from keyproj.problems.models import Meeting, Problem
from keyproj.problems.tests.helpers import make_problem

pytestmark = pytest.mark.django_db

# An id that names no record: beyond any the tests create.
NOBODY = 987654


def same_but_the_id(text: str, pk: int) -> str:
    """The answer with the id it names (and the page's per-response CSRF token) taken out."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return text.replace(f"编号{pk}的", "编号N的").replace(f"“{pk}”", "“N”").replace(f"。 {pk} 不在", "。 N 不在")


def meeting_body(**problems: Any) -> dict[str, Any]:
    return {"kind": "special", "held_on": "2019-03-05", "title": "专题会", "chair": "区长", **problems}


@pytest.mark.parametrize(
    "naming",
    [
        lambda pk: {"discussed": [pk]},
        lambda pk: {"resolved": [{"problem": pk, "note": "已解决"}]},
    ],
    ids=["discussed", "resolved"],
)
def test_a_meeting_over_the_api_naming_another_districts_problem_is_answered_as_one_that_does_not_exist(
    client, siming_officer, haicang_project, naming
):
    theirs = make_problem(haicang_project)
    client.force_login(siming_officer)

    out_of_scope = client.post("/api/v1/meetings/", meeting_body(**naming(theirs.pk)), content_type="application/json")
    missing = client.post("/api/v1/meetings/", meeting_body(**naming(NOBODY)), content_type="application/json")

    assert out_of_scope.status_code == missing.status_code == 400
    assert same_but_the_id(out_of_scope.content.decode(), theirs.pk) == same_but_the_id(
        missing.content.decode(), NOBODY
    )
    assert out_of_scope.json()["problems"][0]["message"] == f"编号{theirs.pk}的问题不存在或不在您的管辖范围内"
    assert not Meeting.objects.exists()
    assert Problem.objects.get(pk=theirs.pk).status == "open"


@pytest.mark.parametrize(
    "naming",
    [
        lambda pk: {"discussed": [str(pk)]},
        lambda pk: {"resolved": [str(pk)], f"note_{pk}": "已解决"},
    ],
    ids=["discussed", "resolved"],
)
def test_a_meeting_page_naming_another_districts_problem_is_answered_as_one_that_does_not_exist(
    client, siming_officer, siming_project, haicang_project, naming
):
    make_problem(siming_project)  # something of their own to choose from, shown alike on both pages
    theirs = make_problem(haicang_project)
    client.force_login(siming_officer)
    url = reverse("problems:meeting_create")

    out_of_scope = client.post(url, {**meeting_body(**naming(theirs.pk)), "form": "venue"})
    missing = client.post(url, {**meeting_body(**naming(NOBODY)), "form": "venue"})

    assert out_of_scope.status_code == missing.status_code == 200
    page = out_of_scope.content.decode()
    assert f"编号{theirs.pk}的问题不存在或不在您的管辖范围内" in page
    assert same_but_the_id(page, theirs.pk) == same_but_the_id(missing.content.decode(), NOBODY)
    assert not Meeting.objects.exists()


def test_a_meeting_page_refuses_a_malformed_id_without_a_server_error(client, staff_user):
    client.force_login(staff_user)

    response = client.post(
        reverse("problems:meeting_create"), {**meeting_body(discussed=["²", "99999999999999999999"]), "form": "venue"}
    )

    assert response.status_code == 200
    assert "编号“²”无效，应为正整数" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_over_the_api_refuses_an_id_beyond_the_databases_integers(client, staff_user):
    client.force_login(staff_user)

    response = client.post("/api/v1/meetings/", meeting_body(discussed=[2**40]), content_type="application/json")

    assert response.status_code == 400 and "problems" in response.json()
    assert not Meeting.objects.exists()


def test_a_visit_page_naming_another_districts_project_is_answered_as_one_that_does_not_exist(
    client, siming_officer, siming_project, haicang_project
):
    client.force_login(siming_officer)
    url = reverse("problems:visit_create")
    body = {"visited_on": "2019-03-05", "team": "轻骑兵一组", "summary": "", "findings": ""}

    out_of_scope = client.post(url, {**body, "projects": [str(haicang_project.pk)]})
    missing = client.post(url, {**body, "projects": [str(NOBODY)]})

    assert out_of_scope.status_code == missing.status_code == 200
    assert same_but_the_id(out_of_scope.content.decode(), haicang_project.pk) == same_but_the_id(
        missing.content.decode(), NOBODY
    )
