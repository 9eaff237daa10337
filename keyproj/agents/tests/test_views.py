"""The 代建 pages: each role sees what it should, a firm never another firm's file, outsiders nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from keyproj.accounts.models import Role
from keyproj.agents.models import CreditRecord, DirectoryEntry, Inspection, InspectionRound
from keyproj.agents.services import draw_round, score_inspection
from keyproj.agents.tests.helpers import admit, agent_project, sheet
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db
DAY = dt.date(2019, 8, 20)


@pytest.fixture
def world(db):
    """Two firms, each with a project; both projects inspected and scored (one fails)."""
    mine, theirs = admit("我的公司"), admit("别家公司")
    mine_project, their_project = agent_project(mine), agent_project(theirs)
    draw_round(2019, 3, seed="s", count=0, picks=[mine_project.code, their_project.code], user=None)
    score_inspection(Inspection.objects.get(project=mine_project), sheet(5), inspected_on=DAY, user=None)
    score_inspection(Inspection.objects.get(project=their_project), sheet(50), inspected_on=DAY, user=None)
    me = make_user("firm-user", Role.AGENT_BUILDER, mine)
    return {"mine": mine, "theirs": theirs, "me": me, "their_project": their_project, "mine_project": mine_project}


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"agents:{name}", args=args), params)


def test_the_office_sees_every_page(client, staff_user, world):
    for name, args in [
        ("index", ()),
        ("firms", ()),
        ("firm", (world["theirs"].pk,)),
        ("credit", ()),
        ("attendance", ()),
        ("accounts", ()),
        ("rounds", ()),
        ("round", (2019, 3)),
        ("inspection", (Inspection.objects.get(project=world["their_project"]).pk,)),
        ("project_panel", (world["their_project"].pk,)),
    ]:
        assert get(client, staff_user, name, *args).status_code == 200, name


def test_a_firm_sees_its_own_file_and_never_another_firms(client, world):
    me = world["me"]
    assert get(client, me, "index").status_code == 302  # to its own file
    own = get(client, me, "firm", world["mine"].pk)
    assert own.status_code == 200 and "我的公司" in own.content.decode()
    assert get(client, me, "firm", world["theirs"].pk).status_code == 404
    theirs = Inspection.objects.get(firm=world["theirs"])
    assert get(client, me, "inspection", theirs.pk).status_code == 404
    page = get(client, me, "round", 2019, 3).content.decode()
    assert world["mine_project"].name in page and world["their_project"].name not in page
    credit = get(client, me, "credit").content.decode()
    assert "别家公司" not in credit
    firms = get(client, me, "firms").content.decode()
    assert "别家公司" not in firms


def test_outsiders_see_nothing(client, outsider, world):
    for name, args in [
        ("index", ()),
        ("firms", ()),
        ("firm", (world["mine"].pk,)),
        ("credit", ()),
        ("rounds", ()),
        ("round", (2019, 3)),
        ("inspection", (Inspection.objects.first().pk,)),
        ("project_panel", (world["mine_project"].pk,)),
    ]:
        assert get(client, outsider, name, *args).status_code == 404, name


def test_a_district_officer_sees_the_inspection_on_its_project_page_but_no_firm_file(client, siming_officer, world):
    panel = get(client, siming_officer, "project_panel", world["mine_project"].pk)
    assert panel.status_code == 200 and "2019年第3季度" in panel.content.decode()
    assert get(client, siming_officer, "firm", world["mine"].pk).status_code == 404


def test_an_inspector_scores_but_a_firm_may_not(client, inspector_user, world):
    inspection = Inspection.objects.get(firm=world["mine"])
    url = reverse("agents:inspection", args=[inspection.pk])
    form = {"inspected_on": "2019-08-21", "inspectors": "周", "findings": "", "version": inspection.version}
    for line in sheet(12):
        form[f"points_{line.item}"] = str(line.points)
        form[f"note_{line.item}"] = line.note
    client.force_login(world["me"])
    assert client.post(url, form).status_code == 403
    client.force_login(inspector_user)
    assert client.post(url, form).status_code == 302
    inspection.refresh_from_db()
    assert str(inspection.total) == "88.00" and inspection.grade == "good"


def test_a_score_above_the_maximum_is_shown_and_not_saved(client, inspector_user, world):
    inspection = Inspection.objects.get(firm=world["mine"])
    form = {"inspected_on": "2019-08-21", "version": inspection.version}
    for line in sheet():
        form[f"points_{line.item}"] = str(line.points + 1)
    client.force_login(inspector_user)
    response = client.post(reverse("agents:inspection", args=[inspection.pk]), form)
    assert response.status_code == 200 and "超过该项满分" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.total == 95


def test_only_the_office_draws_records_entries_and_credit(client, inspector_user, staff_user, world):
    client.force_login(inspector_user)
    draw = {"quarter": "2019Q4", "seed": "x", "count": "1", "picks": "", "action": "record"}
    assert client.post(reverse("agents:rounds"), draw).status_code == 403
    entry = {"entry-kind": "suspension", "entry-on": "2019-09-01", "entry-reason": "整改"}
    assert client.post(reverse("agents:firm", args=[world["mine"].pk]), entry).status_code == 403
    client.force_login(staff_user)
    assert client.post(reverse("agents:firm", args=[world["mine"].pk]), entry).status_code == 302
    assert DirectoryEntry.objects.filter(kind="suspension").count() == 1
    preview = client.post(reverse("agents:rounds"), {**draw, "action": "preview"})
    assert preview.status_code == 200 and not InspectionRound.objects.filter(quarter=4).exists()
    records = CreditRecord.objects.count()
    bad = {
        "credit-kind": "good",
        "credit-grade": "grave",
        "credit-points": "1",
        "credit-valid_from": "2019-01-01",
        "credit-valid_until": "2019-12-31",
        "credit-description": "x",
    }
    response = client.post(reverse("agents:firm", args=[world["mine"].pk]), bad)
    assert response.status_code == 200 and "不是良好行为的等级" in response.content.decode()
    assert CreditRecord.objects.count() == records


def test_the_notice_downloads_for_the_office_only(client, staff_user, world):
    client.force_login(staff_user)
    response = client.get(reverse("agents:round_notice", args=[2019, 3, "docx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    client.force_login(world["me"])
    assert client.get(reverse("agents:round_notice", args=[2019, 3, "pdf"])).status_code == 403


def test_the_office_closes_a_quarter_and_issues_its_notice_once(client, staff_user, world):
    from keyproj.notices.models import Notice

    client.force_login(staff_user)
    assert client.post(reverse("agents:round_close", args=[2019, 3])).status_code == 302
    assert InspectionRound.objects.get().status == "closed"
    client.post(reverse("agents:round_issue", args=[2019, 3]))
    client.post(reverse("agents:round_issue", args=[2019, 3]))
    notice = Notice.objects.get()
    assert notice.kind == "inspection" and "第三季度重点项目督查暨代建考评情况通报" in notice.title
    assert "已印发" in client.get(reverse("agents:round", args=[2019, 3])).content.decode()


def test_the_office_admits_a_firm_and_refuses_a_bad_credit_code(client, staff_user, db):
    client.force_login(staff_user)
    form = {
        "name": "新公司",
        "credit_code": "BAD",
        "grades": "building:A, nowhere:B",
        "admitted_on": "2019-01-01",
        "reason": "审核准入",
    }
    response = client.post(reverse("agents:firms"), form)
    text = response.content.decode()
    assert response.status_code == 200 and "不是有效的统一社会信用代码" in text and "nowhere" in text
    assert not DirectoryEntry.objects.exists()
    response = client.post(
        reverse("agents:firms"), {**form, "credit_code": "91350200MA12345678", "grades": "building:B"}
    )
    assert response.status_code == 302
    assert DirectoryEntry.objects.get().kind == "admission"


def test_the_office_records_an_interview_held(client, staff_user, world):
    from keyproj.agents.models import Interview

    interview = Interview.objects.get()
    client.force_login(world["me"])  # another firm's 约谈 does not exist for it
    assert client.post(reverse("agents:interview_held", args=[interview.pk])).status_code == 404
    client.force_login(staff_user)
    client.post(reverse("agents:interview_held", args=[interview.pk]), {"held_on": "2019-09-02"})
    interview.refresh_from_db()
    assert str(interview.held_on) == "2019-09-02"


def test_a_firm_may_not_close_or_issue_a_quarter_in_any_state(client, world):
    client.force_login(world["me"])
    assert client.post(reverse("agents:round_issue", args=[2019, 3])).status_code == 403  # not yet closed
    assert client.post(reverse("agents:round_close", args=[2019, 3])).status_code == 403
    assert client.get(reverse("agents:round_issue", args=[2019, 3])).status_code == 405
    assert InspectionRound.objects.get().status != "closed"


def test_a_firm_sees_only_its_own_codes_of_the_draw_but_the_whole_pools_fingerprint(client, staff_user, world):
    from keyproj.agents.rules import fingerprint

    theirs, mine = world["their_project"].code, world["mine_project"].code
    full = InspectionRound.objects.get()
    office = get(client, staff_user, "round", 2019, 3).content.decode()
    assert theirs in office
    for response in (get(client, world["me"], "round", 2019, 3), get(client, world["me"], "rounds")):
        assert theirs not in response.content.decode()
    assert fingerprint(full.pool) in get(client, world["me"], "round", 2019, 3).content.decode()
    (row,) = client.get("/api/v1/agents/rounds/").json()["results"]
    assert (row["pool"], row["picks"], row["pool_fingerprint"]) == ([mine], [mine], fingerprint(full.pool))
    client.force_login(staff_user)
    (row,) = client.get("/api/v1/agents/rounds/").json()["results"]
    assert sorted(row["picks"]) == sorted([mine, theirs])
