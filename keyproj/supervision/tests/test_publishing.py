"""Publishing a month is deliberate: the completeness rule, months in order, the typed month,
the 文号 taken only on issue, a reopened month's notice withdrawn, and the command's refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from keyproj.core.errors import Refused
from keyproj.core.models import AuditEntry
from keyproj.core.period import Period
from keyproj.core.rules import publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.notices.document import to_text
from keyproj.notices.models import Notice, NoticeCounter
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import ReturnData, save_returns
from keyproj.supervision import services
from keyproj.supervision.models import CompletenessRule, MonthClose
from keyproj.supervision.notice import notice_for
from keyproj.supervision.rules import complete_enough
from keyproj.supervision.services import (
    check_confirmation,
    close_month,
    issue_close_notice,
    reopen_month,
)
from keyproj.supervision.tests.helpers import JULY, JUNE, close, earlier_months_closed, project_with
from keyproj.testing import AFTER_2019

pytestmark = pytest.mark.django_db

AUGUST = Period(2019, 8)
AFTER_JULY = dt.date(2019, 8, 20)


def programme(approved: int, submitted: int = 0, missing: int = 0) -> list:
    """Projects with a plan and six approved months; July approved, only submitted, or missing."""
    projects = [project_with("100", months=6) for _ in range(approved + submitted + missing)]
    july = [ReturnData(project=p, year=2019, month=7, investment=D("100"), started=True) for p in projects]
    save_returns(july[:approved], user=CONSOLE, approve=True, today=AFTER_2019)
    if submitted:
        save_returns(july[approved : approved + submitted], user=CONSOLE, submit=True, today=AFTER_2019)
    earlier_months_closed(JULY)
    return projects


def test_the_rule_compares_exactly_so_95_percent_is_enough_and_94_95_is_not():
    assert complete_enough(1900, 2000, D("95"))
    assert not complete_enough(1899, 2000, D("95"))  # 94.95 %, which rounds to 95 but is below it
    assert complete_enough(0, 0, D("95"))  # nothing due, nothing missing


def test_a_month_with_exactly_95_percent_of_returns_approved_closes():
    programme(approved=19, submitted=1)

    outcome = close()

    complete = outcome.close.snapshot["completeness"]
    assert outcome.created
    assert (complete["approved"], complete["due"], complete["share"], complete["met"]) == (19, 20, "95.00", True)
    assert complete["override_reason"] == ""
    assert [item["status"] for item in complete["unapproved"]] == ["submitted"]


def test_a_month_below_the_rule_is_refused_with_its_figures_and_nothing_is_written():
    programme(approved=18, submitted=1, missing=1)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(Refused) as refused:
        close()

    assert str(refused.value).startswith("已审核月报 18/20（90.00%），低于关账要求的95%")
    assert not MonthClose.objects.filter(month=7).exists()
    assert AuditEntry.objects.count() == audit_before


def test_an_empty_or_blank_reason_does_not_override_the_rule():
    programme(approved=18, missing=2)
    for reason in ("", "   ", "\n\t"):
        with pytest.raises(Refused):
            close(override_reason=reason)
    assert not MonthClose.objects.filter(month=7).exists()


def test_with_a_reason_the_month_closes_and_the_reason_is_kept_in_the_snapshot_and_the_notice():
    programme(approved=18, missing=2)

    july = close(override_reason="两个项目因台风停工未报，经领导同意按现有数据发布").close

    complete = july.snapshot["completeness"]
    assert complete["override_reason"] == "两个项目因台风停工未报，经领导同意按现有数据发布"
    assert july.override_reason == complete["override_reason"]
    assert len(complete["unapproved"]) == 2
    text = to_text(notice_for(july))
    assert "本月已审核月报18/20个（90.00%），低于关账要求的95%" in text
    assert "理由：两个项目因台风停工未报，经领导同意按现有数据发布。" in text
    entry = AuditEntry.objects.get(action="month.close")
    assert entry.after["override_reason"] == complete["override_reason"]


def test_the_completeness_rule_is_data_and_a_new_version_applies_to_later_closes():
    programme(approved=18, missing=2)
    rule = publish_rule(CompletenessRule, {"min_approved_share": D("90")}, user=CONSOLE, note="汛期放宽")

    july = close().close

    assert rule.version == 2
    assert july.completeness_rule == rule
    assert july.snapshot["rules"]["completeness"]["version"] == 2
    with pytest.raises(Refused) as refused:
        publish_rule(CompletenessRule, {"min_approved_share": D("101")}, user=CONSOLE)
    assert "应在0到100之间" in str(refused.value)


def test_a_month_cannot_close_while_an_earlier_month_is_open():
    project_with("100", months=8)

    with pytest.raises(Refused) as refused:
        close_month(AUGUST, user=CONSOLE, today=dt.date(2019, 9, 20))

    assert "须按月份顺序关账：2019年1月、2019年2月" in str(refused.value)
    assert "2019年7月尚未关账，请先关账2019年1月" in str(refused.value)
    assert not MonthClose.objects.exists()


def test_a_reopened_earlier_month_holds_back_the_later_one_and_is_named():
    project_with("100", months=8)
    july = close().close
    reopen_month(july, user=CONSOLE, reason="更正7月数据")

    with pytest.raises(Refused) as refused:
        close_month(AUGUST, user=CONSOLE, today=dt.date(2019, 9, 20))

    assert "2019年7月（已重新打开）尚未关账" in str(refused.value)
    assert not MonthClose.objects.filter(month=8).exists()


def test_the_typed_month_must_be_the_month_being_closed():
    assert check_confirmation(JULY, "2019年7月") == []
    assert check_confirmation(JULY, " 2019年07月 ") == []
    assert check_confirmation(JULY, "2019-07") == []
    assert "不一致" in check_confirmation(JULY, "2019年6月")[0].message
    assert "请输入要关账的月份“2019年7月”" in check_confirmation(JULY, "")[0].message
    assert check_confirmation(JULY, "七月")[0].field == "确认月份"


def test_the_page_refuses_a_wrong_month_named_and_writes_nothing(client, admin_user):
    programme(approved=2)
    client.force_login(admin_user)

    page = client.post(reverse("supervision:close", args=["2019-07"]), {"action": "close", "confirm": "2019年6月"})

    assert page.status_code == 200
    assert "与要关账的月份（2019年7月）不一致，未关账" in page.content.decode()
    assert not MonthClose.objects.filter(month=7).exists()


def test_the_page_closes_with_the_month_typed_and_a_reason_when_short(client, admin_user):
    programme(approved=1, missing=1)
    client.force_login(admin_user)
    address = reverse("supervision:close", args=["2019-07"])

    refused = client.post(address, {"action": "close", "confirm": "2019年7月", "override_reason": ""})
    assert "已审核月报 1/2（50.00%），低于关账要求的95%" in refused.content.decode()
    assert not MonthClose.objects.filter(month=7).exists()

    done = client.post(address, {"action": "close", "confirm": "2019年7月", "override_reason": "一个项目停工"})
    assert done.status_code == 302
    assert MonthClose.objects.get(month=7).override_reason == "一个项目停工"
    page = client.get(address).content.decode()
    assert "低于完整性要求关账" in page and "一个项目停工" in page


def test_closing_takes_no_number_and_issuing_takes_it_dated_on_the_business_day(settings):
    programme(approved=2)

    july = close().close

    assert not Notice.objects.exists() and not NoticeCounter.objects.exists()
    assert "草稿，未印发，无文号" in to_text(notice_for(july))
    settings.KEYPROJ_TODAY = dt.date(2019, 8, 22)
    notice = issue_close_notice(july, user=CONSOLE)
    assert notice.number == "厦重点办〔2019〕1号"
    assert notice.date == dt.date(2019, 8, 22)
    assert july.snapshot["notice"]["number"] == notice.number
    assert to_text(notice_for(july)).splitlines()[1] == "厦重点办〔2019〕1号"
    assert issue_close_notice(july, user=CONSOLE) == notice  # issuing again finds it
    assert NoticeCounter.objects.get().last == 1


def test_the_page_issues_only_on_its_own_confirmation(client, admin_user, settings):
    settings.KEYPROJ_TODAY = dt.date(2019, 8, 22)
    programme(approved=2)
    close()
    client.force_login(admin_user)
    address = reverse("supervision:close", args=["2019-07"])
    assert "厦重点办〔2019〕1号" in client.get(address).content.decode()  # the number it would take

    client.post(address, {"action": "issue"})
    assert not Notice.objects.exists()

    client.post(address, {"action": "issue", "confirm": "on"})
    assert Notice.objects.get().number == "厦重点办〔2019〕1号"


def test_a_reopened_months_notice_is_withdrawn_keeps_its_number_and_the_next_issue_takes_the_next(client, admin_user):
    programme(approved=2)
    july = close().close
    first = issue_close_notice(july, user=CONSOLE, today=AFTER_JULY)

    reopen_month(july, user=CONSOLE, reason="业主更正了7月数据")

    first.refresh_from_db()
    assert first.is_withdrawn and first.number == "厦重点办〔2019〕1号"
    assert "业主更正了7月数据" in first.withdrawn_reason
    assert AuditEntry.objects.filter(action="notice.withdraw", object_id=str(first.pk)).exists()
    july = close().close
    assert "notice" not in july.snapshot
    second = issue_close_notice(july, user=CONSOLE, today=AFTER_JULY)
    assert second.number == "厦重点办〔2019〕2号"
    assert not second.is_withdrawn

    client.force_login(admin_user)
    page = client.get(reverse("supervision:close", args=["2019-07"])).content.decode()
    assert "厦重点办〔2019〕1号" in page and "已撤回" in page and "厦重点办〔2019〕2号" in page
    listing = client.get(reverse("notices:index")).content.decode()
    assert "已撤回" in listing
    detail = client.get(first.get_absolute_url()).content.decode()
    assert "本通报已于" in detail and "撤回" in detail


def test_a_close_that_loses_the_race_answers_calmly_and_writes_nothing(monkeypatch):
    programme(approved=2)
    winner = close().close
    audit_before = AuditEntry.objects.count()
    # This closer read the month before the other's close was committed.
    monkeypatch.setattr(services, "_current_close", lambda period: None)

    outcome = close_month(JULY, user=CONSOLE, today=AFTER_JULY)

    assert not outcome.created and outcome.close.pk == winner.pk
    assert MonthClose.objects.filter(month=7).count() == 1
    assert AuditEntry.objects.count() == audit_before


def test_a_reclose_that_loses_the_race_answers_calmly(monkeypatch):
    programme(approved=2)
    july = close().close
    reopen_month(july, user=CONSOLE, reason="更正")
    stale = MonthClose.objects.get(pk=july.pk)
    close()  # the other closer
    monkeypatch.setattr(services, "_current_close", lambda period: stale)

    outcome = close_month(JULY, user=CONSOLE, today=AFTER_JULY)

    assert not outcome.created
    assert AuditEntry.objects.filter(action="month.close").count() == 2


def test_the_command_refuses_below_the_rule_with_exit_1_and_writes_nothing():
    programme(approved=1, missing=1)

    with pytest.raises(CommandError) as refused:
        call_command("close-month", "--period", "2019-07", stdout=StringIO())

    assert refused.value.returncode == 1
    assert "已审核月报 1/2（50.00%），低于关账要求的95%" in str(refused.value)
    assert "--override-reason" in str(refused.value)
    assert not MonthClose.objects.filter(month=7).exists()


def test_the_command_refuses_out_of_order_with_exit_1_and_writes_nothing():
    project_with("100", months=8)
    earlier_months_closed(JUNE)

    with pytest.raises(CommandError) as refused:
        call_command("close-month", "--period", "2019-08", stdout=StringIO())

    assert refused.value.returncode == 1
    assert "2019年7月尚未关账" in str(refused.value)
    assert not MonthClose.objects.filter(month__in=(7, 8)).exists()


def test_the_command_closes_with_an_override_reason():
    programme(approved=1, missing=1)
    out = StringIO()

    call_command("close-month", "--period", "2019-07", "--override-reason", "按现有数据发布", stdout=out)

    assert "关账理由：按现有数据发布" in out.getvalue()
    assert MonthClose.objects.get(month=7).snapshot["completeness"]["override_reason"] == "按现有数据发布"
    assert ProgressReturn.objects.filter(month=7, status=ReturnStatus.APPROVED).count() == 1
