"""Problem coordination in a real browser: the statistics read as the seed, a district sees its own
problems, a problem is escalated from its page, and the project page loads its problem panel."""

from __future__ import annotations

import pytest

from keyproj.browser_tests import login, screenshot, visit
from keyproj.problems.models import Escalation, Problem

# django_db: the run must set up a test database for the demo (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_statistics_page_reads_the_seeds_july_figures(page):
    login(page, "staff", next="/problems/stats/?period=2019-07")
    sentence = page.locator("main .sentence").inner_text()
    assert "1-7月，已累计深入项目现场326次，累计召开专题会议49次，共协调解决项目建设问题147个。" in sentence
    screenshot(page, "problems-stats-desktop")


def test_a_district_officer_sees_only_their_districts_problems_and_not_others(page):
    login(page, "siming", next="/problems/")
    titles = page.locator("main table tbody td:first-child a").all_inner_texts()
    mine = Problem.objects.filter(project__district__name="思明区")
    assert titles and len(titles) == min(mine.count(), 50)
    other = (
        Problem.objects.exclude(project__district__name="思明区").exclude(project__area_command__isnull=False).first()
    )
    assert other is not None
    visit(page, f"/problems/{other.pk}/", status=404)


def test_the_office_escalates_a_problem_from_its_page_with_a_reason(page):
    problem = Problem.objects.open().filter(level__lt=5).order_by("pk").first()
    assert problem is not None
    before = problem.level
    login(page, "staff", next=f"/problems/{problem.pk}/")
    page.fill("textarea[name=reason]", "需分管市领导协调用地")
    with page.expect_navigation():
        page.click("text=上报上一级")
    assert "已上报上一级" in page.locator("main").inner_text()
    problem.refresh_from_db()
    assert problem.level == before + 1
    assert Escalation.objects.filter(problem=problem, reason="需分管市领导协调用地").exists()


def test_the_project_page_loads_its_problems_on_a_phone(page):
    problem = Problem.objects.order_by("pk").first()
    assert problem is not None
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "staff", next=f"/projects/{problem.project_id}/")
    panel = page.locator(".pb-panel")
    panel.wait_for()
    assert problem.title in panel.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "problems-project-panel-phone")
