"""August 2019 walked with the demo cast on the demo day (2019-09-03), in a real browser.

`owner` files two August returns on time; `unit`, the unit those projects answer to, approves
one and sends the other back with a comment; `owner` is told, finds the comment at the top of
the returns page, corrects that return in August (while the page offers another month) and
submits it again; the `leader`'s home page stays on July, the closed month, and shows August
only when chosen, as provisional. A screenshot is saved at each step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from keyproj.accounts.models import Notification, User
from keyproj.browser_tests import login, screenshot, tab, visit
from keyproj.core.period import Period
from keyproj.projects.models import Project
from keyproj.returns import timeliness
from keyproj.returns.models import ProgressReturn, ReturnStatus

# django_db: the run must set up a test database for the demo (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEMO_DAY = dt.date(2019, 9, 3)
AUGUST = Period(2019, 8)
COMMENT = "本月完成投资与形象进度不符，请核实后重报"


@pytest.fixture(scope="module", autouse=True)
def business_day() -> Iterator[None]:
    """The business date of the walk, fixed as an installation would fix it (the demo also stores it)."""
    with override_settings(KEYPROJ_TODAY=DEMO_DAY):
        yield


@pytest.fixture(scope="module")
def owners_projects(demo_server: Any, django_db_blocker: Any) -> list[Project]:
    """The first two of `owner`'s projects: one will be approved, one sent back."""
    with django_db_blocker.unblock():
        owner = User.objects.get(username="owner")
        return list(Project.objects.visible_to(owner).order_by("code")[:2])


def _fill(page: Any, project: Project, investment: str, progress: str) -> None:
    row = page.locator(f"#row-{project.pk}")
    row.get_by_label(f"{project.name} 本月完成投资(万元)").fill(investment)
    row.get_by_label(f"{project.name} 形象进度").fill(progress)
    row.locator(f"input[name='r{project.pk}-started']").check()
    row.locator(f"input[name='r{project.pk}-submit']").check()


def test_august_is_filed_reviewed_corrected_and_the_leader_stays_on_july(browser, demo_server, owners_projects):
    approved, corrected = owners_projects
    owner = User.objects.get(username="owner")
    unit = User.objects.get(username="unit")

    # 1. The owner files August for both projects on 2019-09-03: before the 5th, so on time.
    with tab(browser, demo_server) as page:
        login(page, "owner", next="/returns/")
        assert "2019年8月" in page.locator("h1").inner_text()
        _fill(page, approved, "1200", "主体结构施工至第5层")
        _fill(page, corrected, "880", "桩基施工完成")
        with page.expect_navigation():
            page.get_by_role("button", name="保存并提交勾选项目").click()
        assert "已提交审核" in page.locator("main").inner_text()
        screenshot(page, "month-walk-1-owner-files-august")
    returns = {r.project_id: r for r in ProgressReturn.objects.filter(year=2019, month=8, project__in=owners_projects)}
    assert {r.status for r in returns.values()} == {ReturnStatus.SUBMITTED}
    assert {timezone.localtime(r.submitted_at).date() for r in returns.values()} == {DEMO_DAY}
    mine = next(row for row in timeliness.by_owner(owner, AUGUST) if row.owner_id == approved.owner_id)
    assert (mine.on_time, mine.late) == (2, 0)

    # 2. The unit reviews: approves one, sends the other back with a comment.
    with tab(browser, demo_server) as page:
        login(page, "unit", next=f"/returns/review/?period={AUGUST}")
        first = page.locator(f"#review-{returns[approved.pk].pk}")
        first.get_by_role("button", name="通过").click()
        page.locator(f"#review-{returns[approved.pk].pk}").get_by_text("已审核通过").wait_for()
        second = page.locator(f"#review-{returns[corrected.pk].pk}")
        second.get_by_label(f"{corrected.name} 退回原因").fill(COMMENT)
        second.get_by_role("button", name="退回").click()
        page.locator(f"#review-{returns[corrected.pk].pk}").get_by_text("已退回").first.wait_for()
        screenshot(page, "month-walk-2-unit-approves-and-sends-back")
    for ret in returns.values():
        ret.refresh_from_db()
    assert returns[approved.pk].status == ReturnStatus.APPROVED
    assert returns[corrected.pk].status == ReturnStatus.SENT_BACK
    assert Notification.objects.filter(user=owner, body__contains=COMMENT).count() == 1
    assert not Notification.objects.filter(user=unit, body__contains=COMMENT).exists()

    # 3. The owner is told, and follows the notice to the returns page: the comment is at the top.
    with tab(browser, demo_server) as page:
        login(page, "owner", next="/problems/notifications/")
        notice = page.get_by_role("link", name=f"填报被退回：{corrected.name} 2019年8月")
        assert COMMENT in page.locator("main").inner_text()
        screenshot(page, "month-walk-3-owner-is-notified")
        with page.expect_navigation():
            notice.click()
        top = page.locator(f"#sent-back-{returns[corrected.pk].pk}")
        assert COMMENT in top.inner_text() and "2019年8月" in top.inner_text()
        screenshot(page, "month-walk-4-sent-back-at-the-top")

        # 4. With the page offering July, the correction still goes to August.
        visit(page, "/returns/?period=2019-07")
        assert "2019年7月" in page.locator("h1").inner_text()
        top = page.locator(f"#sent-back-{returns[corrected.pk].pk}")
        top.get_by_label(f"{corrected.name} 2019年8月 本月完成投资(万元)").fill("680")
        top.get_by_label(f"{corrected.name} 2019年8月 形象进度").fill("桩基施工完成，承台施工中")
        with page.expect_navigation():
            top.get_by_role("button", name="修改后重新提交").click()
        assert "已修改并重新提交审核" in page.locator("main").inner_text()
        assert "2019年8月" in page.locator("h1").inner_text()
        assert page.locator(f"#sent-back-{returns[corrected.pk].pk}").count() == 0
        assert "已提交" in page.locator(f"#row-{corrected.pk}").inner_text()
        screenshot(page, "month-walk-5-owner-resubmits-august")
    ret = returns[corrected.pk]
    ret.refresh_from_db()
    assert (ret.month, ret.status, ret.investment) == (8, ReturnStatus.SUBMITTED, Decimal("680.00"))
    assert ProgressReturn.objects.filter(project=corrected, year=2019, month=7).get().status == ReturnStatus.APPROVED

    # 5. One August return is approved, but the leader's home page stays on July, the closed month.
    with tab(browser, demo_server) as page:
        login(page, "leader")
        assert page.locator("h1").inner_text().startswith("2019年7月")
        assert page.locator("#id_period option:checked").inner_text().strip() == "2019年7月"
        assert "1-7月，全市357个市重点项目" in page.locator(".sentence").inner_text()
        assert page.locator(".badge-provisional").count() == 0
        screenshot(page, "month-walk-6-leader-stays-on-july")

        # August can be chosen, and is labelled as still being reported.
        page.locator("#id_period").select_option("2019-08")
        with page.expect_navigation():
            page.get_by_role("button", name="查看").click()
        assert "填报中：已审核 1/357，数据未最终确认" in page.locator("main").inner_text()
        assert page.locator(".sentence .badge-provisional").inner_text() == "暂定"
        screenshot(page, "month-walk-7-leader-chooses-august")
