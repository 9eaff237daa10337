"""Write the audit log: every service change records who, when, before and after.

Callers are services, inside the same transaction as the change they record. Every action is
registered with its label by the app that writes it (keyproj.core.actions); any other is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from keyproj.core import actions, bulk, clock
from keyproj.core.context import current_request_id
from keyproj.core.models import AuditEntry
from keyproj.core.scoping import actor_row


class ConflictError(Exception):
    """Someone else saved the record after this user opened it; nothing was written."""

    def __init__(self, obj: models.Model) -> None:
        super().__init__(f"“{obj}”已被他人修改，请刷新后重新编辑（本次修改未保存）")
        self.obj = obj


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The stored values of an object's own columns, as JSON-friendly data."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"created_at", "updated_at"}:
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    return data


def _entry(
    obj: models.Model, action: str, user: Any, before: dict | None, after: dict | None, ct: ContentType
) -> AuditEntry:
    return AuditEntry(
        action=action,
        content_type=ct,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        # A change with no one behind it is refused here, whatever service forgot to ask (fails closed).
        user=actor_row(user),
        before=before,
        after=after,
        request_id=current_request_id(),
        business_day=clock.today(),
    )


def log(
    obj: models.Model, action: str, *, user: Any, before: dict | None = None, after: dict | None = None
) -> AuditEntry:
    """Record one change. `after` defaults to the object as it now stands.

    The action must be registered (keyproj.core.actions); an unregistered one is refused
    (UnregisteredAction) before anything is written.
    """
    actions.require(action)
    entry = _entry(
        obj,
        action,
        user,
        before,
        snapshot(obj) if after is None else after,
        ContentType.objects.get_for_model(obj),
    )
    entry.save()
    return entry


def log_many(
    changes: Iterable[tuple[models.Model, dict | None]],
    action: str,
    *,
    user: Any,
    describe: Callable[[Any], dict[str, Any]] = snapshot,
    batch_size: int = 2000,
) -> int:
    """Record many changes of one kind at once (imports): (object, before) pairs.

    describe: how to record the object as it now stands (its columns, by default).
    An unregistered action is refused (UnregisteredAction) before anything is written.
    """
    actions.require(action)
    entries: list[AuditEntry] = []
    ct_cache: dict[type, ContentType] = {}
    for obj, before in changes:
        ct = ct_cache.get(type(obj))
        if ct is None:
            ct = ct_cache[type(obj)] = ContentType.objects.get_for_model(obj)
        entries.append(_entry(obj, action, user, before, describe(obj), ct))
    bulk.insert(AuditEntry, entries, batch_size=batch_size)
    return len(entries)


# Who may read the whole audit log (the office): accounts names the check as it starts, since
# core knows no roles. Until one is registered nobody may (fails closed).
_reader: Callable[[Any], bool] | None = None


def register_reader(check: Callable[[Any], bool]) -> None:
    """Name the check that decides who may read the audit log; accounts calls this once."""
    global _reader
    _reader = check


def may_read(user: Any) -> bool:
    """Whether `user` may read the whole audit log (its page and export)."""
    return _reader is not None and bool(_reader(user))


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit trail of one object, newest first."""
    ct = ContentType.objects.get_for_model(obj)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("user")


def check_version(obj: models.Model, expected: int | None) -> None:
    """Refuse (ConflictError) when the row changed since the user read version `expected`.

    Every workflow service calls this first, inside its transaction and after locking the row,
    so pages, API and imports meet the same check; None means the caller read no version.
    """
    if expected is not None and expected != obj.version:  # type: ignore[attr-defined]
        raise ConflictError(obj)


def bump_version(obj: models.Model, expected: int | None, fields: Sequence[str]) -> None:
    """Save `fields` only if nobody saved the row since version `expected` was read.

    The check and the write are one UPDATE, so two concurrent saves cannot both pass.
    """
    model = type(obj)
    current = obj.version  # type: ignore[attr-defined]
    if expected is not None and expected != current:
        raise ConflictError(obj)
    values = {name: getattr(obj, name) for name in fields}
    updated = model._default_manager.filter(pk=obj.pk, version=current).update(
        version=current + 1, **values, updated_at=clock.real_now()
    )
    if not updated:
        raise ConflictError(obj)
    obj.version = current + 1  # type: ignore[attr-defined]
