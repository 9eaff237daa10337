"""通报 in the admin, read-only: the numbering rules' versions, issued notices and counters.

Notices are issued only through `keyproj.notices.services.issue_notice`, which takes the
文号, renders the files and audits; an issued notice is never changed.
"""

from __future__ import annotations

from django.contrib import admin

from keyproj.core.admin import ReadOnlyAdmin
from keyproj.notices.models import Notice, NoticeCounter, NumberingRule


@admin.register(NumberingRule)
class NumberingRuleAdmin(ReadOnlyAdmin):
    """The versions of the 文号 rules, read-only: a new version is published (keyproj.core.rules.publish_rule)."""

    list_display = ("version", "effective_from", "monthly_pattern", "inspection_pattern", "note", "created_at")


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
