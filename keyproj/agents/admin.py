"""代建管理 in the admin: the scoring sheet and specialties are edited here, audited; rule versions
(published on the rules page through keyproj.core.rules.publish_rule) and the records that services
write (entries, inspections, credit, evaluations) are shown read-only."""

from __future__ import annotations

from django.contrib import admin

from keyproj.agents.models import (
    AgentRule,
    Attendance,
    CreditEvaluation,
    CreditRecord,
    DirectoryEntry,
    FinalAccounts,
    Inspection,
    InspectionRound,
    Interview,
    KeyStaff,
    Qualification,
    ScoringItem,
    Specialty,
)
from keyproj.core.admin import AuditedAdmin, ListItemAdmin, ReadOnlyAdmin

admin.site.register(Specialty, ListItemAdmin)


@admin.register(ScoringItem)
class ScoringItemAdmin(ListItemAdmin):
    """The scoring sheet (评分表): items and their maximum points."""

    list_display = ("name", "code", "max_points", "order", "active")


@admin.register(AgentRule)
class AgentRuleAdmin(ReadOnlyAdmin):
    """Rule versions: a change is a new version, published on the rules page (old results keep theirs)."""

    list_display = ("version", "effective_from", "class_b_cap", "excellent_min", "good_min", "pass_min", "note")


@admin.register(Qualification)
class QualificationAdmin(AuditedAdmin):
    """A firm's class (甲/乙) in one specialty."""

    list_display = ("firm", "specialty", "grade", "updated_at")
    list_filter = ("grade", "specialty")
    list_select_related = ("firm", "specialty")
    search_fields = ("firm__name", "firm__short_name", "firm__code")
    autocomplete_fields = ("firm",)


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(ReadOnlyAdmin):
    list_display = ("firm", "kind", "on", "reason")
    list_filter = ("kind",)
    search_fields = ("firm__name", "firm__code")


@admin.register(KeyStaff)
class KeyStaffAdmin(ReadOnlyAdmin):
    list_display = ("firm", "name", "post", "certificate", "phone", "is_contact")
    search_fields = ("firm__name", "name")


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "seed", "drawn_at", "rule_version")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("round", "project", "firm", "selection", "total", "grade")
    list_filter = ("round", "grade", "selection")
    list_select_related = ("round", "project", "firm")
    search_fields = ("project__code", "project__name", "firm__name")


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    list_display = ("firm", "kind", "grade", "points", "valid_from", "valid_until", "source", "blacklist")
    list_filter = ("kind", "source", "blacklist")
    search_fields = ("firm__name", "description")


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ("firm", "source", "reason", "due_by", "held_on")
    list_filter = ("source",)


@admin.register(CreditEvaluation)
class CreditEvaluationAdmin(ReadOnlyAdmin):
    list_display = ("year", "as_of", "rule_version")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("firm", "project", "staff", "year", "month", "required_days", "present_days")
    list_filter = ("year", "month")


@admin.register(FinalAccounts)
class FinalAccountsAdmin(ReadOnlyAdmin):
    list_display = ("project", "firm", "submission_due", "submitted_on", "approved_on", "budget_estimate")
