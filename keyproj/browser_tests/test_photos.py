"""In a real browser: the owner photographs the site for a return, the photo was taken the month before,
and the reviewer sees the flag on the review page. Desktop and phone screenshots are kept.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from keyproj.accounts.models import Membership, Role, User
from keyproj.browser_tests import login, screenshot, tab, visit
from keyproj.browser_tests.conftest import PHONE
from keyproj.photos.models import Photo
from keyproj.photos.tests.images import jpeg
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn
from keyproj.returns.services import ReturnData, save_returns

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = Path(os.environ.get("KEYPROJ_PHOTO_SHOTS", "/tmp/shots17/photos"))
FLAG = "拍摄于2019年7月，不在填报月份2019年8月"


@pytest.fixture(scope="module")
def august_return(demo_server: Any, django_db_blocker: Any) -> Iterator[ProgressReturn]:
    """The owner's first project with a submitted August return, and `unit` made its reviewer.

    Module-scoped and committed, so that the live server's own connection sees it.
    """
    with django_db_blocker.unblock():
        project = Project.objects.filter(owner__name="厦门安居集团有限公司").order_by("code").first()
        assert project is not None
        owner = User.objects.get(username="owner")
        unit = User.objects.get(username="unit")
        membership, created = Membership.objects.get_or_create(
            user=unit, organisation=project.responsible_unit, role=Role.UNIT_OFFICER
        )
        item = ReturnData(
            project=project, year=2019, month=8, investment=Decimal("120"), started=True, physical_progress="主体施工"
        )
        save_returns([item], user=owner, submit=True)
        ret = ProgressReturn.objects.get(project=project, year=2019, month=8)
    try:
        yield ret
    finally:
        with django_db_blocker.unblock():
            Photo.objects.filter(progress_return_id=ret.pk).delete()
            ProgressReturn.objects.filter(pk=ret.pk).delete()
            if created:
                membership.delete()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    screenshot(page, f"photos-{name}")


def test_a_photo_from_another_month_is_flagged_on_the_review_page(browser, demo_server, august_return):
    ret = august_return
    with tab(browser, demo_server) as page:
        login(page, "owner", next=f"/returns/{ret.pk}/")
        picker = page.locator('input[type=file][name="photos"]')
        assert picker.get_attribute("capture") == "environment"
        picker.set_input_files(
            [
                {"name": "七月.jpg", "mimeType": "image/jpeg", "buffer": jpeg(dt.datetime(2019, 7, 30, 17, 5))},
                {"name": "八月.jpg", "mimeType": "image/jpeg", "buffer": jpeg(dt.datetime(2019, 8, 20, 9, 40))},
            ]
        )
        with page.expect_navigation():
            page.get_by_role("button", name="上传", exact=True).click()
        main = page.locator("main").inner_text()
        assert "已上传2张照片，其中1张有提示" in main
        assert FLAG in page.locator("#photos").inner_text()
        # Every thumbnail is drawn (served through the scoped view). They load lazily, when in view,
        # and after the page's load event: waited for, and a thumbnail that never draws fails the test.
        page.locator("#photos").scroll_into_view_if_needed()
        page.wait_for_function(
            "() => { const thumbs = [...document.querySelectorAll('#photos .photo-thumb img')];"
            " return thumbs.length === 2 && thumbs.every((img) => img.complete && img.naturalWidth > 0); }"
        )
        _shot(page, "return-desktop")
        page.locator("#photos .photo-thumb").first.click()
        page.locator(".photo-box:target img").wait_for()
        _shot(page, "lightbox-desktop")
    assert Photo.objects.filter(progress_return_id=ret.pk).count() == 2

    with tab(browser, demo_server) as page:
        login(page, "unit", next="/returns/review/?period=2019-08")
        row = page.locator(f"#review-{ret.pk}")
        assert "照片“七月.jpg”：" + FLAG in row.inner_text()
        _shot(page, "review-desktop")


def test_the_return_page_with_photos_fits_a_phone(browser, demo_server, august_return):
    with tab(browser, demo_server, PHONE) as page:
        login(page, "owner", next=f"/returns/{august_return.pk}/")
        # Each test's changes are rolled back after it: the phone uploads its own photo.
        page.locator('input[type=file][name="photos"]').set_input_files(
            [
                {
                    "name": "手机.jpg",
                    "mimeType": "image/jpeg",
                    "buffer": jpeg(dt.datetime(2019, 7, 31, 18, 0), size=(800, 600)),
                }
            ]
        )
        with page.expect_navigation():
            page.get_by_role("button", name="上传", exact=True).click()
        assert FLAG in page.locator("#photos").inner_text()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the return page is {width}px wide on a {PHONE['width']}px phone"
        page.locator("#photos").scroll_into_view_if_needed()
        _shot(page, "return-phone")
        project = august_return.project
        visit(page, project.get_absolute_url())
        page.locator("#photo-timeline").scroll_into_view_if_needed()
        _shot(page, "project-timeline-phone")
