"""Every request runs under an id that its audit entries carry and its response returns."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
