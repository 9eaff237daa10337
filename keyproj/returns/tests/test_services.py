import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from keyproj.core.errors import Refused
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
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

    assert save_returns([ret(siming_project, started=True)], user=CONSOLE, today=AFTER_2019).unchanged == 1
    with pytest.raises(Refused, match="已审核，不能修改"):
        save_returns([ret(siming_project, investment="999")], user=CONSOLE, today=AFTER_2019)
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


def test_a_reviewer_sends_a_return_back_with_reasons_and_the_author_resubmits(owner_user, unit_officer, siming_project):
    from keyproj.returns.services import send_back_return

    submitted = save_return(ret(siming_project), user=owner_user, submit=True, today=AFTER_2019)
    send_back_return(submitted, user=unit_officer, comment="投资额与形象进度不符，请核实")
    assert (submitted.status, submitted.review_comment) == (ReturnStatus.SENT_BACK, "投资额与形象进度不符，请核实")

    corrected = save_return(ret(siming_project, investment="80"), user=owner_user, today=AFTER_2019)
    submit_return(corrected, user=owner_user)

    assert corrected.status == ReturnStatus.SUBMITTED
    approve_return(corrected, user=unit_officer)
    assert corrected.review_comment == ""


def test_sending_back_needs_a_reason(owner_user, unit_officer, siming_project):
    from keyproj.returns.services import send_back_return

    submitted = save_return(ret(siming_project), user=owner_user, submit=True, today=AFTER_2019)
    with pytest.raises(Refused, match="须写明原因"):
        send_back_return(submitted, user=unit_officer, comment="  ")
    submitted.refresh_from_db()
    assert submitted.status == ReturnStatus.SUBMITTED


def test_submitting_twice_is_refused(owner_user, siming_project):
    submitted = save_return(ret(siming_project), user=owner_user, submit=True, today=AFTER_2019)
    with pytest.raises(Refused, match="不能再次提交"):
        submit_return(submitted, user=owner_user)


def test_no_one_approves_a_return_they_submitted(admin_user, siming_project):
    submitted = save_return(ret(siming_project), user=admin_user, submit=True, today=AFTER_2019)
    with pytest.raises(Refused, match="不能审核自己提交的填报"):
        approve_return(submitted, user=admin_user)


def test_a_locked_month_cannot_be_changed_submitted_or_reviewed(owner_user, unit_officer, admin_user, siming_project):
    from keyproj.returns.services import lock_month, unlock_month

    submitted = save_return(ret(siming_project), user=owner_user, submit=True, today=AFTER_2019)
    lock_month(2019, 7, user=admin_user)

    with pytest.raises(Refused, match="2019年7月已由重点办锁定"):
        save_return(ret(siming_project, investment="1"), user=owner_user, today=AFTER_2019)
    with pytest.raises(Refused, match="已由重点办锁定"):
        approve_return(submitted, user=unit_officer)

    with pytest.raises(Refused, match="须写明原因"):
        unlock_month(2019, 7, user=admin_user, reason="")
    unlock_month(2019, 7, user=admin_user, reason="补录遗漏的填报")
    approve_return(submitted, user=unit_officer)


def test_only_the_office_locks_a_month(unit_officer):
    from keyproj.returns.services import lock_month

    with pytest.raises(PermissionDenied):
        lock_month(2019, 7, user=unit_officer)


def test_a_save_from_a_stale_version_overwrites_nothing(owner_user, agent_user, siming_project):
    from keyproj.core.audit import ConflictError

    first = save_return(ret(siming_project), user=owner_user, today=AFTER_2019)
    opened_at = first.version
    save_return(ret(siming_project, investment="120", expected_version=opened_at), user=agent_user, today=AFTER_2019)

    with pytest.raises(ConflictError, match="已被他人修改"):
        save_return(ret(siming_project, investment="90", expected_version=opened_at), user=owner_user, today=AFTER_2019)
    assert ProgressReturn.objects.get().investment == D("120.00")


def test_the_console_approves_a_submitted_return_and_is_recorded_as_nobody(siming_project):
    """A command acts as the console: the approval counts, and no user row stands for the console."""
    make_plan(siming_project)
    (waiting,) = make_returns(siming_project, ["250"], approve=False)

    approved = approve_return(ProgressReturn.objects.get(pk=waiting.pk), user=CONSOLE)

    assert approved.status == ReturnStatus.APPROVED and approved.approved_by is None
    assert approved.approved_at is not None
    assert summary(CONSOLE, Period(2019, 1)).actual_to_date == Decimal("250.00")
