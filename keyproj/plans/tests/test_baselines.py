"""Baselines and amendments of approved plans: the first approval is kept, later changes go through the office."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from keyproj.core.audit import history
from keyproj.core.errors import Refused
from keyproj.core.scoping import CONSOLE
from keyproj.plans.models import PlanAmendment, PlanBaseline, PlanStatus
from keyproj.plans.services import (
    PlanData,
    approve_plan,
    decide_plan_amendment,
    plan_data,
    request_plan_amendment,
    save_plan,
    save_plans,
)
from keyproj.testing import make_plan, make_project

D = Decimal


def data(project, amounts=None, **extra):
    amounts = [D(a) for a in (amounts or ["100"] * 12)]
    return PlanData(project=project, year=2019, investment=sum(amounts, D(0)), monthly=amounts, **extra)


def test_approving_a_draft_keeps_its_figures_as_the_baseline(owner_user, admin_user, siming_project):
    plan = save_plan(data(siming_project), user=owner_user)
    assert not PlanBaseline.objects.exists()

    approve_plan(plan, user=admin_user)

    baseline = PlanBaseline.objects.get(plan=plan)
    assert baseline.investment == D("1200.00")
    assert list(baseline.lines.order_by("month").values_list("investment", flat=True)) == [D("100.00")] * 12


def test_plans_approved_in_bulk_each_get_a_baseline(db):
    projects = [make_project() for _ in range(3)]

    save_plans([data(p) for p in projects], user=CONSOLE, approve=True)

    assert PlanBaseline.objects.count() == 3
    assert sorted(PlanBaseline.objects.values_list("plan__project_id", flat=True)) == sorted(p.pk for p in projects)


def test_a_later_approved_change_leaves_the_baseline_as_first_approved(siming_project):
    plan = make_plan(siming_project)

    save_plan(data(siming_project, ["100"] * 11 + ["500"]), user=CONSOLE, approve=True)

    plan.refresh_from_db()
    assert plan.investment == D("1600.00")
    baseline = PlanBaseline.objects.get(plan=plan)
    assert baseline.investment == D("1200.00")
    assert baseline.lines.get(month=12).investment == D("100.00")


def test_an_amendment_changes_the_plan_only_when_the_office_approves_it(owner_user, admin_user, siming_project):
    plan = make_plan(siming_project)
    amendment = request_plan_amendment(
        plan, data(siming_project, ["100"] * 11 + ["300"]), user=owner_user, reason="年底集中支付"
    )
    plan.refresh_from_db()
    assert plan.investment == D("1200.00")

    decide_plan_amendment(amendment, user=admin_user, approve=True, expected_version=amendment.version)

    plan.refresh_from_db()
    assert plan.investment == D("1400.00")
    assert plan.status == PlanStatus.APPROVED
    assert plan_data(plan).monthly[11] == D("300.00")
    assert PlanBaseline.objects.get(plan=plan).investment == D("1200.00")
    actions = {e.action for e in history(amendment)}
    assert actions == {"plan.amendment.request", "plan.amendment.decide"}


def test_an_amendment_needs_a_reason_a_change_and_months_that_add_up(owner_user, siming_project):
    plan = make_plan(siming_project)
    same = data(siming_project)
    bad = data(siming_project, ["100"] * 12)
    bad.investment = D("1000")

    with pytest.raises(Refused) as refused:
        request_plan_amendment(plan, same, user=owner_user, reason="")
    messages = [p.message for p in refused.value.problems]
    assert "须写明原因" in messages
    assert "调整内容与已批准的计划相同" in messages
    with pytest.raises(Refused):
        request_plan_amendment(plan, bad, user=owner_user, reason="调整")
    assert not PlanAmendment.objects.exists()


def test_a_draft_is_changed_directly_not_amended(owner_user, siming_project):
    plan = save_plan(data(siming_project), user=owner_user)

    with pytest.raises(Refused):
        request_plan_amendment(plan, data(siming_project, ["50"] * 12), user=owner_user, reason="调整")


def test_only_those_who_plan_may_ask_and_only_the_office_decides(
    siming_officer, owner_user, unit_officer, siming_project
):
    plan = make_plan(siming_project)
    with pytest.raises(PermissionDenied):
        request_plan_amendment(plan, data(siming_project, ["50"] * 12), user=siming_officer, reason="调整")
    amendment = request_plan_amendment(plan, data(siming_project, ["50"] * 12), user=owner_user, reason="调整")
    for user in (owner_user, unit_officer):
        with pytest.raises(PermissionDenied):
            decide_plan_amendment(amendment, user=user, approve=True)


def test_one_open_amendment_at_a_time(owner_user, siming_project):
    plan = make_plan(siming_project)
    request_plan_amendment(plan, data(siming_project, ["50"] * 12), user=owner_user, reason="调整")

    with pytest.raises(Refused):
        request_plan_amendment(plan, data(siming_project, ["60"] * 12), user=owner_user, reason="再调整")


def test_a_rejected_amendment_leaves_the_plan_and_needs_a_note(owner_user, admin_user, siming_project):
    plan = make_plan(siming_project)
    amendment = request_plan_amendment(plan, data(siming_project, ["50"] * 12), user=owner_user, reason="调整")
    with pytest.raises(Refused):
        decide_plan_amendment(amendment, user=admin_user, approve=False, note="")

    decide_plan_amendment(amendment, user=admin_user, approve=False, note="依据不足")

    plan.refresh_from_db()
    assert plan.investment == D("1200.00")
    amendment.refresh_from_db()
    assert amendment.status == "rejected"
