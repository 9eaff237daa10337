"""通报 in the admin: the numbering rules are edited here (audited); issued notices and counters are read-only.

Notices are issued only through `keyproj.notices.services.issue_notice`, which takes the
文号, renders the files and audits; an issued notice is never changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from keyproj.core.admin import AuditedAdmin, ReadOnlyAdmin
from keyproj.notices.models import Notice, NoticeCounter, NumberingRule


@admin.register(NumberingRule)
class NumberingRuleAdmin(AuditedAdmin):
    """How each kind's 文号 is written and whether every role may read it; one rule per kind."""

    list_display = ("kind", "pattern", "public", "updated_at")
    readonly_fields = ("kind",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one rule per kind, seeded by the migration

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """Issued notices, without their file bytes."""

    list_display = ("number", "title", "kind", "date", "period_label", "issued_by", "issued_at")
    list_filter = ("kind", "year")
    search_fields = ("number", "title")
    exclude = ("docx", "pdf", "document")


@admin.register(NoticeCounter)
class NoticeCounterAdmin(ReadOnlyAdmin):
    """The last sequence number taken per kind and year."""

    list_display = ("kind", "year", "last")
