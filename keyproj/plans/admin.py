"""Annual plans and their monthly lines in the admin, read-only.

A plan is the baseline every figure is measured against: it changes only through
`save_plans` (the import, the plan pages), which checks that the months add up, audits the
change and keeps the figures' rollup in step. Editing a line here would do none of that.
"""

from __future__ import annotations

from django.contrib import admin

from keyproj.core.admin import ReadOnlyAdmin, ReadOnlyInline
from keyproj.plans.models import AnnualPlan, MonthlyPlan


class MonthlyPlanInline(ReadOnlyInline):
    model = MonthlyPlan
    fields = ("month", "investment")


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ReadOnlyAdmin):
    """A project's plan for one year, with its twelve months beneath it."""

    list_display = (
        "project",
        "year",
        "investment",
        "start_month",
        "completion_month",
        "status",
        "updated_at",
    )
    list_filter = ("year", "status")
    list_select_related = ("project",)
    search_fields = ("project__code", "project__name")
    inlines = (MonthlyPlanInline,)


@admin.register(MonthlyPlan)
class MonthlyPlanAdmin(ReadOnlyAdmin):
    """One month of one plan."""

    list_display = ("plan", "month", "investment")
    list_filter = ("plan__year", "month")
    list_select_related = ("plan__project",)
    search_fields = ("plan__project__code", "plan__project__name")
