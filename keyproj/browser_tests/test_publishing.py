"""Publishing a month in a real browser, on the demo (January to July 2019 closed and issued).

On 2019-11-10 the office tries to close October and is refused while August and September
are open. On 2019-09-10 it opens August's close page, which shows what would be published;
closing with August's returns short of the completeness rule is refused, closing with a
reason after typing the month succeeds and takes no 文号; the notice is then issued on its own
confirmation and takes 厦重点办〔2019〕8号. A screenshot is saved at each step.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from keyproj.browser_tests import login, screenshot, visit
from keyproj.core.scoping import CONSOLE
from keyproj.notices.models import Notice
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import ReturnData, save_returns
from keyproj.supervision.models import MonthClose

# django_db: the run must set up a test database for the demo (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

REASON = "8月月报尚在审核，经领导同意按已审核数据先行发布"


def approved_in_august() -> int:
    return ProgressReturn.objects.filter(year=2019, month=8, status=ReturnStatus.APPROVED).count()


def approve_some_august_returns(count: int) -> None:
    """Approved August returns for `count` planned projects that have none yet, through the service
    (whoever in the demo files August, the test does not depend on it)."""
    taken = ProgressReturn.objects.filter(year=2019, month=8).values("project_id")
    planned = AnnualPlan.objects.filter(year=2019, status=PlanStatus.APPROVED).values("project_id")
    projects = Project.objects.filter(pk__in=planned).exclude(pk__in=taken).order_by("code")[:count]
    items = [ReturnData(project=p, year=2019, month=8, investment=Decimal("10"), started=True) for p in projects]
    save_returns(items, user=CONSOLE, approve=True, today=dt.date(2019, 9, 4))


@pytest.fixture(scope="module")
def fifteen_approved(demo_server, django_db_blocker) -> None:
    """Fifteen approved August returns, committed outside any test's transaction so the live server sees them
    (on PostgreSQL the server's connection cannot read a test's uncommitted rows)."""
    with django_db_blocker.unblock():
        approve_some_august_returns(15)


def test_october_cannot_be_closed_while_august_and_september_are_open(page):
    with override_settings(KEYPROJ_TODAY=dt.date(2019, 11, 10)):
        login(page, "admin", next="/supervision/2019-10/")
        confirm = page.locator("#close-confirm")
        assert "须按月份顺序关账：2019年8月、2019年9月尚未关账" in confirm.inner_text()
        screenshot(page, "publishing-1-october-preview")

        page.locator("#id_confirm").fill("2019年10月")
        page.locator("#id_override_reason").fill("试图跳过8、9月")
        page.get_by_role("button", name="确认关账").click()
        page.wait_for_load_state()

        alerts = " ".join(page.get_by_role("alert").all_inner_texts())
        assert "2019年8月、2019年9月尚未关账，请先关账2019年8月" in alerts
        assert not MonthClose.objects.filter(year=2019, month__gte=8).exists()
        screenshot(page, "publishing-2-october-refused")


def test_august_is_refused_below_the_rule_then_closed_with_a_reason_and_issued_on_its_own(page, fifteen_approved):
    approved = approved_in_august()
    assert 0 < approved < 340  # far below 95 % of 357
    with override_settings(KEYPROJ_TODAY=dt.date(2019, 9, 10)):
        # 1. What closing would publish, before anything is written.
        login(page, "admin", next="/supervision/2019-08/")
        main = page.locator("main")
        assert "预览（尚未关账）" in main.inner_text()
        confirm = page.locator("#close-confirm")
        assert f"已审核月报 {approved}/357" in confirm.inner_text()
        assert "低于关账要求的95%" in confirm.inner_text()
        for section in ("全市情况", "红黑榜", "红黄牌（共", f"未审核月报的项目（共{357 - approved}个）"):
            assert section in main.inner_text(), section
        assert page.locator("#unapproved tbody tr").count() == 357 - approved  # all of them, not the first 20
        assert confirm.get_by_role("link", name="通报预览稿（PDF）").count() == 1
        screenshot(page, "publishing-3-august-preview")

        # 2. The month typed, no reason: refused with the figures, nothing written.
        page.locator("#id_confirm").fill("2019年8月")
        page.get_by_role("button", name="确认关账").click()
        page.wait_for_load_state()
        alerts = " ".join(page.get_by_role("alert").all_inner_texts())
        assert f"已审核月报 {approved}/357" in alerts and "低于关账要求的95%" in alerts
        assert not MonthClose.objects.filter(year=2019, month=8).exists()
        screenshot(page, "publishing-4-august-refused")

        # 3. The wrong month named: refused, nothing written.
        page.locator("#id_confirm").fill("2019年7月")
        page.locator("#id_override_reason").fill(REASON)
        page.get_by_role("button", name="确认关账").click()
        page.wait_for_load_state()
        assert "不一致，未关账" in " ".join(page.get_by_role("alert").all_inner_texts())
        assert not MonthClose.objects.filter(year=2019, month=8).exists()

        # 4. The month typed and a reason: closed, and no 文号 taken.
        numbers_before = set(Notice.objects.values_list("number", flat=True))
        page.locator("#id_confirm").fill("2019年8月")
        page.locator("#id_override_reason").fill(REASON)
        with page.expect_navigation():
            page.get_by_role("button", name="确认关账").click()
        assert "已关账" in page.locator("h1").inner_text()
        close = MonthClose.objects.get(year=2019, month=8)
        assert close.is_closed and close.snapshot["completeness"]["override_reason"] == REASON
        assert set(Notice.objects.values_list("number", flat=True)) == numbers_before
        notice_panel = page.locator("#notice-panel")
        assert "通报尚未印发" in notice_panel.inner_text()
        assert "印发时将取得文号：厦重点办〔2019〕8号" in notice_panel.inner_text()
        assert REASON in page.locator("#override").inner_text()
        screenshot(page, "publishing-5-august-closed")

        # 5. Issuing needs its own tick.
        notice_panel.get_by_role("button", name="印发通报").click()
        page.wait_for_load_state()
        assert "请勾选“确认印发”" in " ".join(page.get_by_role("alert").all_inner_texts())
        assert set(Notice.objects.values_list("number", flat=True)) == numbers_before

        page.locator("#notice-panel").get_by_label("我已核对通报内容，确认印发并取得文号").check()
        with page.expect_navigation():
            page.locator("#notice-panel").get_by_role("button", name="印发通报").click()
        assert "通报已印发，文号：厦重点办〔2019〕8号" in page.locator("main").inner_text()
        issued = Notice.objects.get(number="厦重点办〔2019〕8号")
        assert issued.date == dt.date(2019, 9, 10)
        assert "厦重点办〔2019〕8号" in page.locator("#notice-panel table").inner_text()
        screenshot(page, "publishing-6-august-issued")

        # 6. The 通报 page lists it beside the seven before it.
        visit(page, "/notices/")
        listing = page.locator("main table").inner_text()
        for n in range(1, 9):
            assert f"厦重点办〔2019〕{n}号" in listing
        visit(page, issued.get_absolute_url())
        assert REASON in page.locator("main").inner_text()  # the reason is printed in the notice
        screenshot(page, "publishing-7-august-notice")
