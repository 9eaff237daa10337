"""问题协调 in the admin: categories and the ladder's rungs are edited here; the rule versions (the
long-unresolved days, attachment limits and escalation time limits) are published on the rules page
through keyproj.core.rules.publish_rule and shown here read-only.

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
    """The five rungs and who holds a problem there (their time limits are ProblemRule versions)."""

    list_display = ("level", "name")
    ordering = ("level",)


@admin.register(ProblemRule)
class ProblemRuleAdmin(ReadOnlyAdmin):
    """Rule versions: a change is a new version, published on the rules page."""

    list_display = ("version", "effective_from", "long_unresolved_days", "max_attachment_mb", "note")


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
