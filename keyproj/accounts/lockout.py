"""Sign-in throttling (django-axes): who counts as the client, and what a locked-out client is told.

Failures are counted per username and per address; after settings.AXES_FAILURE_LIMIT of either,
sign-in is refused for settings.AXES_COOLOFF_TIME, on the login page and the token endpoint alike.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username or address before any password is checked.

    A sign-in without a request (a test's client.login, a script calling authenticate) cannot be
    brute-forced over the network, so it is left to the other backends instead of failing.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address failures are counted against.

    The connection's own address, unless settings.KEYPROJ_CLIENT_IP_HEADER names the header the proxy in
    front sets; of a list (X-Forwarded-For) the last entry, the one that proxy appended — the entries
    before it are whatever the client chose to send.
    """
    header = getattr(settings, "KEYPROJ_CLIENT_IP_HEADER", "")
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        entries = [part for part in raw.split(",") if part.strip()]
        if entries:
            found = _address(entries[-1])
            if found:
                return found
    return _address(request.META.get("REMOTE_ADDR", "")) or None


def lockout_message() -> str:
    minutes = int(get_cool_off().total_seconds() // 60) if get_cool_off() else 0
    return gettext("登录失败次数过多，该账号或地址已被暂时锁定，请%(minutes)d分钟后再试，或联系市重点办解除锁定。") % {
        "minutes": minutes
    }


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """429 for a locked-out sign-in: the API's documented body, or the login page with the reason."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=status)
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))[:150]
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_out": True, "lockout_message": lockout_message(), "next": ""}
    return render(request, "registration/login.html", context, status=status)
