"""The audit log over the API: the office lists, filters and reads entries with their labels; nobody else finds them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from keyproj.core import audit
from keyproj.core.models import AuditEntry
from keyproj.core.scoping import CONSOLE

pytestmark = pytest.mark.django_db

LIST = "/api/v1/audit/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def detail(entry: AuditEntry) -> str:
    return f"{LIST}{entry.pk}/"


@pytest.fixture
def entries(admin_user, owner_user, siming_project, haicang_project):
    """Three changes: the office updates and creates a project, the owner raises a problem."""
    audit.log(siming_project, "project.update", user=admin_user, before={"name": "旧名"}, after={"name": "新名"})
    audit.log(haicang_project, "project.create", user=admin_user)
    audit.log(siming_project, "problem.raise", user=owner_user)
    AuditEntry.objects.update(business_day=dt.date(2019, 7, 10))
    return AuditEntry.objects.order_by("-at", "-id")


def test_the_office_lists_every_entry_newest_first_paged(admin_user, entries):
    response = api(admin_user).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == list(entries.values_list("pk", flat=True))


def test_an_entry_carries_its_code_label_object_user_and_changes(admin_user, siming_project, entries):
    entry = entries.get(action="project.update")
    data = api(admin_user).get(detail(entry)).json()
    assert data["action"] == "project.update"
    assert data["action_label"] == "修改项目"
    assert data["object_type"] == "projects.project"
    assert data["object_id"] == str(siming_project.pk)
    assert data["object_repr"] == str(siming_project)
    assert data["user"] == "admin"
    assert data["business_day"] == "2019-07-10"
    assert data["before"] == {"name": "旧名"} and data["after"] == {"name": "新名"}
    assert set(data) == {
        "id",
        "at",
        "business_day",
        "action",
        "action_label",
        "object_type",
        "object_id",
        "object_repr",
        "user",
        "request_id",
        "before",
        "after",
    }


def test_an_entry_written_at_the_console_has_no_user(admin_user, siming_project):
    entry = audit.log(siming_project, "project.update", user=CONSOLE)
    assert api(admin_user).get(detail(entry)).json()["user"] is None


def test_the_office_filters_by_action_and_by_user(admin_user, owner_user, entries):
    client = api(admin_user)
    by_action = client.get(LIST, {"action": "project.create"}).json()["results"]
    assert [row["action"] for row in by_action] == ["project.create"]
    by_user = client.get(LIST, {"user": owner_user.pk}).json()["results"]
    assert [(row["user"], row["action"]) for row in by_user] == [("owner", "problem.raise")]


def test_a_filter_value_that_makes_no_sense_is_refused_as_on_the_page(admin_user, entries):
    response = api(admin_user).get(LIST, {"action": "no.such-action"})
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "action"


def test_the_label_is_chinese_by_default_and_english_after_the_switch(admin_user, entries):
    client = api(admin_user)
    # The browser's Accept-Language does not change it: only the header's switch (its cookie) does.
    chinese = client.get(LIST, {"action": "problem.raise"}, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert chinese[0]["action_label"] == "提出问题"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(LIST, {"action": "problem.raise"}).json()["results"]
    assert english[0]["action_label"] == "Problem raised"
    assert client.get(detail(entries.first())).json()["action_label"] == "Problem raised"


@pytest.mark.parametrize("who", ["owner_user", "unit_officer", "leader_user", "siming_officer", "outsider"])
def test_nobody_but_the_office_finds_the_log_or_an_entry(request, who, entries):
    client = api(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 404
    assert client.get(detail(entries.first())).status_code == 404


def test_office_staff_may_read_the_log(staff_user, entries):
    assert api(staff_user).get(LIST).json()["count"] == 3


def test_an_anonymous_caller_is_refused(entries):
    assert api().get(LIST).status_code in (401, 403)
    assert api().get(detail(entries.first())).status_code in (401, 403)


def test_the_list_costs_the_same_queries_however_many_entries(
    admin_user, owner_user, siming_project, entries, django_assert_max_num_queries
):
    client = api(admin_user)
    client.get(LIST)  # content types warmed up
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for index in range(20):
        audit.log(siming_project, "project.update", user=owner_user if index % 2 else admin_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.json()["count"] == 23
