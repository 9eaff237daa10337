"""Who sees what of the outbox: the office every delivery and robot; each user their own settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from keyproj.accounts.permissions import is_office


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> DeliveryQuerySet:
        """The office's: the deliveries carry every recipient's messages and addresses."""
        return self if is_office(user) else self.none()

    def due(self, now: dt.datetime) -> DeliveryQuerySet:
        """What the worker sends now: waiting, retrying, or claimed by a worker whose claim ran out."""
        from keyproj.outbox.models import DUE_STATUSES

        return self.filter(status__in=DUE_STATUSES, next_attempt_at__lte=now)


class RobotQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> RobotQuerySet:
        """Robots are the office's to manage; nobody else sees their addresses."""
        return self if is_office(user) else self.none()


class PreferenceQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> PreferenceQuerySet:
        """Each user sees only their own settings (the office included: they are personal)."""
        pk = getattr(user, "pk", None)
        if pk is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user_id=pk)
