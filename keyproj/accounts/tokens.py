"""API tokens that age: issued with an expiry, listed and revoked by their owner or the office.

Expiry is security, not business: it runs on the real clock (`clock.real_now()`), so a demo
installation whose business day is 2019-09-03 still ends a token thirty real days after it was issued.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from keyproj.accounts.models import OFFICE_ROLES, ApiToken, User
from keyproj.core import audit, clock
from keyproj.core.errors import Reason, Refused

NAME_MAX = 60


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _record(token: ApiToken) -> dict[str, Any]:
    """What the audit log keeps of a token: never its key, nor the key's digest."""
    data = audit.snapshot(token)
    data.pop("digest", None)
    return data


def _signed_in(user: Any) -> bool:
    return getattr(user, "pk", None) is not None and bool(getattr(user, "is_authenticated", False))


def may_manage_all(user: Any) -> bool:
    """The office (and superusers) list and revoke anyone's tokens; a missing user never may."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return user.memberships.filter(role__in=OFFICE_ROLES).exists()


def tokens_visible_to(user: Any) -> QuerySet[ApiToken]:
    """A user's own tokens; everyone's for the office; nothing for a missing user."""
    rows = ApiToken.objects.select_related("user", "revoked_by")
    if may_manage_all(user):
        return rows
    if not _signed_in(user):
        return rows.none()
    return rows.filter(user_id=user.pk)


def clean_name(name: str) -> str:
    text = (name or "").strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise Refused([Reason(gettext("用途"), gettext("不能含有控制字符"))])
    if len(text) > NAME_MAX:
        raise Refused([Reason(gettext("用途"), gettext("最多%(n)d个字") % {"n": NAME_MAX})])
    return text


def issue(user: User, *, name: str = "", actor: Any = None) -> tuple[ApiToken, str]:
    """A new token for `user`, valid for KEYPROJ_TOKEN_DAYS days; returns the token and its key.

    The key is returned only here: it is stored as a digest. `actor` is who asked (the user
    themselves when signing in for a token).
    """
    if not _signed_in(user) or not user.is_active:
        raise PermissionDenied(gettext("该用户不能使用接口"))
    label = clean_name(name)
    now = clock.real_now()
    key = secrets.token_hex(20)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            digest=digest(key),
            prefix=key[:8],
            name=label,
            created_at=now,
            expires_at=now + dt.timedelta(days=settings.KEYPROJ_TOKEN_DAYS),
        )
        audit.log(token, "token.issue", user=actor or user, after=_record(token))
    return token, key


def revoke(token: ApiToken, *, user: Any) -> ApiToken:
    """End a token now. Its owner or the office may; a token already revoked stays as it was."""
    if not _signed_in(user):
        raise PermissionDenied(gettext("请先登录"))
    if token.user_id != user.pk and not may_manage_all(user):
        raise PermissionDenied(gettext("您无权撤销该令牌"))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        before = _record(token)
        token.revoked_at = clock.real_now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.log(token, "token.revoke", user=user, before=before, after=_record(token))
    return token


def find(key: str) -> ApiToken | None:
    """The token with this key, whatever its state (the caller decides what expired means)."""
    if not key or len(key) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(digest=digest(key)).first()


def touch(token: ApiToken) -> None:
    """Note that a token was used, at most once a minute (a busy client does not write on every call)."""
    now = clock.real_now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
