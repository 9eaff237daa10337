from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from keyproj.core.period import Period
from keyproj.metrics.figures import summary
from keyproj.returns.models import MonthLock, ProgressReturn, ReturnStatus
from keyproj.returns.services import lock_month
from keyproj.testing import make_plan, make_project, make_returns

D = Decimal
RETURNS = "/api/v1/returns/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(project_, **overrides):
    values = {
        "project": project_.code,
        "year": 2019,
        "month": 7,
        "investment": "250.50",
        "physical_progress": "主体施工",
        "started": True,
        "completed": False,
    }
    values.update(overrides)
    return values


def problems_of(response) -> dict[str, str]:
    return {p["field"]: p["message"] for p in response.json()["problems"]}


def draft(user, project, **overrides) -> dict:
    response = api(user).post(RETURNS, body(project, **overrides), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_the_owner_reports_and_submits_the_unit_approves_and_the_summary_moves_by_that_amount(
    owner_user, unit_officer, admin_user, siming_project
):
    make_plan(siming_project)
    before = summary(admin_user, Period(2019, 7)).actual_to_date

    created = draft(owner_user, siming_project, investment=1234.56)
    assert created["status"] == "draft"
    assert created["investment"] == "1234.56"
    assert created["project"] == siming_project.code
    submitted = api(owner_user).post(f"{RETURNS}{created['id']}/submit/", format="json")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    approved = api(unit_officer).post(f"{RETURNS}{created['id']}/approve/", format="json")

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["status_display"] == "已审核"
    assert approved.json()["approved_at"] is not None
    assert summary(admin_user, Period(2019, 7)).actual_to_date - before == D("1234.56")


def test_posting_the_same_month_again_updates_the_draft_and_answers_200(owner_user, siming_project):
    first = draft(owner_user, siming_project)

    again = api(owner_user).post(RETURNS, body(siming_project, investment="300"), format="json")

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["investment"] == "300.00"
    assert again.json()["version"] == first["version"] + 1


def test_the_unit_sends_a_return_back_with_its_reasons(owner_user, unit_officer, siming_project):
    ret = draft(owner_user, siming_project)
    api(owner_user).post(f"{RETURNS}{ret['id']}/submit/")

    response = api(unit_officer).post(
        f"{RETURNS}{ret['id']}/send-back/", {"comment": "投资额偏高，请核实"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "sent_back"
    assert response.json()["review_comment"] == "投资额偏高，请核实"


def test_sending_back_without_a_comment_is_refused_naming_the_comment(owner_user, unit_officer, siming_project):
    ret = draft(owner_user, siming_project)
    api(owner_user).post(f"{RETURNS}{ret['id']}/submit/")

    response = api(unit_officer).post(f"{RETURNS}{ret['id']}/send-back/", {}, format="json")

    assert response.status_code == 400
    assert problems_of(response) == {"comment": "退回时须写明原因"}
    assert ProgressReturn.objects.get().status == ReturnStatus.SUBMITTED


def test_submitting_twice_is_refused(owner_user, siming_project):
    ret = draft(owner_user, siming_project)
    api(owner_user).post(f"{RETURNS}{ret['id']}/submit/")

    response = api(owner_user).post(f"{RETURNS}{ret['id']}/submit/")

    assert response.status_code == 400
    assert "不能再次提交" in response.json()["detail"]


def test_no_one_approves_a_return_they_submitted(admin_user, siming_project):
    ret = draft(admin_user, siming_project)
    api(admin_user).post(f"{RETURNS}{ret['id']}/submit/")

    response = api(admin_user).post(f"{RETURNS}{ret['id']}/approve/")

    assert response.status_code == 400
    assert response.json()["detail"] == "不能审核自己提交的填报"
    assert ProgressReturn.objects.get().status == ReturnStatus.SUBMITTED


def test_a_month_not_yet_ended_is_refused(owner_user, siming_project):
    today = timezone.localdate()

    response = api(owner_user).post(RETURNS, body(siming_project, year=today.year, month=today.month), format="json")

    assert response.status_code == 400
    assert "尚未结束" in problems_of(response)["month"]
    assert not ProgressReturn.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-1", "不能为负数"), ("abc", "应为数字"), ("1.234", "最多两位小数"), (None, "必填")],
)
def test_bad_money_is_refused_naming_the_field(owner_user, siming_project, amount, message):
    response = api(owner_user).post(RETURNS, body(siming_project, investment=amount), format="json")

    assert response.status_code == 400
    assert problems_of(response) == {"investment": message}
    assert not ProgressReturn.objects.exists()


def test_a_number_is_taken_as_well_as_a_string(owner_user, siming_project):
    assert draft(owner_user, siming_project, investment=12.5)["investment"] == "12.50"


def test_every_bad_field_is_named_at_once(owner_user, siming_project):
    response = api(owner_user).post(
        RETURNS, body(siming_project, year=19, month=13, investment="-5", started="maybe"), format="json"
    )

    assert response.status_code == 400
    assert set(problems_of(response)) == {"year", "month", "investment", "started"}


def test_a_project_out_of_scope_is_answered_like_an_unknown_code(owner_user, haicang_project):
    hidden = api(owner_user).post(RETURNS, body(haicang_project), format="json")
    unknown = api(owner_user).post(RETURNS, body(haicang_project, project="NO-SUCH-CODE"), format="json")

    assert hidden.status_code == unknown.status_code == 400
    assert problems_of(hidden) == {"project": f"没有项目代码为“{haicang_project.code}”的项目"}
    assert problems_of(unknown) == {"project": "没有项目代码为“NO-SUCH-CODE”的项目"}
    assert not ProgressReturn.objects.exists()


def test_a_return_out_of_scope_does_not_exist(owner_user, haicang_project):
    (other,) = make_returns(haicang_project, ["100"], approve=False)

    assert api(owner_user).get(f"{RETURNS}{other.pk}/").status_code == 404
    assert api(owner_user).post(f"{RETURNS}{other.pk}/submit/").status_code == 404
    assert api(owner_user).patch(f"{RETURNS}{other.pk}/", {"version": 1}, format="json").status_code == 404


def test_a_correction_changes_only_the_fields_given(owner_user, siming_project):
    ret = draft(owner_user, siming_project, problems="征地未完成")

    response = api(owner_user).patch(
        f"{RETURNS}{ret['id']}/", {"version": ret["version"], "investment": "99.9"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["investment"] == "99.90"
    assert response.json()["problems"] == "征地未完成"
    assert response.json()["physical_progress"] == "主体施工"


def test_a_correction_needs_the_version_read(owner_user, siming_project):
    ret = draft(owner_user, siming_project)

    response = api(owner_user).patch(f"{RETURNS}{ret['id']}/", {"investment": "1"}, format="json")

    assert response.status_code == 400
    assert "version" in problems_of(response)


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(owner_user, agent_user, siming_project):
    ret = draft(owner_user, siming_project)
    url = f"{RETURNS}{ret['id']}/"
    assert (
        api(agent_user).patch(url, {"version": ret["version"], "investment": "120"}, format="json").status_code == 200
    )

    stale = api(owner_user).patch(url, {"version": ret["version"], "investment": "90"}, format="json")

    assert stale.status_code == 409
    assert "已被他人修改" in stale.json()["detail"]
    assert ProgressReturn.objects.get().investment == D("120.00")


def test_acting_on_a_version_other_than_the_one_read_is_a_conflict(owner_user, siming_project):
    ret = draft(owner_user, siming_project)
    api(owner_user).patch(f"{RETURNS}{ret['id']}/", {"version": ret["version"], "started": False}, format="json")

    response = api(owner_user).post(f"{RETURNS}{ret['id']}/submit/", {"version": ret["version"]}, format="json")

    assert response.status_code == 409
    assert ProgressReturn.objects.get().status == ReturnStatus.DRAFT


def test_a_locked_month_is_refused(owner_user, admin_user, siming_project):
    lock_month(2019, 7, user=admin_user)

    response = api(owner_user).post(RETURNS, body(siming_project), format="json")

    assert response.status_code == 400
    assert "已由重点办锁定" in response.json()["detail"]
    assert not ProgressReturn.objects.exists()


def test_anonymous_callers_are_not_let_in(siming_project):
    assert api().get(RETURNS).status_code == 401
    assert api().post(RETURNS, body(siming_project), format="json").status_code == 401


def test_a_leader_may_read_the_returns_but_not_report(leader_user, siming_project):
    make_returns(siming_project, ["100"])

    assert api(leader_user).get(RETURNS).json()["count"] == 1
    response = api(leader_user).post(RETURNS, body(siming_project), format="json")
    assert response.status_code == 403
    assert ProgressReturn.objects.count() == 1


def test_a_unit_may_not_report_for_the_owner(unit_officer, siming_project):
    assert api(unit_officer).post(RETURNS, body(siming_project), format="json").status_code == 403


def test_the_list_shows_only_returns_in_scope_and_filters_them(owner_user, siming_project, haicang_project):
    make_returns(siming_project, ["100", "200", "300"])
    make_returns(haicang_project, ["100"])

    mine = api(owner_user).get(RETURNS).json()
    july = api(owner_user).get(RETURNS, {"year": 2019, "month": 2, "project": siming_project.code}).json()

    assert mine["count"] == 3
    assert {r["project"] for r in mine["results"]} == {siming_project.code}
    assert [r["month"] for r in july["results"]] == [2]
    assert api(owner_user).get(RETURNS, {"status": "draft"}).json()["count"] == 0


def test_an_unknown_status_filter_is_a_chinese_400(owner_user):
    response = api(owner_user).get(RETURNS, {"status": "bogus"})

    assert response.status_code == 400
    assert "status" in problems_of(response)


def test_the_list_costs_the_same_queries_at_any_page_size(admin_user, django_assert_num_queries, siming):
    for _ in range(2):
        make_returns(make_project(district=siming), ["100"])
    client = api(admin_user)
    client.get(RETURNS)  # the caller's scope is read once and kept on the user
    with django_assert_num_queries(2) as few:  # the count and the page, the projects joined in
        client.get(RETURNS)
    for _ in range(6):
        make_returns(make_project(district=siming), ["100", "100"])
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(RETURNS).json()["count"] == 14


def test_the_office_locks_and_unlocks_a_month_with_a_reason(admin_user):
    locked = api(admin_user).post("/api/v1/locks/", {"year": 2019, "month": 7}, format="json")
    assert locked.status_code == 201
    assert api(admin_user).get("/api/v1/locks/").json()[0]["month"] == 7

    no_reason = api(admin_user).delete("/api/v1/locks/2019-07/")
    assert no_reason.status_code == 400
    assert problems_of(no_reason) == {"reason": "解锁须写明原因"}

    assert api(admin_user).delete("/api/v1/locks/2019-07/", {"reason": "更正数据"}, format="json").status_code == 204
    assert not MonthLock.objects.exists()


def test_only_the_office_locks_a_month(unit_officer):
    assert api(unit_officer).post("/api/v1/locks/", {"year": 2019, "month": 7}, format="json").status_code == 403
    assert api(unit_officer).delete("/api/v1/locks/2019-07/?reason=x").status_code == 404
    assert not MonthLock.objects.exists()


def test_the_schema_documents_the_returns_api(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    paths = schema["paths"]
    assert {"200", "201", "400", "409"} <= paths["/api/v1/returns/"]["post"]["responses"].keys()
    assert {"/api/v1/returns/{id}/submit/", "/api/v1/returns/{id}/approve/", "/api/v1/returns/{id}/send-back/"} <= (
        paths.keys()
    )
    assert "409" in paths["/api/v1/returns/{id}/"]["patch"]["responses"]
