"""Every request runs under an id that its audit entries carry and its response returns."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from keyproj.core.context import request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A trusted proxy's id is kept so that its logs and the audit log join up; from anyone
        # else the header is ignored, since a client could otherwise choose what the audit says.
        given = request.headers.get("X-Request-ID", "") if settings.KEYPROJ_TRUST_REQUEST_ID else ""
        with request_id(given if _SAFE_ID.match(given) else None) as rid:
            request.request_id = rid  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


class LanguageMiddleware:
    """Chinese unless the user has chosen English with the switch in the header.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the office
    works in Chinese, and a laptop that happens to be set to English should not change that.
    The choice is the cookie that Django's set_language view writes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            # The thread serves other requests next; none of them should inherit this choice.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
