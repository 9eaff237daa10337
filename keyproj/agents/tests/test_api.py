"""代建管理 over /api/v1/: scoped reads, the draw, scoring and credit records through the services."""

from __future__ import annotations

import pytest

from keyproj.accounts.models import Role
from keyproj.agents.models import CreditRecord, Inspection, InspectionRound
from keyproj.agents.tests.helpers import admit, agent_project, sheet
from keyproj.core.scoping import CONSOLE
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/agents"


@pytest.fixture
def world(db):
    mine, theirs = admit("我的公司"), admit("别家公司", {"building": "B"})
    projects = [agent_project(mine), agent_project(theirs), agent_project(theirs)]
    return {"mine": mine, "theirs": theirs, "projects": projects, "me": make_user("me", Role.AGENT_BUILDER, mine)}


def rows(response) -> list:
    """The records of a list answer (paginated lists carry them under "results")."""
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


def draw(client, **body):
    payload = {"quarter": "2019Q3", "seed": "S", "random": 1, "picks": [], "dry_run": False, **body}
    return client.post(f"{API}/rounds/draw/", payload, content_type="application/json")


def test_the_office_draws_and_anyone_with_the_seed_gets_the_same(client, staff_user, world):
    client.force_login(staff_user)
    shown = draw(client, dry_run=True).json()
    recorded = draw(client).json()
    assert shown["drawn"] == recorded["drawn"] and recorded["recorded"] is True
    found = client.get(f"{API}/rounds/2019Q3/").json()
    assert found["seed"] == "S" and found["drawn"] == recorded["drawn"] and len(found["pool"]) == 3


def test_a_bad_draw_is_refused_by_field(client, staff_user, world):
    client.force_login(staff_user)
    response = draw(client, random=5, picks=["NOPE"])
    assert response.status_code == 400
    fields = {p["field"] for p in response.json()["problems"]}
    assert fields == {"picks", "random"}
    assert not InspectionRound.objects.exists()


def test_a_firm_may_not_draw_and_sees_only_its_own_inspections(client, staff_user, world):
    client.force_login(world["me"])
    assert draw(client).status_code == 403
    client.force_login(staff_user)
    draw(client, random=0, picks=[p.code for p in world["projects"]])
    client.force_login(world["me"])
    listed = rows(client.get(f"{API}/inspections/"))
    assert [i["firm"] for i in listed] == ["我的公司"]
    other = Inspection.objects.filter(firm=world["theirs"]).first()
    assert client.get(f"{API}/inspections/{other.pk}/").status_code == 404
    assert [f["name"] for f in rows(client.get(f"{API}/firms/"))] == ["我的公司"]


def test_an_inspector_scores_over_the_api(client, staff_user, inspector_user, world):
    client.force_login(staff_user)
    draw(client, random=0, picks=[world["projects"][1].code])
    inspection = Inspection.objects.get()
    lines = [{"item": line.item, "points": str(line.points), "note": line.note} for line in sheet(45)]
    client.force_login(inspector_user)
    url = f"{API}/inspections/{inspection.pk}/score/"
    body = {"inspected_on": "2019-08-20", "lines": lines}
    answer = client.post(url, body, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["grade"] == "fail" and answer.json()["total"] == "55.00"
    lines[0]["points"] = "99"
    refused = client.post(url, {**body, "lines": lines}, content_type="application/json")
    assert refused.status_code == 400 and "超过该项满分" in refused.json()["detail"]
    fixed = [{**line, "points": "15"} if n == 0 else line for n, line in enumerate(lines)]
    stale = client.post(url, {**body, "lines": fixed, "version": 1}, content_type="application/json")
    assert stale.status_code == 409


def test_credit_records_are_entered_by_the_office_and_seen_by_their_firm_only(client, staff_user, world, outsider):
    record = {
        "firm": world["theirs"].pk,
        "kind": "bad",
        "grade": "minor",
        "points": "2.00",
        "valid_from": "2019-01-01",
        "valid_until": "2019-12-31",
        "description": "扬尘",
    }
    client.force_login(world["me"])
    assert client.post(f"{API}/credit-records/", record, content_type="application/json").status_code == 400
    client.force_login(staff_user)
    assert client.post(f"{API}/credit-records/", record, content_type="application/json").status_code == 201
    assert CreditRecord.objects.count() == 1
    client.force_login(world["me"])
    assert rows(client.get(f"{API}/credit-records/")) == []
    client.force_login(outsider)
    assert rows(client.get(f"{API}/firms/")) == []
    assert rows(client.get(f"{API}/rounds/")) == []


def test_attendance_is_entered_by_the_firm_for_its_own_staff_only(client, world):
    from keyproj.agents.models import Attendance
    from keyproj.agents.services import save_key_staff

    mine = save_key_staff(world["mine"], name="张工", post="项目负责人", user=CONSOLE)
    theirs = save_key_staff(world["theirs"], name="李工", post="项目负责人", user=CONSOLE)
    entry = {"staff": mine.pk, "project": world["projects"][0].code, "year": 2019, "month": 5}
    client.force_login(world["me"])
    url = f"{API}/attendance/entries/"
    ok = client.post(url, [{**entry, "required_days": 22, "present_days": 21}], content_type="application/json")
    assert ok.status_code == 201 and Attendance.objects.count() == 1
    other = {**entry, "staff": theirs.pk, "required_days": 22, "present_days": 21}
    refused = client.post(url, [other], content_type="application/json")
    assert refused.status_code == 400 and refused.json()["problems"][0]["field"] == "0.staff"
    rates = client.get(f"{API}/attendance/").json()
    assert rates[0]["rate"] == "95.45"


def test_final_accounts_are_entered_by_the_office_and_show_the_reward(client, staff_user, world):
    body = {
        "project": world["projects"][0].code,
        "completed_on": "2019-03-01",
        "budget_estimate": "20000.00",
        "final_amount": "19500.00",
        "submission_due": "2019-06-01",
        "submitted_on": "2019-05-20",
        "approval_due": "2019-09-01",
        "approved_on": "2019-08-01",
    }
    client.force_login(world["me"])
    assert client.post(f"{API}/final-accounts/", body, content_type="application/json").status_code == 403
    client.force_login(staff_user)
    saved = client.post(f"{API}/final-accounts/", body, content_type="application/json")
    assert saved.status_code == 201
    assert (saved.json()["savings"], saved.json()["reward"]) == ("500.00", "50.00")
    bad = client.post(f"{API}/final-accounts/", {**body, "approved_on": "2019-01-01"}, content_type="application/json")
    assert bad.status_code == 400
    client.force_login(world["me"])
    assert [row["project"] for row in rows(client.get(f"{API}/final-accounts/"))] == [world["projects"][0].code]


def test_the_directory_refuses_a_date_it_cannot_read_instead_of_answering_for_today(client, staff_user):
    client.force_login(staff_user)
    response = client.get(f"{API}/firms/", {"as_of": "2019-13-40", "all": "true"})
    assert response.status_code == 400
    assert "2019-13-40" in response.json()["problems"][0]["message"]
    assert client.get(f"{API}/firms/", {"as_of": "2019-09-02"}).status_code == 200
