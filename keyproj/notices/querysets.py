"""Who may read which notices: the one door for the pages, the API and the downloads."""

from __future__ import annotations

from typing import Any

from django.db import models

from keyproj.core.scoping import scope_for

# Columns the list needs (the files themselves are read from the storage only when downloaded).
LIST_FIELDS = (
    "id",
    "kind",
    "year",
    "sequence",
    "number",
    "title",
    "date",
    "period_label",
    "issued_at",
    "withdrawn_at",
    "withdrawn_reason",
    "docx_sha256",
    "pdf_sha256",
)


class NoticeQuerySet(models.QuerySet):
    """Notices scoped to a user.

    The office and city leaders (a city-wide scope) read every notice. Anyone else who holds
    a role reads the kinds the numbering rule in force makes public (by default the monthly and the
    quarterly notices, which are published to all units); meeting minutes and other kinds
    stay with the office and leaders. A user without any role reads nothing.
    """

    def visible_to(self, user: Any) -> NoticeQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.is_empty:
            return self.none()
        from keyproj.notices.models import NumberingRule  # models imports this module: a genuine cycle

        return self.filter(kind__in=NumberingRule.current().public_kinds())
