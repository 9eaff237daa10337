import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from keyproj.core.errors import Refused
from keyproj.core.period import Period
from keyproj.metrics.figures import summary
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import ReturnData, approve_return, save_return, save_returns, submit_return
from keyproj.testing import AFTER_2019, make_plan, make_returns

D = Decimal


def ret(project, month=7, investment="100", **extra):
    return ReturnData(project=project, year=2019, month=month, investment=D(investment), **extra)


def test_an_owner_reports_a_draft_submits_it_and_the_unit_approves_it(
    owner_user, unit_officer, admin_user, siming_project
):
    make_plan(siming_project)
    draft = save_return(ret(siming_project, started=True), user=owner_user, today=AFTER_2019)
    assert draft.status == ReturnStatus.DRAFT
    submit_return(draft, user=owner_user)
    assert summary(admin_user, Period(2019, 7)).actual_to_date == D("0.00")

    approve_return(draft, user=unit_officer)

    assert draft.status == ReturnStatus.APPROVED
    assert draft.approved_by == unit_officer
    assert summary(admin_user, Period(2019, 7)).actual_to_date == D("100.00")


def test_a_month_that_has_not_ended_cannot_be_reported(owner_user, siming_project):
    with pytest.raises(Refused, match="2019年7月尚未结束"):
        save_return(ret(siming_project), user=owner_user, today=dt.date(2019, 7, 31))
    save_return(ret(siming_project), user=owner_user, today=dt.date(2019, 8, 1))


def test_completion_without_a_start_is_refused(owner_user, siming_project):
    with pytest.raises(Refused, match="未开工"):
        save_return(ret(siming_project, completed=True), user=owner_user, today=AFTER_2019)


@pytest.mark.parametrize("who", ["haicang_officer", "unit_officer", "leader_user", "outsider"])
def test_only_the_owner_agent_or_office_may_report(request, who, siming_project):
    with pytest.raises(PermissionDenied):
        save_return(ret(siming_project), user=request.getfixturevalue(who), today=AFTER_2019)
    assert not ProgressReturn.objects.exists()


def test_the_agent_builder_may_report_for_the_project_it_manages(agent_user, siming_project):
    assert save_return(ret(siming_project), user=agent_user, today=AFTER_2019).investment == D("100.00")


def test_an_approved_return_is_never_changed_by_saving_again(siming_project):
    make_plan(siming_project)
    make_returns(siming_project, ["100"] * 7)

    assert save_returns([ret(siming_project, started=True)], user=None, today=AFTER_2019).unchanged == 1
    with pytest.raises(Refused, match="已审核，不能修改"):
        save_returns([ret(siming_project, investment="999")], user=None, today=AFTER_2019)
    assert ProgressReturn.objects.get(month=7).investment == D("100.00")


def test_only_the_office_imports_returns_as_approved(owner_user, siming_project):
    with pytest.raises(PermissionDenied):
        save_returns([ret(siming_project)], user=owner_user, approve=True, today=AFTER_2019)


def test_the_unit_may_not_approve_a_draft(owner_user, unit_officer, siming_project):
    draft = save_return(ret(siming_project), user=owner_user, today=AFTER_2019)
    with pytest.raises(Refused, match="只有已提交"):
        approve_return(draft, user=unit_officer)


def test_another_unit_may_not_approve(owner_user, haicang_officer, siming_project):
    draft = save_return(ret(siming_project), user=owner_user, submit=True, today=AFTER_2019)
    with pytest.raises(PermissionDenied):
        approve_return(draft, user=haicang_officer)


def test_a_return_created_by_someone_else_meanwhile_is_refused_not_a_crash(owner_user, siming_project, monkeypatch):
    from keyproj.returns import services

    # The check for an existing return ran before the other person's insert landed.
    monkeypatch.setattr(services, "_existing", lambda items: {})
    save_return(ret(siming_project), user=owner_user, today=AFTER_2019)

    with pytest.raises(Refused, match="刚刚已由他人创建"):
        save_return(ret(siming_project, investment="5"), user=owner_user, today=AFTER_2019)
    assert ProgressReturn.objects.get().investment == D("100.00")
