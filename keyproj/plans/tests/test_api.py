from __future__ import annotations

from decimal import Decimal

from rest_framework.test import APIClient

from keyproj.core.period import Period
from keyproj.metrics.figures import summary
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.testing import make_plan, make_project

D = Decimal
PLANS = "/api/v1/plans/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def plan_body(project_, **overrides):
    values = {
        "project": project_.code,
        "year": 2019,
        "investment": "1200",
        "monthly": ["100"] * 12,
        "start_month": 3,
    }
    values.update(overrides)
    return values


def problems_of(response) -> dict[str, str]:
    return {p["field"]: p["message"] for p in response.json()["problems"]}


def test_the_owner_draws_up_a_plan_and_the_office_approves_it_into_the_figures(owner_user, admin_user, siming_project):
    created = api(owner_user).post(PLANS, plan_body(siming_project), format="json")

    assert created.status_code == 201
    plan = created.json()
    assert plan["status"] == "draft"
    assert plan["monthly"] == ["100.00"] * 12
    assert plan["investment"] == "1200.00"
    assert plan["start_month"] == 3
    assert summary(admin_user, Period(2019, 12)).annual_plan == D("0.00")

    approved = api(admin_user).post(f"{PLANS}{plan['id']}/approve/", format="json")

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert summary(admin_user, Period(2019, 12)).annual_plan == D("1200.00")


def test_posting_the_same_year_again_rewrites_the_draft_and_answers_200(owner_user, siming_project):
    first = api(owner_user).post(PLANS, plan_body(siming_project), format="json").json()

    again = api(owner_user).post(
        PLANS, plan_body(siming_project, investment="1300", monthly=["100"] * 11 + ["200"]), format="json"
    )

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["monthly"][-1] == "200.00"


def test_months_that_do_not_add_up_are_refused_naming_the_investment(owner_user, siming_project):
    response = api(owner_user).post(PLANS, plan_body(siming_project, investment="1000"), format="json")

    assert response.status_code == 400
    assert "与年度计划1000.00万元不符" in problems_of(response)["investment"]
    assert not AnnualPlan.objects.exists()


def test_a_plan_needs_twelve_sound_amounts(owner_user, siming_project):
    short = api(owner_user).post(PLANS, plan_body(siming_project, monthly=["100"] * 11), format="json")
    negative = api(owner_user).post(PLANS, plan_body(siming_project, monthly=["100"] * 11 + ["-1"]), format="json")

    assert problems_of(short) == {"monthly": "应有12个月的计划"}
    assert problems_of(negative) == {"monthly.11": "不能为负数"}
    assert not AnnualPlan.objects.exists()


def test_completion_before_start_is_refused_naming_the_field(owner_user, siming_project):
    response = api(owner_user).post(PLANS, plan_body(siming_project, start_month=6, completion_month=2), format="json")

    assert response.status_code == 400
    assert "completion_month" in problems_of(response)


def test_a_project_out_of_scope_is_answered_like_an_unknown_code(owner_user, haicang_project):
    response = api(owner_user).post(PLANS, plan_body(haicang_project), format="json")

    assert response.status_code == 400
    assert problems_of(response) == {"project": f"没有项目代码为“{haicang_project.code}”的项目"}


def test_a_plan_out_of_scope_does_not_exist(owner_user, admin_user, haicang_project):
    other = make_plan(haicang_project)

    assert api(owner_user).get(f"{PLANS}{other.pk}/").status_code == 404
    assert api(owner_user).post(f"{PLANS}{other.pk}/approve/").status_code == 404


def test_only_the_office_approves_a_plan(owner_user, unit_officer, siming_project):
    plan = api(owner_user).post(PLANS, plan_body(siming_project), format="json").json()

    response = api(unit_officer).post(f"{PLANS}{plan['id']}/approve/")

    assert response.status_code == 403
    assert response.json()["detail"] == "只有重点办可以批准计划"
    assert AnnualPlan.objects.get().status == PlanStatus.DRAFT


def test_approving_an_approved_plan_is_refused(admin_user, siming_project):
    plan = make_plan(siming_project)

    assert api(admin_user).post(f"{PLANS}{plan.pk}/approve/").status_code == 400


def test_an_approved_plan_is_not_changed_by_its_owner(owner_user, siming_project):
    make_plan(siming_project)

    response = api(owner_user).post(PLANS, plan_body(siming_project, investment="2400", monthly=["200"] * 12))

    assert response.status_code == 400
    assert "已批准" in response.json()["detail"]
    assert AnnualPlan.objects.get().investment == D("1200.00")


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(owner_user, unit_officer, siming_project):
    read = api(owner_user).post(PLANS, plan_body(siming_project), format="json").json()
    api(unit_officer).post(
        PLANS,
        plan_body(siming_project, investment="2400", monthly=["200"] * 12, version=read["version"]),
        format="json",
    )

    stale = api(owner_user).post(PLANS, plan_body(siming_project, investment="0", monthly=["0"] * 12, version=1))

    assert stale.status_code == 409
    assert AnnualPlan.objects.get().investment == D("2400.00")


def test_a_leader_may_read_plans_but_not_draw_them_up(leader_user, siming_project):
    make_plan(siming_project)

    assert api(leader_user).get(PLANS).json()["count"] == 1
    assert api(leader_user).post(PLANS, plan_body(siming_project), format="json").status_code == 403


def test_anonymous_callers_are_not_let_in(siming_project):
    assert api().get(PLANS).status_code == 401


def test_the_list_filters_by_year_and_project_and_shows_only_plans_in_scope(
    owner_user, siming_project, haicang_project
):
    make_plan(siming_project)
    make_plan(siming_project, year=2020)
    make_plan(haicang_project)

    assert api(owner_user).get(PLANS).json()["count"] == 2
    assert [p["year"] for p in api(owner_user).get(PLANS, {"year": 2020}).json()["results"]] == [2020]
    assert api(owner_user).get(PLANS, {"project": haicang_project.code}).json()["count"] == 0


def test_the_list_costs_the_same_queries_at_any_page_size(admin_user, django_assert_num_queries, siming):
    make_plan(make_project(district=siming))
    client = api(admin_user)
    client.get(PLANS)  # the caller's scope is read once and kept on the user
    with django_assert_num_queries(3) as few:  # the count, the page with its projects, the months of the page
        client.get(PLANS)
    for _ in range(5):
        make_plan(make_project(district=siming))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(PLANS).json()["count"] == 6
