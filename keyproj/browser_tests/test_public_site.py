"""The public site in a real browser: from the list of months to a month and to one of its projects,
on a laptop and on a phone, with the chart drawn."""

from __future__ import annotations

import pytest
from django.test import override_settings

from keyproj.browser_tests import screenshot, visit, wait_for_charts
from keyproj.browser_tests.conftest import PHONE
from keyproj.core.period import Period
from keyproj.opendata.published import published_close, published_projects

# django_db: the run must set up a test database for the demo (see keyproj/browser_tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def walk(tab, name: str) -> None:
    """Index → July → the first project of July's list, checking each page and its chart."""
    visit(tab, "/public/")
    wait_for_charts(tab)
    assert tab.locator("#public-chart canvas").count() >= 1
    tab.get_by_role("link", name="2019年7月").first.click()
    tab.wait_for_load_state()
    assert "/public/2019-07/" in tab.url
    assert "1-7月，全市357个市重点项目" in tab.locator("main").inner_text()
    first = published_projects(published_close(Period(2019, 7)))[0]
    tab.locator("#projects table a", has_text=first["name"]).first.click()
    tab.wait_for_load_state()
    assert f"/public/2019-07/projects/{first['code']}/" in tab.url
    wait_for_charts(tab)
    chart = tab.locator("#public-chart canvas").first
    assert chart.is_visible()
    box = chart.bounding_box()
    viewport = tab.viewport_size
    assert box is not None and viewport is not None and 0 < box["width"] <= viewport["width"]
    screenshot(tab, f"public-{name}-project")


def test_a_visitor_goes_from_the_months_to_a_project_on_a_laptop(page):
    with override_settings(KEYPROJ_PUBLIC=True):
        walk(page, "desktop")


def test_a_visitor_goes_from_the_months_to_a_project_on_a_phone(page):
    with override_settings(KEYPROJ_PUBLIC=True):
        page.set_viewport_size(PHONE)
        walk(page, "phone")
        # Nothing wider than the screen but the tables, which scroll inside their own box.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]


def test_the_site_is_not_there_while_public_is_off(page):
    with override_settings(KEYPROJ_PUBLIC=False):
        visit(page, "/public/", status=404)
