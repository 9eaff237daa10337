"""一张图 and the location picker in a real browser, over the demo.

The map draws the city's six districts and the points the user may see; a click on a district
filters the list beside it; the picker on a project page stores a point clicked inside the
project's district and refuses, with the reason shown, one in the sea and one in another district.
Screenshots of the map, the home page's panel and the picker, on a laptop and a phone, go to
/tmp/shots17/map/ (KEYPROJ_MAP_SHOTS) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from keyproj.browser_tests import login, visit
from keyproj.core import geo
from keyproj.projects.models import Project

# django_db: the run must set up a test database for the demo (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SIMING = "350203"
SHOTS = Path(os.environ.get("KEYPROJ_MAP_SHOTS", "/tmp/shots17/map"))
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def located() -> Any:
    return Project.objects.filter(lng__isnull=False, lat__isnull=False)


def wait_for_map(page: Any, selector: str = "#city-map") -> Any:
    page.wait_for_function(f"() => document.querySelector('{selector}')?.hasAttribute('data-points')")
    return page.locator(selector)


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000, f"{path} looks empty"


# Pixels of the chart in `selector` on a grid, each with the map coordinate under it, whether it lies in
# the region named (ECharts' own test), and how far it is from the nearest drawn point.
PIXELS = """([selector, region]) => {
    const el = document.querySelector(selector);
    const chart = echarts.getInstanceByDom(el);
    const geo = chart.getModel().getComponent('geo').coordinateSystem;
    const target = region ? geo.getRegion(region) : null;
    const points = [];
    chart.getOption().series.filter((s) => s.type === 'scatter').forEach((s) => s.data.forEach((d) => {
        points.push(chart.convertToPixel({geoIndex: 0}, d.value.slice(0, 2)));
    }));
    const found = [];
    for (let x = 12; x < el.clientWidth - 12; x += 9) {
        for (let y = 12; y < el.clientHeight - 12; y += 9) {
            const at = chart.convertFromPixel({geoIndex: 0}, [x, y]);
            const gap = points.reduce((m, p) => Math.min(m, Math.hypot(p[0] - x, p[1] - y)), Infinity);
            found.push({x, y, lng: at[0], lat: at[1], inside: target ? target.contain(at) : null, gap});
        }
    }
    return found;
}"""


def test_the_admin_sees_the_six_districts_and_every_point(page):
    login(page, "admin", next="/map/")

    chart = wait_for_map(page)

    assert chart.get_attribute("data-districts") == "6"
    assert int(chart.get_attribute("data-points")) == located().count() > 300
    assert page.locator("#map-projects li").count() == located().count()


def test_the_siming_officer_sees_only_simings_points(page):
    login(page, "siming", next="/map/")

    chart = wait_for_map(page)

    expected = located().filter(district__code=SIMING).count()
    assert expected > 0
    assert int(chart.get_attribute("data-points")) == expected
    districts = page.locator("#map-projects li").evaluate_all("items => items.map((li) => li.dataset.district)")
    assert set(districts) == {SIMING}


def test_a_click_on_a_district_filters_the_list_and_a_second_click_brings_the_city_back(page):
    login(page, "admin", next="/map/")
    chart = wait_for_map(page)
    everyone = page.locator("#map-projects li:visible").count()
    name = "湖里区"
    code = "350206"

    chart.scroll_into_view_if_needed()
    pixels = page.evaluate(PIXELS, ["#city-map", name])
    spot = max((p for p in pixels if p["inside"]), key=lambda p: p["gap"])
    box = chart.bounding_box()
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])

    page.wait_for_function(f"() => document.querySelector('#city-map').dataset.district === '{code}'")
    visible = page.locator("#map-projects li:visible")
    assert visible.count() == located().filter(district__code=code).count()
    assert set(visible.evaluate_all("items => items.map((li) => li.dataset.district)")) == {code}
    assert page.locator("#map-list-title").inner_text() == name
    assert int(chart.get_attribute("data-points")) == visible.count()

    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    page.wait_for_function("() => document.querySelector('#city-map').dataset.district === ''")
    assert page.locator("#map-projects li:visible").count() == everyone


def test_the_switch_colours_the_districts_by_ranking_score(page):
    login(page, "admin", next="/map/")
    wait_for_map(page)

    page.get_by_label("红黑榜得分").check()

    kind = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('city-map')).getOption().visualMap[0].type"
    )
    assert kind == "continuous"


def test_a_click_on_a_point_opens_the_project(page):
    login(page, "siming", next="/map/")
    chart = wait_for_map(page)
    spot = page.evaluate(
        """() => {
            const c = echarts.getInstanceByDom(document.getElementById('city-map'));
            const d = c.getOption().series[1].data[0];
            return c.convertToPixel({geoIndex: 0}, d.value.slice(0, 2));
        }"""
    )
    box = chart.bounding_box()

    with page.expect_navigation():
        page.mouse.click(box["x"] + spot[0], box["y"] + spot[1])

    assert "/projects/" in page.url


def _picker_spots(page: Any, district: str) -> dict[str, dict[str, float]]:
    """A pixel of the picker's map inside the project's district, one in the sea, one in another district.

    Each is well inside its kind (its four neighbours on the grid are of the same kind), so that the
    rounding of a click cannot carry it across a border.
    """
    page.wait_for_function("() => document.getElementById('location-map')?.dataset.ready === '1'")
    pixels = page.evaluate(PIXELS, ["#location-map", ""])
    boundary = geo.load_boundary()
    crs = geo.boundary_settings()[1]
    kinds: dict[tuple[int, int], str] = {}
    for pixel in pixels:
        found = boundary.district_at(pixel["lng"], pixel["lat"], crs)
        kinds[(pixel["x"], pixel["y"])] = "own" if found and found.code == district else ("other" if found else "sea")
    spots: dict[str, dict[str, float]] = {}
    for pixel in pixels:
        x, y = pixel["x"], pixel["y"]
        kind = kinds[(x, y)]
        around = [kinds.get((x + dx, y + dy)) for dx, dy in ((9, 0), (-9, 0), (0, 9), (0, -9))]
        if kind not in spots and all(k == kind for k in around) and pixel["gap"] > 20:
            spots[kind] = pixel
    return spots


def test_the_picker_stores_a_point_in_the_district_and_refuses_the_sea_and_another_district(page):
    project = located().filter(district__code=SIMING).order_by("code").first()
    before = (project.lng, project.lat)
    login(page, "admin", next=f"/projects/{project.pk}/")
    spots = _picker_spots(page, SIMING)
    assert {"own", "sea", "other"} <= spots.keys(), f"the picker's map should show land, sea and a neighbour: {spots}"
    page.locator("#location-map").scroll_into_view_if_needed()
    box = page.locator("#location-map").bounding_box()
    status = page.locator("#location-status")
    try:
        for kind in ("sea", "other"):
            page.mouse.click(box["x"] + spots[kind]["x"], box["y"] + spots[kind]["y"])
            page.wait_for_function("() => document.getElementById('location-status').classList.contains('refused')")
            assert status.inner_text().startswith("未保存：")
            assert len(status.inner_text()) > len("未保存：") + 2, "the refusal should say why"
            project.refresh_from_db()
            assert (project.lng, project.lat) == before
            shot(page, f"picker-refused-{kind}-desktop")

        page.mouse.click(box["x"] + spots["own"]["x"], box["y"] + spots["own"]["y"])
        page.wait_for_function("() => document.getElementById('location-status').classList.contains('saved')")
        project.refresh_from_db()
        assert (project.lng, project.lat) != before
        assert geo.district_at(float(project.lng), float(project.lat)) == SIMING
        assert str(project.lng) in page.locator("#project-point").inner_text()
        shot(page, "picker-saved-desktop")
    finally:
        Project.objects.filter(pk=project.pk).update(lng=before[0], lat=before[1])


@pytest.mark.parametrize("size", SIZES)
def test_the_map_the_home_panel_and_the_picker_are_captured_and_fit_the_screen(page, size):
    page.set_viewport_size(SIZES[size])
    project = located().filter(district__code=SIMING).order_by("code").first()
    login(page, "admin", next="/map/")
    wait_for_map(page)
    shot(page, f"map-{size}")
    overflow = {"map": page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")}

    visit(page, "/")
    wait_for_map(page, "#home-map")
    page.locator("#home-map").scroll_into_view_if_needed()
    shot(page, f"home-{size}")
    overflow["home"] = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")

    visit(page, f"/projects/{project.pk}/")
    page.wait_for_function("() => document.getElementById('location-map')?.dataset.ready === '1'")
    page.locator("#location-map").scroll_into_view_if_needed()
    shot(page, f"picker-{size}")
    overflow["picker"] = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")

    assert {name: px for name, px in overflow.items() if px > 0} == {}
