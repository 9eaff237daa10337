"""The API's token check: `Authorization: Token <key>` with a key that has neither expired nor been revoked."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from keyproj.accounts import tokens
from keyproj.core import clock


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token header, checked against keyproj's tokens (stored as digests, with an expiry).

    A refused token answers 401 with the documented body `{"detail": "…"}`; the reason is told to
    whoever holds the key (expired: ask for a new one; revoked: its owner or the office ended it).
    """

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        token = tokens.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(gettext("令牌无效，请重新获取令牌"))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(gettext("令牌已撤销，请重新获取令牌"))
        if token.expires_at <= clock.real_now():
            raise exceptions.AuthenticationFailed(gettext("令牌已过期，请重新获取令牌"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(gettext("该用户已停用"))
        tokens.touch(token)
        return token.user, token
