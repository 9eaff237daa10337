"""A month is public only while it is closed and its 通报 issued: a reopened month is gone, a closed but
unissued one is not there yet — through the real services, with the pages' cache warmed beforehand.

Each test changes the shared demo inside its own transaction, which is rolled back after it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from keyproj.accounts.models import Role, User
from keyproj.core.period import Period
from keyproj.notices.models import Notice
from keyproj.notices.services import withdraw_notice
from keyproj.opendata.published import published_projects
from keyproj.supervision.models import MonthClose
from keyproj.supervision.services import close_month, issue_close_notice, reopen_month

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1"


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for this module."""


@pytest.fixture(autouse=True)
def public_site():
    """The public site on, with a cache that starts and ends empty."""
    cache.clear()
    with override_settings(KEYPROJ_PUBLIC=True):
        yield
    cache.clear()


@pytest.fixture
def office():
    return User.objects.filter(memberships__role=Role.OFFICE_ADMIN).first()


@pytest.fixture
def visitor():
    return Client()


def addresses(period: str, code: str) -> list[str]:
    """Every public address of one month: pages in both languages, a project, the downloads and the API."""
    return [
        f"/public/{period}/",
        f"/public/en/{period}/",
        f"/public/{period}/?page=2",
        f"/public/{period}/projects/{code}/",
        f"/public/en/{period}/projects/{code}/",
        f"/public/{period}/notice.pdf",
        f"/public/{period}/oc4ids.json",
        f"/public/{period}/oc4ids.xlsx",
        f"/api/v1/open-data/oc4ids/?period={period}",
    ]


def statuses(client: Client, urls: list[str], **headers: str) -> dict[str, int]:
    return {url: client.get(url, HTTP_HOST=HOST, **headers).status_code for url in urls}


def a_july_code() -> str:
    return published_projects(MonthClose.objects.get(year=2019, month=7))[0]["code"]


def test_a_month_closed_but_not_yet_issued_is_not_public_until_its_notice_is_issued(office, visitor):
    code = a_july_code()
    august = addresses("2019-08", code)
    visitor.get("/public/", HTTP_HOST=HOST)  # the published list is cached before the close
    # After the returns' deadline (5 September), as the office would close it.
    after_deadline = dt.date(2019, 9, 6)
    outcome = close_month(Period(2019, 8), user=office, today=after_deadline, override_reason="测试：八月关账")
    assert outcome.close.is_closed

    assert set(statuses(visitor, august).values()) == {404}
    index = visitor.get("/public/", HTTP_HOST=HOST).content.decode()
    assert "/public/2019-08/" not in index and "2019年8月" not in index
    assert set(statuses(visitor, addresses("2019-07", code)).values()) == {200}

    issue_close_notice(outcome.close, user=office, today=after_deadline)

    assert set(statuses(visitor, august).values()) == {200}
    assert "/public/2019-08/" in visitor.get("/public/", HTTP_HOST=HOST).content.decode()


def test_a_reopened_month_disappears_from_every_address_even_when_its_pages_were_cached(office, visitor):
    code = a_july_code()
    july = addresses("2019-07", code)
    # Warm every cache: pages, the close's bundle, the downloads; keep the ETags a browser would send back.
    etags = {}
    for url in july:
        response = visitor.get(url, HTTP_HOST=HOST)
        assert response.status_code == 200, url
        etags[url] = response.get("ETag", "")
    assert "/public/2019-07/" in visitor.get("/public/", HTTP_HOST=HOST).content.decode()

    reopen_month(MonthClose.objects.get(year=2019, month=7), user=office, reason="测试：七月数据更正")

    assert set(statuses(visitor, july).values()) == {404}
    # A browser holding the published copy asks whether it is still good: the answer is 404, never 304.
    for url, etag in etags.items():
        if etag:
            assert visitor.get(url, HTTP_HOST=HOST, HTTP_IF_NONE_MATCH=etag).status_code == 404, url
    index = visitor.get("/public/", HTTP_HOST=HOST).content.decode()
    assert "/public/2019-07/" not in index
    assert "/public/2019-06/" in index
    # The earlier months' project curves no longer reach July.
    june = visitor.get(f"/public/2019-06/projects/{code}/", HTTP_HOST=HOST)
    assert june.status_code == 200
    assert "7月" not in june.content.decode().split('id="public-chart-data"')[1].split("</script>")[0]


def test_a_notice_withdrawn_on_its_own_takes_its_month_off_the_public_site(office, visitor):
    june = MonthClose.objects.get(year=2019, month=6)
    code = published_projects(june)[0]["code"]
    assert set(statuses(visitor, addresses("2019-06", code)).values()) == {200}

    withdraw_notice(Notice.objects.get(pk=june.snapshot["notice"]["id"]), user=office, reason="文字有误，重新印发")

    assert set(statuses(visitor, addresses("2019-06", code)).values()) == {404}
    assert "/public/2019-06/" not in visitor.get("/public/", HTTP_HOST=HOST).content.decode()
