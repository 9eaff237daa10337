"""Full-page screenshots of the dashboard, the register and a project page, on a laptop and on a phone.

They land in test-artifacts/screenshots/ (kept out of git; CI keeps them as artifacts) for a
person to look at. What a test can judge by itself, it checks: the page answers, the charts
have drawn, and nothing but a table's own scroll area is wider than the screen.
"""

from __future__ import annotations

from typing import Any

import pytest

from keyproj.browser_tests import login, screenshot, visit, wait_for_charts
from keyproj.projects.models import Project

# django_db: the run must set up a test database for the demo (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VIEWPORTS = {"1366x768": {"width": 1366, "height": 768}, "390x844": {"width": 390, "height": 844}}


def _overflow(page: Any) -> int:
    """How many pixels the page is wider than the window (0 when nothing sticks out sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_main_pages_are_captured_and_fit_the_screen(page, size):
    # The biggest project: a page with a full year of plan and returns to show.
    project = Project.objects.order_by("-total_investment", "code").first()
    assert project is not None
    page.set_viewport_size(VIEWPORTS[size])
    login(page, "admin")

    too_wide = {}
    for name, path in (("dashboard", "/"), ("register", "/projects/"), ("project", f"/projects/{project.pk}/")):
        visit(page, path)
        wait_for_charts(page)
        shot = screenshot(page, f"{name}-{size}")
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"
        if _overflow(page) > 0:
            too_wide[name] = _overflow(page)

    assert too_wide == {}, f"pages wider than the {size} window, in pixels: {too_wide}"
