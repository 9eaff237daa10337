"""Scope for month-close records: what a user may see of cards, rankings and listings.

A card or listing is seen with its project (`project_q`). A ranking row is seen by those
who see the whole programme, and by an organisation of its own row; a close itself (the
month, the rule versions) is public to anyone signed in with a scope, its contents are not.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from keyproj.core.scoping import project_q, scope_for


class MonthCloseQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> MonthCloseQuerySet:
        # Which months are closed is no secret to anyone with a scope; what is in them is scoped below.
        return self if not scope_for(user).is_empty else self.none()

    def closed(self) -> MonthCloseQuerySet:
        return self.filter(status="closed")


class CardQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CardQuerySet:
        return self.filter(project_q(user, "project__"))


class RankingEntryQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> RankingEntryQuerySet:
        """The whole list for city-wide users; otherwise only the rows of the user's own organisations."""
        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(Q(organisation_id__in=sorted(scope.organisation_ids)))


class ListingQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ListingQuerySet:
        return self.filter(project_q(user, "project__"))

    def open(self) -> ListingQuerySet:
        return self.filter(status__in=("proposed", "listed"))
