"""The reporting cycle in a real browser: the owner fills and submits a return, the unit approves it,
and the admin's dashboard figure moves by exactly that amount.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from keyproj.accounts.models import Membership, Role, User
from keyproj.browser_tests import login, screenshot, tab, visit
from keyproj.browser_tests.conftest import PHONE
from keyproj.core.money import yi
from keyproj.core.period import Period
from keyproj.metrics.figures import summary
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus

# django_db: the run must set up a test database for the demo (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AUGUST = Period(2019, 8)
# 2.34亿元 exactly: the dashboard shows 亿元 to two places, so the move it shows is exact too.
AMOUNT = Decimal("23400.00")


@pytest.fixture(scope="module")
def reviewer_of_owners_projects(demo_server: Any, django_db_blocker: Any) -> Iterator[Project]:
    """The owner's first project, with the demo's `unit` made an officer of its responsible unit.

    In the demo `unit` already sits in 市住房局, the unit the owner (安居集团) builds for; should
    that change, the membership is added for the module and taken away after it. Module-scoped, like the
    demo, so that it is committed before a test's transaction begins: on PostgreSQL the live
    server's own connection would not see a row written inside that transaction.
    """
    with django_db_blocker.unblock():
        project = Project.objects.filter(owner__name="厦门安居集团有限公司").order_by("code").first()
        assert project is not None
        unit = User.objects.get(username="unit")
        membership, created = Membership.objects.get_or_create(
            user=unit, organisation=project.responsible_unit, role=Role.UNIT_OFFICER
        )
    try:
        yield project
    finally:
        with django_db_blocker.unblock():
            ProgressReturn.objects.filter(project=project, year=AUGUST.year, month=AUGUST.month).delete()
            if created:
                membership.delete()


def _actual_card(page: Any) -> str:
    """The 实际完成投资 card's figure (亿元) on the dashboard."""
    card = page.locator(".cards .card", has=page.locator("dt", has_text="实际完成投资"))
    return card.locator("dd a").inner_text().strip().replace(",", "")  # 1,192.70 reads as a number


def test_a_return_submitted_by_the_owner_and_approved_by_the_unit_moves_the_dashboard(
    browser, demo_server, reviewer_of_owners_projects
):
    project = reviewer_of_owners_projects
    admin = User.objects.get(username="admin")
    before = summary(admin, AUGUST).actual_to_date

    with tab(browser, demo_server) as page:
        login(page, "admin", next=f"/?period={AUGUST}")
        shown_before = _actual_card(page)
    assert shown_before == str(yi(before))

    # The owner fills this project's row for August and submits it.
    with tab(browser, demo_server) as page:
        login(page, "owner", next="/returns/")
        assert "2019年8月" in page.locator("h1").inner_text()
        row = page.locator(f"#row-{project.pk}")
        row.get_by_label(f"{project.name} 本月完成投资(万元)").fill("23400")
        row.get_by_label(f"{project.name} 形象进度").fill("主体结构施工至第3层")
        row.locator(f"input[name='r{project.pk}-submit']").check()
        with page.expect_navigation():
            page.get_by_role("button", name="保存并提交勾选项目").click()
        assert "已提交审核" in page.locator("main").inner_text()
        assert "已提交" in page.locator(f"#row-{project.pk}").inner_text()
        screenshot(page, "reporting-owner-submitted")
    ret = ProgressReturn.objects.get(project=project, year=AUGUST.year, month=AUGUST.month)
    assert ret.status == ReturnStatus.SUBMITTED
    assert ret.investment == AMOUNT

    # The unit reviews it: the row is approved in place.
    with tab(browser, demo_server) as page:
        login(page, "unit", next=f"/returns/review/?period={AUGUST}")
        row = page.locator(f"#review-{ret.pk}")
        assert project.name in row.inner_text()
        row.get_by_role("button", name="通过").click()
        page.locator(f"#review-{ret.pk}").get_by_text("已审核通过").wait_for()
        screenshot(page, "reporting-unit-approved")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.APPROVED

    after = summary(admin, AUGUST).actual_to_date
    assert after - before == AMOUNT
    with tab(browser, demo_server) as page:
        login(page, "admin", next=f"/?period={AUGUST}")
        shown_after = _actual_card(page)
    assert Decimal(shown_after) - Decimal(shown_before) == yi(AMOUNT)


def test_the_entry_page_fits_a_phone(browser, demo_server):
    with tab(browser, demo_server, PHONE) as page:
        login(page, "owner", next="/returns/")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the entry page is {width}px wide on a {PHONE['width']}px phone"
        screenshot(page, "reporting-owner-phone")


def test_an_owner_cannot_open_the_review_page(browser, demo_server):
    with tab(browser, demo_server) as page:
        login(page, "owner")
        visit(page, "/returns/review/", status=403)
