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
    assert "2019年第2季度" in page.locator("main").inner_text()
    screenshot(page, "agents-index-desktop")
    visit(page, "/agents/inspections/2019/q1/")
    text = page.locator("main").inner_text()
    assert "20190315" in text and "keyproj inspections show --quarter 2019Q1" in text
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
    login(page, "staff", next="/agents/inspections/")
    page.fill("input[name=quarter]", "2019Q3")
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
