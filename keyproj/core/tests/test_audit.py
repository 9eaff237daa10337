from decimal import Decimal

import pytest

from keyproj.core import audit
from keyproj.core.context import request_id
from keyproj.core.models import AuditEntry
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import approve_return
from keyproj.testing import make_plan, make_project, make_returns


def test_every_service_change_writes_who_when_before_and_after(unit_officer, siming_project):
    make_plan(siming_project)
    [ret] = make_returns(siming_project, ["250.00"], approve=False)

    with request_id("req-test-1"):
        approve_return(ret, user=unit_officer)

    entry = audit.history(ret).first()
    assert entry.action == "return.approve"
    assert entry.user == unit_officer
    assert entry.before["status"] == ReturnStatus.SUBMITTED
    assert entry.after["status"] == ReturnStatus.APPROVED
    assert entry.after["investment"] == "250.00"
    assert entry.request_id == "req-test-1"


def test_creating_a_plan_records_its_twelve_months(db):
    plan = make_plan(make_project(), ["10"] * 6 + ["20"] * 6)
    entry = audit.history(plan).get(action="plan.create")
    assert entry.after["monthly"] == ["10.00"] * 6 + ["20.00"] * 6
    assert entry.after["investment"] == "180.00"


def test_audit_entries_are_never_edited_or_deleted(db):
    make_plan(make_project())
    entry = AuditEntry.objects.first()
    entry.action = "forged"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_a_refused_change_leaves_no_audit_entry(unit_officer, siming_project):
    make_plan(siming_project)
    [ret] = make_returns(siming_project, ["1"])  # already approved
    before = AuditEntry.objects.count()
    with pytest.raises(Exception, match="只有已提交"):
        approve_return(ret, user=unit_officer)
    assert AuditEntry.objects.count() == before


def test_a_stale_version_is_refused_and_nothing_is_overwritten(db):
    project = make_project()
    make_plan(project)
    [ret] = make_returns(project, ["5"], approve=False)
    stale = ProgressReturn.objects.get(pk=ret.pk)
    ret.investment = Decimal("6")
    audit.bump_version(ret, ret.version, ["investment"])

    stale.investment = Decimal("7")
    with pytest.raises(audit.ConflictError, match="已被他人修改"):
        audit.bump_version(stale, stale.version, ["investment"])
    assert ProgressReturn.objects.get(pk=ret.pk).investment == Decimal("6.00")
