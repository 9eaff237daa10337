"""The audit log page: the office reads and filters every change and exports it; nobody else finds it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from keyproj.core import audit
from keyproj.core.models import AuditEntry
from keyproj.core.views import audit as audit_views
from keyproj.orgs.models import Organisation
from keyproj.projects.models import Project

URL = reverse("audit:index")
EXPORT = reverse("audit:export")


@pytest.fixture
def entries(admin_user, owner_user, siming_project, haicang_project):
    """Three changes: the office updates two projects, the owner one; the owner's on another day."""
    audit.log(siming_project, "project.update", user=admin_user, before={"name": "旧名"})
    audit.log(haicang_project, "project.create", user=admin_user)
    owners = audit.log(siming_project, "plan.update", user=owner_user)
    AuditEntry.objects.filter(pk=owners.pk).update(business_day=dt.date(2019, 3, 5))
    AuditEntry.objects.exclude(pk=owners.pk).update(business_day=dt.date(2019, 7, 10))
    return AuditEntry.objects.all()


def shown(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return [row["entry"] for row in response.context["rows"]]


def test_the_office_sees_every_entry_newest_first_by_label(client, admin_user, entries):
    client.force_login(admin_user)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert [row["entry"].pk for row in response.context["rows"]] == list(
        AuditEntry.objects.order_by("-at", "-id").values_list("pk", flat=True)
    )
    assert "修改项目" in page and "创建项目" in page
    assert "50000" in page or "50,000" in page  # the export's cap is stated


def test_each_filter_narrows_the_list(client, admin_user, owner_user, owner_org, siming_project, entries):
    client.force_login(admin_user)
    assert {e.user_id for e in shown(client, user=owner_user.pk)} == {owner_user.pk}
    assert {e.user_id for e in shown(client, organisation=owner_org.pk)} == {owner_user.pk}
    office = Organisation.objects.get(name="市重点办")
    assert {e.user_id for e in shown(client, organisation=office.pk)} == {admin_user.pk}
    projects = ContentType.objects.get_for_model(Project)
    by_object = shown(client, content_type=projects.pk, object_id=str(siming_project.pk))
    assert {e.object_id for e in by_object} == {str(siming_project.pk)} and len(by_object) == 2
    assert len(shown(client, q=siming_project.name)) == 2
    assert [e.action for e in shown(client, action="project.create")] == ["project.create"]
    assert [e.action for e in shown(client, until="2019-03-31")] == ["plan.update"]
    assert len(shown(client, since="2019-07-01", until="2019-07-31")) == 2


def test_the_action_filter_offers_the_registered_actions_by_label(client, admin_user, entries):
    client.force_login(admin_user)
    choices = dict(client.get(URL).context["form"].fields["action"].choices)
    assert choices["problem.raise"] == "提出问题"
    assert choices["rule.publish"] == "发布规则新版本"


def test_a_page_costs_the_same_queries_however_many_entries(
    client, admin_user, siming_project, entries, django_assert_max_num_queries
):
    client.force_login(admin_user)
    client.get(URL)  # content types and the session warmed up
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(20):
        audit.log(siming_project, "project.update", user=admin_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
    assert len(few.captured_queries) <= 12


def test_the_page_holds_fifty_entries(client, admin_user, siming_project):
    for _ in range(51):
        audit.log(siming_project, "project.update", user=admin_user)
    client.force_login(admin_user)
    first = client.get(URL)
    assert len(first.context["rows"]) == 50
    assert len(client.get(URL, {"page": 2}).context["rows"]) == 1


def test_the_export_has_the_filtered_rows_under_headings(client, admin_user, owner_user, entries):
    client.force_login(admin_user)
    response = client.get(EXPORT, {"user": owner_user.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [title for title, _width in audit_views.headings()]
    assert len(rows) == 2
    assert rows[1][3] == "修改年度计划" and rows[1][4] == "plan.update"


def test_formula_looking_text_is_exported_as_text(client, admin_user, siming_project):
    Project.objects.filter(pk=siming_project.pk).update(name='=HYPERLINK("http://evil")')
    siming_project.refresh_from_db()
    audit.log(siming_project, "project.update", user=admin_user)
    client.force_login(admin_user)
    sheet = load_workbook(io.BytesIO(client.get(EXPORT).content)).active
    cell = sheet.cell(row=2, column=8)
    assert cell.value == '=HYPERLINK("http://evil")'
    assert cell.data_type == "s" and cell.quotePrefix


def test_the_export_stops_at_its_cap(client, admin_user, siming_project, monkeypatch):
    for _ in range(3):
        audit.log(siming_project, "project.update", user=admin_user)
    monkeypatch.setattr(audit_views, "EXPORT_LIMIT", 2)
    client.force_login(admin_user)
    sheet = load_workbook(io.BytesIO(client.get(EXPORT).content)).active
    assert sheet.max_row == 3  # the headings and two entries


@pytest.mark.parametrize("who", ["owner_user", "unit_officer", "leader_user", "siming_officer", "outsider"])
def test_nobody_but_the_office_finds_the_log(client, request, who, entries):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_office_staff_may_read_the_log(client, staff_user, entries):
    client.force_login(staff_user)
    assert client.get(URL).status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in(client, entries):
    for url in (URL, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_office_has_the_log_in_its_menu_and_others_do_not(client, admin_user, owner_user):
    client.force_login(admin_user)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    client.force_login(owner_user)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()
