"""The rules of 问题协调 in the admin: categories, the ladder's time limits, the long-unresolved days.

Problems, meetings and visits are changed through their pages and services (audited, versioned),
so the admin shows them read-only.
"""

from __future__ import annotations

from django.contrib import admin

from keyproj.core.admin import AuditedAdmin, ListItemAdmin, ReadOnlyAdmin
from keyproj.problems.models import EscalationLevel, Meeting, Problem, ProblemCategory, ProblemRule, SiteVisit

admin.site.register(ProblemCategory, ListItemAdmin)


@admin.register(EscalationLevel)
class EscalationLevelAdmin(AuditedAdmin):
    """The five rungs and their time limits; a change applies to the next daily run."""

    list_display = ("level", "name", "time_limit_days")
    ordering = ("level",)


@admin.register(ProblemRule)
class ProblemRuleAdmin(AuditedAdmin):
    list_display = ("effective_from", "long_unresolved_days", "max_attachment_mb")


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ("title", "project", "category", "level", "status", "raised_on", "resolved_on")
    list_filter = ("status", "level", "category")
    search_fields = ("title", "project__name", "project__code")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("held_on", "title", "kind", "form", "chair")
    list_filter = ("kind", "form")


@admin.register(SiteVisit)
class SiteVisitAdmin(ReadOnlyAdmin):
    list_display = ("visited_on", "team")
