"""代建管理 in a real browser: the credit ranking chart, a firm's own file only, scoring from the sheet,
a dry-run draw, and the project page's inspection panel (htmx)."""

from __future__ import annotations

import pytest

from keyproj.agents.models import Inspection, InspectionRound
from keyproj.browser_tests import login, screenshot, visit, wait_for_charts
from keyproj.browser_tests.conftest import PHONE
from keyproj.orgs.models import Organisation

# django_db: the run must set up a test database for the demo (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_office_sees_the_ranking_and_a_quarters_results(page):
    login(page, "staff", next="/agents/")
    wait_for_charts(page)
    assert page.locator("#chart-ranking canvas").count() == 1
    assert "2019年第二季度" in page.locator("main").inner_text()
    screenshot(page, "agents-index-desktop")
    visit(page, "/agents/rounds/2019/q1/")
    text = page.locator("main").inner_text()
    assert "20190315" in text and "结果一致" in text and "keyproj" not in text
    page.click("summary:has-text('如何验证')")
    assert page.locator(".how-to-verify p").first.is_visible()
    with page.expect_download() as download:
        page.click("text=下载抽取记录")
    assert download.value.suggested_filename.endswith(".json")
    rows = page.locator("main table tbody tr").count()
    assert rows == Inspection.objects.filter(round__year=2019, round__quarter=1).count()


def test_a_firm_sees_its_own_file_and_not_another_firms(page):
    login(page, "agent", next="/agents/")
    heading = page.locator("main h1").inner_text()
    own = Organisation.objects.get(memberships__user__username="agent")
    assert own.name in heading
    other = Organisation.objects.filter(kind="agent_builder").exclude(pk=own.pk).first()
    visit(page, f"/agents/firms/{other.pk}/", status=404)


def test_a_dry_run_draw_shows_the_projects_without_recording(page):
    login(page, "staff", next="/agents/rounds/")
    page.select_option("select[name=quarter]", label="2019年第三季度")
    page.fill("input[name=seed]", "20190916")
    page.fill("input[name=count]", "5")
    with page.expect_navigation():
        page.click("button[value=preview]")
    assert page.locator(".preview li").count() == 5
    assert not InspectionRound.objects.filter(year=2019, quarter=3).exists()


def test_the_project_page_loads_its_inspection_panel(page):
    inspection = Inspection.objects.select_related("project").order_by("pk").first()
    login(page, "staff", next=f"/projects/{inspection.project_id}/")
    panel = page.locator(".agent-panel")
    panel.wait_for()
    assert inspection.round.__str__() in panel.inner_text()


def test_the_credit_page_fits_a_phone(browser, demo_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=demo_server.url)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    try:
        login(phone, "staff", next="/agents/credit/")
        wait_for_charts(phone)
        # Wide tables scroll inside their own box; the page itself does not scroll sideways.
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        screenshot(phone, "agents-credit-phone")
    finally:
        context.close()


@pytest.mark.parametrize("username", ["siming", "unit", "owner"])
def test_districts_units_and_owners_see_the_firms_building_their_projects(page, username):
    login(page, username, next="/agents/")
    main = page.locator("main")
    assert "为您负责的项目代建的单位" in main.inner_text()
    firms = main.locator("table").first.locator("tbody tr")
    assert firms.count() >= 1
    # No tab leads to another firm's file (credit, attendance, final accounts).
    assert page.locator(".agent-tabs a").all_inner_texts() == ["概览", "名录库", "督查考评"]
    wait_for_charts(page)
    screenshot(page, f"agents-{username}")
