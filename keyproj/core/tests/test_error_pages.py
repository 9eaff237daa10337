"""Errors answer with the site's own pages, Chinese by default, English after the switch, never the debug page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation

from keyproj import urls as site_urls


def _breaks(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug the user must never read about")


def _refuses(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("只有重点办可以锁定月份")


# This module is the URLconf of the tests below: the site's addresses plus two that fail on purpose.
urlpatterns = [path("test-breaks/", _breaks), path("test-refuses/", _refuses), *site_urls.urlpatterns]
handler500 = site_urls.handler500

DEBUG_PAGE_MARKS = ("Traceback", "Using the URLconf", "technical", "DEBUG = True", "Django tried these URL patterns")


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    yield
    translation.deactivate()


@pytest.fixture
def browser_client() -> Client:
    """A client that gets the error page a browser would, instead of the exception."""
    return Client(raise_request_exception=False)


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _assert_not_the_debug_page(html: str) -> None:
    for mark in DEBUG_PAGE_MARKS:
        assert mark not in html


@override_settings(DEBUG=False)
def test_an_unknown_address_gives_the_chinese_not_found_page(browser_client, db):
    response = browser_client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "返回首页" in html
    assert '<html lang="zh-Hans">' in html
    assert 'class="site-header"' in html  # the site's frame, not a bare page
    _assert_not_the_debug_page(html)


@override_settings(DEBUG=False)
def test_an_unknown_address_gives_an_english_not_found_page_after_the_switch(browser_client, db):
    response = _english(browser_client).get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Page not found" in html and "Back to the home page" in html
    assert "页面不存在" not in html
    _assert_not_the_debug_page(html)


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_server_error_gives_the_chinese_error_page_with_the_request_id(browser_client, db):
    response = browser_client.get("/test-breaks/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器出错了" in html
    assert response["X-Request-ID"] in html  # what the user quotes to the office
    assert "a bug the user must never read about" not in html
    _assert_not_the_debug_page(html)


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_server_error_page_is_english_after_the_switch(browser_client, db):
    html = _english(browser_client).get("/test-breaks/").content.decode()

    assert "Something went wrong on the server" in html
    assert "服务器出错了" not in html


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_the_server_error_page_does_not_touch_the_database(browser_client, admin_user, django_assert_num_queries):
    # The database may be what failed: the page must not need it, even for a signed-in user.
    browser_client.force_login(admin_user)
    with django_assert_num_queries(0):
        response = browser_client.get("/test-breaks/")
    assert response.status_code == 500


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_refusal_gives_the_chinese_forbidden_page_with_its_reason(browser_client, admin_user):
    browser_client.force_login(admin_user)

    response = browser_client.get("/test-refuses/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "没有权限" in html
    assert "只有重点办可以锁定月份" in html
    _assert_not_the_debug_page(html)


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_refusal_on_an_english_page_keeps_to_english(browser_client, admin_user):
    browser_client.force_login(admin_user)

    html = _english(browser_client).get("/test-refuses/").content.decode()

    assert "Not allowed" in html
    assert "只有重点办可以锁定月份" not in html  # the service's reason is Chinese only


@override_settings(DEBUG=False)
def test_a_form_sent_without_its_csrf_token_gets_the_chinese_expired_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html
    _assert_not_the_debug_page(html)


@override_settings(DEBUG=False)
def test_an_unknown_host_gets_the_chinese_bad_request_page(browser_client, db):
    response = browser_client.get("/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
