"""The plan pages: list, one plan (entry, approval, amendment, baseline), task lists; scope everywhere."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from keyproj.plans.models import AnnualPlan, MonthlyPlan, PlanAmendment, PlanBaseline, PlanStatus
from keyproj.testing import make_plan

D = Decimal


def plan_form(annual="1200", months=None, **extra):
    months = months or ["100"] * 12
    data = {"investment": annual, **{f"m{m}": v for m, v in enumerate(months, start=1)}}
    data.update(extra)
    return data


def url(project, year=2019):
    return f"/plans/{project.pk}/{year}/"


def test_the_owner_draws_up_a_plan_and_the_office_approves_it_as_the_baseline(
    client, owner_user, admin_user, siming_project
):
    client.force_login(owner_user)
    response = client.post(url(siming_project), plan_form(start_month="3", completion_month="11", action="save"))
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(project=siming_project, year=2019)
    assert plan.status == PlanStatus.DRAFT
    assert plan.investment == D("1200.00")
    assert plan.start_month == 3
    # Only the office approves.
    assert client.post(url(siming_project), plan_form(action="approve", version=plan.version)).status_code == 403

    client.force_login(admin_user)
    client.post(
        url(siming_project), plan_form(start_month="3", completion_month="11", action="approve", version=plan.version)
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    baseline = PlanBaseline.objects.get(plan=plan)
    assert baseline.investment == D("1200.00")
    assert baseline.lines.count() == 12


def test_months_that_do_not_add_up_are_refused_with_the_figures(client, owner_user, siming_project):
    client.force_login(owner_user)

    response = client.post(url(siming_project), plan_form(annual="1000", action="save"))

    assert response.status_code == 400
    text = response.content.decode()
    assert "1-12月计划合计1200.00万元，与年度计划1000.00万元不符" in text
    assert not AnnualPlan.objects.exists()


def test_bad_months_and_money_are_shown_by_field_and_nothing_is_written(client, owner_user, siming_project):
    client.force_login(owner_user)
    months = ["100"] * 12
    months[3] = "-5"
    months[7] = "abc"

    response = client.post(url(siming_project), plan_form(months=months, start_month="13", action="save"))

    assert response.status_code == 400
    text = response.content.decode()
    assert "金额不能为负数" in text
    assert "“abc”不是数字" in text
    assert "月份应为1-12" in text
    assert not AnnualPlan.objects.exists()


def test_a_stale_plan_form_gets_a_conflict_message(client, owner_user, siming_project):
    client.force_login(owner_user)
    client.post(url(siming_project), plan_form(action="save"))
    plan = AnnualPlan.objects.get()
    stale = plan.version
    client.post(
        url(siming_project), plan_form(annual="1300", months=["100"] * 11 + ["200"], action="save", version=stale)
    )

    response = client.post(
        url(siming_project), plan_form(annual="1400", months=["100"] * 11 + ["300"], action="save", version=stale)
    )

    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    plan.refresh_from_db()
    assert plan.investment == D("1300.00")


def test_an_approved_plan_changes_only_through_an_amendment_the_office_approves_and_the_baseline_stays(
    client, owner_user, admin_user, siming_project
):
    plan = make_plan(siming_project)  # approved, twelve months of 100
    client.force_login(owner_user)
    changed = ["100"] * 11 + ["400"]

    response = client.post(
        url(siming_project), plan_form(annual="1500", months=changed, action="amend", version=plan.version)
    )
    assert response.status_code == 400
    assert "须写明原因" in response.content.decode()

    client.post(
        url(siming_project),
        plan_form(annual="1500", months=changed, action="amend", version=plan.version, reason="年底追加进度款"),
    )
    amendment = PlanAmendment.objects.get()
    plan.refresh_from_db()
    assert plan.investment == D("1200.00")  # unchanged until the office decides

    client.force_login(admin_user)
    assert "年底追加进度款" in client.get("/plans/amendments/").content.decode()
    client.post(f"/plans/amendments/{amendment.pk}/decide/", {"action": "approve", "version": amendment.version})
    plan.refresh_from_db()
    assert plan.investment == D("1500.00")
    assert MonthlyPlan.objects.get(plan=plan, month=12).investment == D("400.00")
    baseline = PlanBaseline.objects.get(plan=plan)
    assert baseline.investment == D("1200.00")
    assert baseline.lines.get(month=12).investment == D("100.00")

    page = client.get(url(siming_project)).content.decode()
    assert "基线与当前计划" in page
    assert "+300.00" in page


def test_rejecting_a_plan_amendment_needs_a_note(client, owner_user, admin_user, siming_project):
    plan = make_plan(siming_project)
    client.force_login(owner_user)
    client.post(
        url(siming_project),
        plan_form(annual="1300", months=["100"] * 11 + ["200"], action="amend", version=plan.version, reason="调整"),
    )
    amendment = PlanAmendment.objects.get()
    client.force_login(admin_user)

    response = client.post(f"/plans/amendments/{amendment.pk}/decide/", {"action": "reject", "note": ""}, follow=True)

    assert "驳回时须写明原因" in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == "requested"


def test_the_split_proposal_adds_up_to_the_annual_figure(client, owner_user):
    client.force_login(owner_user)

    response = client.get("/plans/split/", {"annual": "1000.01", "profile": "back_loaded"})

    months = [D(m) for m in response.json()["months"]]
    assert len(months) == 12
    assert sum(months) == D("1000.01")
    assert months[0] < months[11]
    assert client.get("/plans/split/", {"annual": "-1"}).status_code == 400


def test_the_list_shows_the_years_plans_in_scope(client, siming_officer, siming_project, haicang_project):
    make_plan(siming_project)
    make_plan(haicang_project)
    client.force_login(siming_officer)

    text = client.get("/plans/?year=2019").content.decode()

    assert siming_project.name in text
    assert haicang_project.name not in text


def test_the_task_list_workbook_lists_the_approved_plans_in_scope(
    client, siming_officer, siming_project, haicang_project
):
    make_plan(siming_project)
    make_plan(haicang_project)
    client.force_login(siming_officer)

    response = client.get("/plans/tasklist.xlsx?year=2019")

    book = load_workbook(io.BytesIO(response.content))
    codes = [row[0] for row in book["任务清单"].iter_rows(min_row=2, values_only=True)]
    assert codes == [siming_project.code]
    assert client.get(f"/plans/tasklist.xlsx?year=2019&org={haicang_project.district_id}").status_code == 404


def test_an_outsider_is_refused_every_plan_page_and_post(client, outsider, siming_project):
    plan = make_plan(siming_project)
    client.force_login(outsider)
    for address in (
        "/plans/",
        "/plans/amendments/",
        url(siming_project),
        "/plans/tasklist.xlsx?year=2019",
        "/plans/split/?annual=1",
    ):
        assert client.get(address).status_code in (403, 404), address
    assert client.post(url(siming_project), plan_form(action="save")).status_code == 404
    assert client.post("/plans/amendments/1/decide/", {"action": "approve"}).status_code == 404
    plan.refresh_from_db()
    assert plan.version == 1 or plan.investment == D("1200.00")


def test_another_districts_officer_gets_not_found(client, haicang_officer, siming_project):
    make_plan(siming_project)
    client.force_login(haicang_officer)

    assert client.get(url(siming_project)).status_code == 404
    assert client.post(url(siming_project), plan_form(action="save")).status_code == 404


def test_a_district_officer_may_read_but_not_change_a_plan(client, siming_officer, siming_project):
    make_plan(siming_project)
    client.force_login(siming_officer)

    page = client.get(url(siming_project))
    assert page.status_code == 200
    assert "不能编制或调整" in page.content.decode()
    assert client.post(url(siming_project), plan_form(action="save")).status_code == 403


def test_only_the_office_decides_amendments(client, owner_user, unit_officer, siming_project):
    plan = make_plan(siming_project)
    client.force_login(owner_user)
    client.post(
        url(siming_project),
        plan_form(annual="1300", months=["100"] * 11 + ["200"], action="amend", version=plan.version, reason="调整"),
    )
    amendment = PlanAmendment.objects.get()
    for user in (owner_user, unit_officer):
        client.force_login(user)
        assert client.get("/plans/amendments/").status_code == 403
        assert client.post(f"/plans/amendments/{amendment.pk}/decide/", {"action": "approve"}).status_code == 403
    amendment.refresh_from_db()
    assert amendment.status == "requested"
