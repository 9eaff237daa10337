"""Changes in the accounts app: in-app notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from keyproj.accounts.models import Notification, Role, User
from keyproj.core import clock


def notify(users: Iterable[Any], title: str, *, body: str = "", url: str = "") -> int:
    """Send one in-app message to each of `users` (each once; the console and nobody are skipped).

    Called inside the transaction of the change it announces, so a refused change tells nobody.
    Returns the number of messages written.
    """
    seen: set[int] = set()
    rows: list[Notification] = []
    for user in users:
        pk = getattr(user, "pk", None)
        if pk is None or pk in seen or not getattr(user, "is_active", True):
            continue
        seen.add(pk)
        rows.append(Notification(user_id=pk, title=title[:200], body=body, url=url[:300]))
    Notification.objects.bulk_create(rows)
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
