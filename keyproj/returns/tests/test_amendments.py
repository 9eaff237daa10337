"""After approval, a figure changes only through an amendment the office approves."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from keyproj.core import audit
from keyproj.core.errors import Refused
from keyproj.core.models import AmendmentStatus
from keyproj.core.period import Period
from keyproj.metrics.figures import summary
from keyproj.returns.models import ProgressReturn
from keyproj.returns.services import ReturnData, decide_amendment, request_amendment
from keyproj.testing import make_plan, make_returns

D = Decimal


@pytest.fixture
def approved(siming_project):
    make_plan(siming_project)
    return make_returns(siming_project, ["100"] * 7)[-1]  # July, approved


def corrected(ret, investment="130"):
    return ReturnData(
        project=ret.project, year=ret.year, month=ret.month, investment=D(investment),
        physical_progress="主体结构完成", started=True,
    )  # fmt: skip


def test_an_approved_amendment_changes_the_figures_and_keeps_the_history(approved, owner_user, admin_user):
    amendment = request_amendment(approved, corrected(approved), user=owner_user, reason="漏报一笔设备款")
    assert summary(admin_user, Period(2019, 7)).actual_to_date == D("700.00")  # nothing moves on a request

    decide_amendment(amendment, user=admin_user, approve=True)

    ret = ProgressReturn.objects.get(pk=approved.pk)
    assert (ret.investment, ret.physical_progress) == (D("130.00"), "主体结构完成")
    assert summary(admin_user, Period(2019, 7)).actual_to_date == D("730.00")
    entry = audit.history(ret).get(action="return.amend")
    assert (entry.before["investment"], entry.after["investment"], entry.user) == ("100.00", "130.00", admin_user)


def test_a_rejected_amendment_changes_nothing_and_needs_a_reason(approved, owner_user, admin_user):
    amendment = request_amendment(approved, corrected(approved), user=owner_user, reason="更正")
    with pytest.raises(Refused, match="驳回时须写明原因"):
        decide_amendment(amendment, user=admin_user, approve=False)

    decide_amendment(amendment, user=admin_user, approve=False, note="无凭证")

    assert amendment.status == AmendmentStatus.REJECTED
    assert ProgressReturn.objects.get(pk=approved.pk).investment == D("100.00")


def test_a_request_needs_a_reason_and_a_real_change(approved, owner_user):
    with pytest.raises(Refused) as refused:
        request_amendment(approved, corrected(approved, "100"), user=owner_user, reason=" ")
    messages = " ".join(str(p) for p in refused.value.problems)
    assert "须写明原因" in messages


def test_one_open_request_per_return(approved, owner_user):
    request_amendment(approved, corrected(approved), user=owner_user, reason="第一次")
    with pytest.raises(Refused, match="刚刚已由他人创建"):
        request_amendment(approved, corrected(approved, "140"), user=owner_user, reason="第二次")


def test_only_the_office_decides(approved, owner_user, unit_officer):
    amendment = request_amendment(approved, corrected(approved), user=owner_user, reason="更正")
    with pytest.raises(PermissionDenied):
        decide_amendment(amendment, user=unit_officer, approve=True)


def test_others_may_not_request_a_correction(approved, haicang_officer):
    with pytest.raises(PermissionDenied):
        request_amendment(approved, corrected(approved), user=haicang_officer, reason="更正")
