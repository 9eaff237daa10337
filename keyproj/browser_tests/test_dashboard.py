"""The dashboard in a real browser: every demo role's figures, the district bars, the English switch."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from keyproj.accounts.models import User
from keyproj.browser_tests import DISTRICT_HEADER, HAN, login, table_column, wait_for_charts
from keyproj.core.period import Period
from keyproj.demo.data.organisations import DEMO_USERNAMES
from keyproj.metrics.figures import summary

# django_db: the run must set up a test database for the demo (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROLES = ["admin", "staff", "leader", "siming", "haicang", "unit", "owner", "agent", "inspector"]
JULY_2019 = Period(2019, 7)
# The seed's published sentence for the whole city, word for word.
CITY_SENTENCE = (
    "1-7月，全市357个市重点项目计划投资595.31亿元，实际完成投资777.40亿元，超182.09亿元，"
    "完成序时进度计划130.59%，完成年度计划65.18%。"
)


def test_the_roles_tested_are_all_the_demo_accounts(demo_server):
    assert sorted(ROLES) == sorted(DEMO_USERNAMES)


def test_the_admin_sees_the_citys_published_figures(page):
    login(page, "admin")

    text = page.locator("main").inner_text()
    assert CITY_SENTENCE in text
    assert "777.40" in text


@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_the_sentence_of_what_it_may_see(page, username):
    expected = summary(User.objects.get(username=username), JULY_2019).sentence()

    login(page, username)

    assert expected in page.locator("main").inner_text()


def _district_bar(page: Any, district: str) -> dict[str, float]:
    """The page coordinates of the middle of a district's bar on the dashboard's district chart."""
    chart = page.locator("#chart-district")
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => window.echarts && echarts.getInstanceByDom(document.getElementById('chart-district'))"
    )
    wait_for_charts(page)
    point = page.evaluate(
        """(district) => {
            const c = echarts.getInstanceByDom(document.getElementById('chart-district'));
            const option = c.getOption();
            // The bars may stand (categories along x) or lie (categories along y).
            const standing = option.xAxis && option.xAxis[0] && option.xAxis[0].type === 'category';
            const axis = standing ? option.xAxis[0] : option.yAxis[0];
            const names = (axis.data || []).map((d) => (d && typeof d === 'object' ? d.value : d));
            const index = names.indexOf(district);
            if (index < 0) return {missing: names};
            // Where ECharts drew the bar; a bar sits beside its category's centre when a
            // category has several, so the centre alone could fall in the gap between them.
            const layout = c.getModel().getSeriesByIndex(0).getData().getItemLayout(index);
            if (layout && layout.width !== undefined) {
                return {x: layout.x + layout.width / 2, y: layout.y + layout.height / 2};
            }
            const datum = option.series[0].data[index];
            let value = datum && typeof datum === 'object' ? datum.value : datum;
            if (Array.isArray(value)) value = value[standing ? 1 : 0];
            // Aim at the middle of the bar, not its tip, so that a thin bar is still hit.
            const half = Number(value) / 2;
            const [x, y] = c.convertToPixel({seriesIndex: 0}, standing ? [index, half] : [half, index]);
            return {x, y};
        }""",
        district,
    )
    assert "missing" not in point, f"{district} is not among the chart's categories {point.get('missing')}"
    box = chart.bounding_box()
    return {"x": box["x"] + point["x"], "y": box["y"] + point["y"]}


def test_clicking_a_districts_bar_opens_the_register_filtered_by_that_district(page):
    login(page, "admin")

    # The bar is found where ECharts drew it and clicked there; if the page was still settling (a
    # chart resizing as the page's other charts arrive), the click lands beside it and nothing
    # happens, so the bar is found again and clicked again, up to three times.
    for _ in range(3):
        bar = _district_bar(page, "海沧区")
        page.mouse.click(bar["x"], bar["y"])
        try:
            page.wait_for_url(lambda url: "district=" in url, timeout=5000)
            break
        except PlaywrightTimeoutError:
            continue
    else:
        pytest.fail("clicking 海沧区's bar three times never opened the register")

    assert "/projects/" in page.url
    districts = table_column(page, DISTRICT_HEADER)
    assert districts, "the filtered register shows no projects"
    assert set(districts) == {"海沧区"}


def test_the_language_switch_turns_the_dashboards_headings_into_english(page):
    login(page, "admin")
    form = page.locator("header form:has(select[name=language])")
    form.locator("select[name=language]").select_option("en")
    with page.expect_navigation():
        form.get_by_role("button").click()

    headings = [text.strip() for text in page.locator("main h1, main h2").all_inner_texts() if text.strip()]
    assert headings, "the dashboard has no headings"
    assert [h for h in headings if HAN.search(h)] == []
    assert page.locator("header").get_by_role("link", name="首页").count() == 0
