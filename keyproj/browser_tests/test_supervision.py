"""月度督办 in a real browser, on the demo (January to July 2019 closed): the month's page,
the ranking charts, the cards, the forecast on the dashboard, and a district's narrower view."""

from __future__ import annotations

import pytest

from keyproj.browser_tests import login, screenshot, visit, wait_for_charts
from keyproj.browser_tests.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CITY_SENTENCE = (
    "1-7月，全市357个市重点项目计划投资595.31亿元，实际完成投资777.40亿元，超182.09亿元，"
    "完成序时进度计划130.59%，完成年度计划65.18%。"
)


def test_the_office_sees_july_closed_with_the_sentence_lists_and_notices(page):
    login(page, "admin", next="/supervision/2019-07/")
    main = page.locator("main")
    text = main.inner_text()
    assert CITY_SENTENCE in text
    assert "已关账" in text
    for label in ("各区", "责任单位", "片区指挥部", "市属国企"):
        assert label in text
    assert main.get_by_role("link", name="通报（PDF）").count() == 1
    screenshot(page, "supervision-july")


def test_the_ranking_page_draws_its_two_charts(page):
    login(page, "leader", next="/supervision/2019-07/ranking/districts/")
    wait_for_charts(page)
    assert page.locator("[_echarts_instance_]").count() == 2
    ranks = page.locator("main table tbody tr td:first-child").all_inner_texts()
    assert len(ranks) == 6 and ranks[0].strip() == "1"
    screenshot(page, "supervision-ranking")


def test_a_district_sees_only_its_own_row_and_cards(page):
    login(page, "siming", next="/supervision/2019-07/ranking/districts/")
    rows = page.locator("main table tbody tr th").all_inner_texts()
    assert [r.strip() for r in rows] == ["思明区"]
    visit(page, "/supervision/2019-07/cards/")
    districts = page.locator("main table tbody th small").all_inner_texts()
    assert districts and all("思明区" in d for d in districts)
    # July's notice is issued, a publication every district reads; August's preview is the office's alone.
    assert page.request.get("/supervision/2019-07/notice.pdf").status == 200
    assert page.request.get("/supervision/2019-08/notice.pdf").status == 404


def test_the_dashboard_loads_the_forecast_panel(page):
    login(page, "admin")
    panel = page.locator("#forecast-panel")
    panel.wait_for()
    assert "预计全年完成" in panel.inner_text()


def test_the_month_page_fits_a_phone(browser, demo_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=demo_server.url)
    tab = context.new_page()
    try:
        login(tab, "admin", next="/supervision/2019-07/")
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"
        screenshot(tab, "supervision-july-phone")
    finally:
        context.close()
