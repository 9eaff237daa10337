"""The Content-Security-Policy in a real browser: no page breaks it, and chart tooltips show names as text.

The policy allows no inline script, so a page that still carried one (or an onclick=) would log a
violation and lose that behaviour; the checks below open the pages that carry scripts and require
a silent console, drawn charts, working htmx, the phone menu and Swagger UI.
"""

from __future__ import annotations

from typing import Any

import pytest

from keyproj.browser_tests import login, screenshot, visit, wait_for_charts
from keyproj.browser_tests.conftest import PHONE
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Short enough for a district's short name (30 characters), so PostgreSQL stores it whole.
HOSTILE = '<img src=x onerror="xss=1">'


def watch(page: Any) -> list[str]:
    """Collect the console's CSP complaints and the page's uncaught errors as they come."""
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and ("Content Security Policy" in m.text or "Refused to" in m.text)
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    return problems


def test_the_pages_send_a_policy_without_inline_script(page):
    response = visit(page, "/accounts/login/")

    policy = response.headers["content-security-policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "default-src 'self'" in policy


def test_the_dashboard_draws_its_charts_without_a_violation(page):
    problems = watch(page)
    login(page, "admin")
    wait_for_charts(page)

    count = page.evaluate(
        "() => [...document.querySelectorAll('[_echarts_instance_]')]"
        ".filter((el) => echarts.getInstanceByDom(el)).length"
    )
    assert count >= 3
    screenshot(page, "csp-dashboard")
    assert problems == []


def test_a_project_page_loads_its_htmx_panel_and_chart_without_a_violation(page):
    project = Project.objects.order_by("pk").first()
    problems = watch(page)
    login(page, "admin", next=f"/projects/{project.pk}/")

    page.wait_for_function("() => !document.body.innerText.includes('正在加载……')")
    wait_for_charts(page)
    screenshot(page, "csp-project")
    assert problems == []


def test_the_register_sorts_through_htmx_without_a_violation(page):
    problems = watch(page)
    login(page, "admin", next="/projects/")

    heading = page.locator("#results thead a[hx-get]").first
    with page.expect_response(lambda r: "/projects/" in r.url and r.request.headers.get("hx-request") == "true"):
        heading.click()
    screenshot(page, "csp-register")
    assert problems == []


def test_the_close_page_works_without_a_violation(page):
    problems = watch(page)
    login(page, "admin", next="/supervision/2019-08/")

    screenshot(page, "csp-close")
    assert problems == []


def test_swagger_ui_runs_from_its_static_init_script(page):
    problems = watch(page)
    visit(page, "/api/docs/")

    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert page.locator(".swagger-ui .opblock").count() > 10
    screenshot(page, "csp-api-docs")
    assert problems == []


def test_the_phone_menu_opens_under_the_policy(browser, demo_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=demo_server.url)
    try:
        tab = context.new_page()
        problems = watch(tab)
        login(tab, "admin")
        toggle = tab.locator(".nav-toggle")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert tab.locator("#site-areas a").first.is_visible()
        screenshot(tab, "csp-phone-menu")
        assert problems == []
    finally:
        context.close()


def test_an_auto_submitting_select_still_submits(page):
    problems = watch(page)
    login(page, "admin", next="/plans/")

    select = page.locator("select#plan-status")
    options = select.locator("option").all()
    assert len(options) > 1
    with page.expect_navigation():
        select.select_option(index=len(options) - 1 if options[0].is_checked() else 0)
    assert problems == []


def _tooltip_after_hovering(page: Any, chart_id: str) -> Any:
    page.evaluate(
        """(id) => {
            const chart = echarts.getInstanceByDom(document.getElementById(id));
            chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
        }""",
        chart_id,
    )
    tip = page.locator(f"#{chart_id} div").filter(has_text="onerror").last
    tip.wait_for()
    return tip


def test_a_district_named_as_markup_shows_as_text_in_the_dashboard_tooltip(page):
    district = Organisation.objects.filter(kind=OrgKind.DISTRICT).order_by("code").first()
    before = (district.name, district.short_name)
    # Committed outside the test's transaction, so the live server sees it on PostgreSQL too.
    _rename(district.pk, HOSTILE, HOSTILE)
    try:
        login(page, "admin")
        wait_for_charts(page)
        page.locator("#chart-district").scroll_into_view_if_needed()
        tip = _tooltip_after_hovering(page, "chart-district")

        assert HOSTILE in tip.inner_text()
        assert tip.locator("img").count() == 0
        assert page.evaluate("() => window.xss") is None
        screenshot(page, "csp-hostile-tooltip")
    finally:
        _rename(district.pk, *before)


def _rename(pk: int, name: str, short_name: str) -> None:
    """Rename an organisation on a connection of its own, committed at once (the test's own is in a transaction)."""
    import threading

    from django.db import connection as test_connection

    if test_connection.vendor == "sqlite":
        # The in-memory test database is one connection the live server shares: a plain update is seen.
        Organisation.objects.filter(pk=pk).update(name=name, short_name=short_name)
        return

    def work() -> None:
        from django.db import connection

        try:
            Organisation.objects.filter(pk=pk).update(name=name, short_name=short_name)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


@pytest.mark.parametrize(
    ("path", "chart_id"),
    [
        ("/", "chart-unit"),
        ("/", "chart-trend"),
        ("/supervision/2019-07/ranking/districts/", "chart-scores"),
        ("/supervision/2019-07/ranking/districts/", "chart-history"),
        ("/agents/credit/", "chart-ranking"),
    ],
)
def test_every_chart_tooltip_shows_a_markup_name_as_text(page, path, chart_id):
    login(page, "admin", next=path)
    if not page.locator(f"#{chart_id}").count():
        pytest.skip(f"{path} draws no #{chart_id} on the demo")
    wait_for_charts(page)
    # The chart's own names (categories and series) are replaced by markup, then its tooltip opened.
    page.evaluate(
        """([id, name]) => {
            const chart = echarts.getInstanceByDom(document.getElementById(id));
            const option = chart.getOption();
            const rename = (axes) =>
                (axes || []).map((a) => (a.type === 'category' ? {data: a.data.map(() => name)} : {}));
            chart.setOption({
                xAxis: rename(option.xAxis), yAxis: rename(option.yAxis),
                series: option.series.map(() => ({name: name})),
            });
        }""",
        [chart_id, HOSTILE],
    )
    tip = _tooltip_after_hovering(page, chart_id)

    assert HOSTILE in tip.inner_text()
    assert tip.locator("img").count() == 0
    assert page.evaluate("() => window.xss") is None
