"""Changes in the accounts app: in-app notifications; lifting a sign-in lockout (tokens: keyproj.accounts.tokens)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q, QuerySet, Sum
from django.utils.translation import gettext

from keyproj.accounts.models import Notification, Role, User
from keyproj.accounts.permissions import is_office
from keyproj.core import audit, clock
from keyproj.core.errors import Refused

# What delivers a message beyond the app (e-mail, group robots): each is handed the rows `notify`
# wrote and the organisations the event concerns (whose group robots may hear of it), inside the same
# transaction, and stores its deliveries for the worker to send.
Channel = Callable[[list[Notification], list[int]], None]
_channels: list[Channel] = []


def register_channel(channel: Channel) -> None:
    """Hand every message written from now on to `channel` as well (an app's ready() calls this)."""
    if channel not in _channels:
        _channels.append(channel)


def notify(
    users: Iterable[Any],
    title: str,
    *,
    body: str = "",
    url: str = "",
    kind: str = "",
    key: str = "",
    organisations: Iterable[Any] = (),
) -> int:
    """Send one message to each of `users` (each once; the console and nobody are skipped).

    Called inside the transaction of the change it announces, so a refused change tells nobody.
    With a `key` (an event's name, e.g. ``reminder:2019-09:d-3:project-12``) a user who was already
    told of that event is not told again: a job run twice for its period sends nothing twice.
    `organisations` (Organisation objects or ids) are those the event concerns: their group robots hear
    of it, with this call's own text; none named, no group hears it (a recipient's other memberships
    say nothing about whose business this is).
    Returns the number of messages written.
    """
    org_ids = sorted({o if isinstance(o, int) else o.pk for o in organisations if o is not None})
    seen: set[int] = set()
    for user in users:
        pk = getattr(user, "pk", None)
        if pk is None or pk in seen or not getattr(user, "is_active", True):
            continue
        seen.add(pk)
    key = key[:160]
    if key and seen:
        seen -= set(Notification.objects.filter(key=key, user_id__in=seen).values_list("user_id", flat=True))
    rows = [
        Notification(user_id=pk, kind=kind[:40], key=key, title=title[:200], body=body, url=url[:300])
        for pk in sorted(seen)
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows)
        for channel in _channels:
            channel(rows, org_ids)
    return len(rows)


def reporters(project: Any) -> QuerySet[User]:
    """The people who file a project's returns: its owner's and its agent builder's reporters (whom to tell
    when a return comes back to them). The office, which may also file, is not told of every project."""
    q = Q(memberships__role=Role.OWNER, memberships__organisation_id=project.owner_id)
    if project.agent_builder_id:
        q |= Q(memberships__role=Role.AGENT_BUILDER, memberships__organisation_id=project.agent_builder_id)
    return User.objects.filter(q, is_active=True).distinct().order_by("pk")


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread messages read (only `ids` when given); returns how many changed."""
    if getattr(user, "pk", None) is None:
        return 0
    rows = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    with transaction.atomic():
        return rows.update(read_at=clock.real_now())


@dataclass(frozen=True)
class Lockout:
    """A username or an address that has failed to sign in too often and is refused for now."""

    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    last_at: dt.datetime
    until: dt.datetime


def lockouts() -> list[Lockout]:
    """The usernames and addresses locked out now (failures within the cool-off at or over the limit)."""
    cool_off = settings.AXES_COOLOFF_TIME
    since = clock.real_now() - cool_off
    found: list[Lockout] = []
    for kind in ("username", "ip_address"):
        rows = (
            AccessAttempt.objects.filter(attempt_time__gte=since)
            .exclude(**{f"{kind}__isnull": True})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last_at=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by("-last_at")
        )
        found.extend(
            Lockout(kind, row[kind], row["failures"], row["last_at"], row["last_at"] + cool_off) for row in rows
        )
    return found


def unlock_login(*, kind: str, value: str, user: Any) -> int:
    """Lift a lockout: forget the failed sign-ins of one username or one address. The office only.

    Returns how many attempt records were removed (0 when nothing was locked). Audited with what was
    removed, since the records themselves go.
    """
    if not (getattr(user, "pk", None) and getattr(user, "is_authenticated", False) and is_office(user)):
        raise PermissionDenied(gettext("只有市重点办可以解除登录锁定"))
    if kind not in ("username", "ip_address"):
        raise Refused([gettext("解除锁定的对象应为用户名或地址")])
    with transaction.atomic():
        rows = list(AccessAttempt.objects.select_for_update().filter(**{kind: value}).order_by("pk"))
        if not rows:
            return 0
        before = {
            kind: value,
            "failures": sum(r.failures_since_start for r in rows),
            "addresses" if kind == "username" else "usernames": sorted(
                {str(getattr(r, "ip_address" if kind == "username" else "username") or "") for r in rows}
            ),
        }
        # The entry points at the first record removed; its id stays readable in the log.
        audit.log(rows[0], "login.unlock", user=user, before=before, after={})
        AccessAttempt.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)
