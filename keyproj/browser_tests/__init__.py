"""Browser tests: the pages driven in Debian's Chromium through Playwright, against the demo data.

The fixtures are in conftest.py; the helpers the tests share are here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings

DEMO_PASSWORD = "keyproj-demo"
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
# A Han character: how a test tells Chinese text from English.
HAN = re.compile(r"[\u4e00-\u9fff]")
# The register's district column: 所属区 (or 区, 所在区), perhaps followed by a sort mark.
DISTRICT_HEADER = re.compile(r"^(所属|所在)?区")
PROJECT_LINK = re.compile(r"/projects/(\d+)/$")


@contextmanager
def tab(browser: Any, server: Any, viewport: dict[str, int] | None = None) -> Iterator[Any]:
    """A fresh signed-out tab of its own, in Chinese (each user signs in in their own browser)."""
    context = browser.new_context(
        viewport=viewport or {"width": 1366, "height": 768}, locale="zh-CN", base_url=server.url
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def login(page: Any, username: str, next: str = "/", password: str = DEMO_PASSWORD) -> Any:
    """Sign in through the login form, as a person would, and land on `next` (the dashboard by default).

    Returns the response of the page landed on, whose status has been checked.
    """
    visit(page, f"/accounts/login/?{urlencode({'next': next})}")
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_label("密码", exact=True).press("Enter")
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
    response = navigation.value
    assert response is not None
    assert response.status == 200, f"{next} answered {response.status} after signing in"
    return response


def visit(page: Any, path: str, status: int = 200) -> Any:
    """Open a page and check the status it answered with, so that a broken page fails at once."""
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}, not {status}"
    return response


def wait_for_charts(page: Any) -> None:
    """Wait until every ECharts chart on the page has been drawn and its animation, if any, is over."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[_echarts_instance_]')].every((el) => {
            const chart = window.echarts && window.echarts.getInstanceByDom(el);
            if (!chart) return false;
            const animation = chart.getZr().animation;
            return typeof animation.isFinished === 'function' ? animation.isFinished() : true;
        })"""
    )


def table_column(page: Any, header: re.Pattern[str]) -> list[str]:
    """The texts of one column of the page's main table, found by its header's text."""
    table = page.locator("main table").first
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    index = next((i for i, text in enumerate(headers) if header.search(text)), None)
    assert index is not None, f"no column header matches {header.pattern!r} among {headers}"
    return [row.locator("th, td").nth(index).inner_text().strip() for row in table.locator("tbody tr").all()]


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page PNG under test-artifacts/screenshots/ (kept out of git) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def listed_project_ids(page: Any) -> list[int]:
    """The ids of the projects the page's main table links to, in order."""
    hrefs = page.locator("main table tbody a[href]").evaluate_all("links => links.map((a) => a.pathname)")
    return [int(m.group(1)) for href in hrefs if (m := PROJECT_LINK.search(href))]
