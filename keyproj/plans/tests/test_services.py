from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from keyproj.core.errors import Refused
from keyproj.core.period import Period
from keyproj.metrics.figures import summary
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.plans.services import PlanData, approve_plan, save_plan, save_plans
from keyproj.testing import make_plan, make_project

D = Decimal


def test_a_plan_whose_months_do_not_add_up_is_refused(admin_user):
    project = make_project()
    with pytest.raises(Refused, match=r"与年度计划1300\.00万元不符"):
        save_plan(PlanData(project, 2019, D("1300"), [D("100")] * 12), user=admin_user)
    assert not AnnualPlan.objects.exists()


def test_a_plan_needs_twelve_months_and_sane_milestones(admin_user):
    project = make_project()
    with pytest.raises(Refused) as refused:
        save_plan(
            PlanData(project, 2019, D("1100"), [D("100")] * 11, start_month=9, completion_month=3),
            user=admin_user,
        )
    messages = " ".join(str(p) for p in refused.value.problems)
    assert "应有12个月" in messages
    assert "早于计划开工月份" in messages


def test_changing_a_plan_moves_the_published_figures(admin_user):
    project = make_project()
    make_plan(project)
    assert summary(admin_user, Period(2019, 3)).plan_to_date == D("300.00")

    make_plan(project, ["0", "0", "0"] + ["150"] * 8 + ["0"])
    assert summary(admin_user, Period(2019, 3)).plan_to_date == D("0.00")
    assert summary(admin_user, Period(2019, 12)).annual_plan == D("1200.00")


def test_the_owner_and_the_responsible_unit_may_draw_up_a_plan(owner_user, unit_officer, siming_project):
    plan = save_plan(PlanData(siming_project, 2019, D("12"), [D("1")] * 12), user=owner_user)
    assert plan.status == PlanStatus.DRAFT
    save_plan(PlanData(siming_project, 2019, D("24"), [D("2")] * 12), user=unit_officer)
    assert AnnualPlan.objects.get().investment == D("24.00")


@pytest.mark.parametrize("who", ["haicang_officer", "agent_user", "leader_user", "outsider"])
def test_others_may_not_draw_up_a_plan(request, who, siming_project):
    with pytest.raises(PermissionDenied):
        save_plan(PlanData(siming_project, 2019, D("12"), [D("1")] * 12), user=request.getfixturevalue(who))


def test_an_approved_plan_saved_again_unchanged_stays_approved(owner_user, siming_project):
    make_plan(siming_project)  # approved by the office
    count = save_plans([PlanData(siming_project, 2019, D("1200"), [D("100")] * 12)], user=owner_user)
    assert count.unchanged == 1
    assert AnnualPlan.objects.get().status == PlanStatus.APPROVED


def test_an_approved_plan_is_not_changed_by_its_owner(owner_user, siming_project):
    make_plan(siming_project)
    with pytest.raises(Refused, match="已批准，不能直接修改"):
        save_plan(PlanData(siming_project, 2019, D("2400"), [D("200")] * 12), user=owner_user)
    assert AnnualPlan.objects.get().investment == D("1200.00")


def test_only_the_office_approves_plans(owner_user, siming_project):
    with pytest.raises(PermissionDenied):
        save_plan(PlanData(siming_project, 2019, D("12"), [D("1")] * 12), user=owner_user, approve=True)


def test_a_draft_plan_counts_in_the_figures_only_once_approved(owner_user, admin_user, siming_project):
    plan = save_plan(PlanData(siming_project, 2019, D("1200"), [D("100")] * 12), user=owner_user)
    assert summary(admin_user, Period(2019, 7)).project_count == 0

    approve_plan(plan, user=admin_user)

    figures = summary(admin_user, Period(2019, 7))
    assert (figures.project_count, figures.plan_to_date) == (1, D("700.00"))


def test_only_the_office_approves_a_draft(owner_user, unit_officer, siming_project):
    plan = save_plan(PlanData(siming_project, 2019, D("12"), [D("1")] * 12), user=owner_user)
    with pytest.raises(PermissionDenied):
        approve_plan(plan, user=unit_officer)
