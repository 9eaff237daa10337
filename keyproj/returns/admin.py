"""Monthly progress returns in the admin, read-only.

Returns are entered, submitted and approved through `keyproj.returns.services`, which
checks the month has ended, audits each step and keeps the figures' rollup in step.
"""

from __future__ import annotations

from django.contrib import admin

from keyproj.core.admin import ReadOnlyAdmin
from keyproj.returns.models import ProgressReturn


@admin.register(ProgressReturn)
class ProgressReturnAdmin(ReadOnlyAdmin):
    """One project's return for one month, with who submitted and approved it."""

    list_display = (
        "project",
        "year",
        "month",
        "investment",
        "started",
        "completed",
        "status",
        "submitted_by",
        "approved_at",
    )
    list_filter = ("status", "year", "month", "started", "completed")
    list_select_related = ("project", "submitted_by")
    search_fields = ("project__code", "project__name", "physical_progress", "problems")
    show_full_result_count = False
