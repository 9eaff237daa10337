"""The register and a project's page in a real browser: a district officer sees their district only."""

from __future__ import annotations

import pytest

from keyproj.browser_tests import DISTRICT_HEADER, PROJECT_LINK, listed_project_ids, login, table_column, visit
from keyproj.projects.models import Project

# django_db: the run must set up a test database for the demo (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_district_officer_sees_only_their_districts_projects_in_the_register(page):
    login(page, "siming", next="/projects/")

    districts = table_column(page, DISTRICT_HEADER)
    assert districts, "the register shows siming no projects"
    assert set(districts) == {"思明区"}
    # The rows' links say the same as their district cells.
    listed = listed_project_ids(page)
    assert listed
    assert set(Project.objects.filter(pk__in=listed).values_list("district__name", flat=True)) == {"思明区"}


def test_a_district_officer_gets_not_found_for_another_districts_project(page):
    haicang = Project.objects.filter(district__name="海沧区").order_by("code").first()
    assert haicang is not None
    login(page, "siming")

    visit(page, f"/projects/{haicang.pk}/", status=404)

    # A user never learns that an out-of-scope project exists.
    assert haicang.name not in page.content()
    assert haicang.code not in page.content()


def test_the_admin_opens_a_project_page_from_the_register(page):
    login(page, "admin", next="/projects/")
    first = page.locator("main table tbody a[href]").first
    name = first.inner_text().strip()

    with page.expect_navigation() as navigation:
        first.click()

    assert navigation.value.status == 200
    assert PROJECT_LINK.search(page.url)
    assert name in page.locator("main").inner_text()


def test_an_anonymous_visitor_is_sent_to_the_login_page(page):
    visit(page, "/projects/")

    assert "/accounts/login/" in page.url
    assert page.get_by_label("用户名", exact=True).is_visible()
