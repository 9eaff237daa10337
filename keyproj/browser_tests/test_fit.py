"""Pages fit their screen: the register at laptop widths, the menu on a phone, the API documentation, errors."""

from __future__ import annotations

from typing import Any

import pytest

from keyproj.browser_tests import login, screenshot, tab, visit
from keyproj.browser_tests.conftest import PHONE

# django_db: the run must set up a test database for the demo (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

NAV_ITEMS = [
    "首页",
    "一张图",
    "项目库",
    "年度计划",
    "月度填报",
    "督办通报",
    "问题协调",
    "代建管理",
    "通报",
    "单位",
    "审计日志",
    "定时任务",
    "规则",
]


def sized_tab(browser: Any, demo_server: Any, width: int, height: int = 900) -> Any:
    """A fresh, signed-out tab of the given size."""
    return tab(browser, demo_server, {"width": width, "height": height})


def _register_ready(page: Any) -> None:
    """register.js has fitted the columns: it shows the chooser when it is done."""
    page.locator(".col-chooser > summary").wait_for(state="visible")


def _overflow(page: Any) -> dict[str, int]:
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            const wrap = document.querySelector('main .table-wrap');
            const last = document.querySelector('table.register thead th:last-child');
            const right = (el) => el.getBoundingClientRect().right;
            return {page: root.scrollWidth - root.clientWidth, table: wrap.scrollWidth - wrap.clientWidth,
                    last: Math.ceil(right(last)) - Math.floor(right(wrap))};
        }"""
    )


def _shown(page: Any, column: str) -> bool:
    return page.locator(f"table.register thead th.col-{column}").is_visible()


@pytest.mark.parametrize("width", [1280, 1440])
@pytest.mark.parametrize("language", ["", "en"])
def test_the_register_reads_without_scrolling_sideways(browser, demo_server, width, language):
    with sized_tab(browser, demo_server, width) as page:
        login(page, "admin", next="/projects/")
        if language:
            # English words are longer: the same register must fit in either language.
            page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
            visit(page, "/projects/")
            assert page.locator("html").get_attribute("lang") == "en"
        _register_ready(page)

        overflow = _overflow(page)
        assert overflow["page"] <= 0, f"the page scrolls sideways by {overflow['page']}px at {width}px"
        # The table itself fits its box: the last column is not cut off behind a scroll bar.
        assert overflow["table"] <= 1, f"the table is {overflow['table']}px too wide at {width}px"
        assert overflow["last"] <= 1
        assert _shown(page, "name") and _shown(page, "schedule_rate") and _shown(page, "annual_rate")
        screenshot(page, f"fit-register-{width}{'-en' if language else ''}")


def test_every_column_can_be_shown_and_the_choice_is_remembered(browser, demo_server):
    with sized_tab(browser, demo_server, 1280) as page:
        login(page, "admin", next="/projects/")
        _register_ready(page)
        assert not _shown(page, "code"), "at 1280 px the code folds first"
        assert _shown(page, "district")

        page.locator(".col-chooser > summary").click()
        menu = page.locator(".col-menu")
        menu.get_by_label("项目代码").check()
        menu.get_by_label("所属区").uncheck()
        assert _shown(page, "code") and not _shown(page, "district")
        screenshot(page, "fit-register-chooser")

        # Another page of the register, then a fresh visit: the choice holds.
        page.locator(".pager a[rel=next]").click()
        page.wait_for_url("**after=**")
        _register_ready(page)
        assert _shown(page, "code") and not _shown(page, "district")
        visit(page, "/projects/")
        _register_ready(page)
        assert _shown(page, "code") and not _shown(page, "district")

        # 恢复默认 forgets the choice: the columns fit the screen again.
        page.locator(".col-chooser > summary").click()
        page.locator(".col-menu").get_by_role("button", name="恢复默认").click()
        assert not _shown(page, "code") and _shown(page, "district")
        assert _overflow(page)["table"] <= 1


def test_every_menu_item_is_reachable_on_a_phone(browser, demo_server):
    with sized_tab(browser, demo_server, PHONE["width"], PHONE["height"]) as page:
        login(page, "admin")
        links = page.locator("nav.areas a")
        assert [text.strip() for text in links.all_text_contents()] == NAV_ITEMS
        assert not links.first.is_visible(), "the menu starts folded"
        button = page.get_by_role("button", name="菜单")
        assert button.is_visible()
        assert button.get_attribute("aria-expanded") == "false"
        screenshot(page, "fit-phone-menu-closed")

        button.click()

        assert button.get_attribute("aria-expanded") == "true"
        for index, name in enumerate(NAV_ITEMS):
            link = links.nth(index)
            assert link.is_visible(), f"{name} is not visible in the open menu"
            box = link.bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{name} lies off the screen"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "fit-phone-menu-open")

        with page.expect_navigation():
            links.nth(NAV_ITEMS.index("代建管理")).click()
        assert "/agents/" in page.url


def test_the_menu_folds_again_with_escape(browser, demo_server):
    with sized_tab(browser, demo_server, PHONE["width"], PHONE["height"]) as page:
        login(page, "owner")
        button = page.get_by_role("button", name="菜单")
        button.click()
        assert page.locator("nav.areas").is_visible()

        page.keyboard.press("Escape")

        assert not page.locator("nav.areas").is_visible()
        assert button.get_attribute("aria-expanded") == "false"


def test_the_desktop_header_shows_the_areas_without_a_menu_button(page):
    login(page, "admin")

    assert not page.get_by_role("button", name="菜单").is_visible()
    for name in NAV_ITEMS:
        assert page.locator("nav.areas").get_by_role("link", name=name, exact=True).is_visible()


def test_the_api_documentation_opens_from_the_footer_and_asks_no_other_site(page, demo_server):
    elsewhere: list[str] = []
    page.on(
        "request", lambda request: None if request.url.startswith(demo_server.url) else elsewhere.append(request.url)
    )
    login(page, "staff")

    with page.expect_navigation():
        page.locator("footer").get_by_role("link", name="API 文档").click()

    assert page.url.endswith("/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 20
    assert elsewhere == []
    screenshot(page, "fit-api-docs")


def test_an_unknown_address_shows_the_sites_chinese_page(page):
    login(page, "siming")

    visit(page, "/no-such-page/", status=404)

    assert page.locator("main h1").inner_text() == "页面不存在"
    assert page.locator("header .brand").is_visible()
    screenshot(page, "fit-not-found")
