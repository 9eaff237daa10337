"""The monthly rollup in the admin, read-only: it is derived from plans and approved returns."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from keyproj.core.admin import ReadOnlyAdmin
from keyproj.core.money import fmt2, percent
from keyproj.metrics.models import ProjectMonth, ScopeMonth


class YearFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = ProjectMonth.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(str(year), f"{year}年") for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ProjectMonth]) -> QuerySet[ProjectMonth]:
        value = self.value()
        return queryset.filter(year=int(value)) if value and value.isascii() and value.isdigit() else queryset


class MonthFilter(admin.SimpleListFilter):
    title = "月份"
    parameter_name = "month"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(month), f"{month}月") for month in range(1, 13)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ProjectMonth]) -> QuerySet[ProjectMonth]:
        value = self.value()
        return queryset.filter(month=int(value)) if value and value.isascii() and value.isdigit() else queryset


def _money(field: str, label: str) -> Any:
    # The rollup's columns carry no Chinese names of their own, so each is shown through a labelled getter.
    @admin.display(description=label, ordering=field)
    def show(self: Any, row: ProjectMonth) -> str:
        return fmt2(getattr(row, field)) or "—"

    return show


@admin.register(ProjectMonth)
class ProjectMonthAdmin(ReadOnlyAdmin):
    """One project's cumulative figures for one month (万元), as the published figures read them."""

    list_display = (
        "project_name",
        "period",
        "annual_plan_wan",
        "plan_month_wan",
        "plan_to_date_wan",
        "actual_month_wan",
        "actual_to_date_wan",
        "schedule_rate_pct",
    )
    list_filter = (YearFilter, MonthFilter)
    list_select_related = ("project",)
    search_fields = ("project__code", "project__name")
    show_full_result_count = False
    ordering = ("-year", "-month", "project_id")
    fields = list_display
    readonly_fields = list_display

    annual_plan_wan = _money("annual_plan", "年度计划(万元)")
    plan_month_wan = _money("plan_month", "当月计划(万元)")
    plan_to_date_wan = _money("plan_to_date", "累计计划(万元)")
    actual_month_wan = _money("actual_month", "当月完成(万元)")
    actual_to_date_wan = _money("actual_to_date", "累计完成(万元)")

    @admin.display(description="项目", ordering="project__code")
    def project_name(self, row: ProjectMonth) -> str:
        return f"{row.project.code} {row.project.name}"

    @admin.display(description="期间", ordering="month")
    def period(self, row: ProjectMonth) -> str:
        return f"{row.year}年{row.month}月"

    # Not named schedule_rate: the admin would show the model's stored float column of that name instead.
    @admin.display(description="完成序时进度计划%", ordering="schedule_rate")
    def schedule_rate_pct(self, row: ProjectMonth) -> str:
        return fmt2(percent(row.actual_to_date, row.plan_to_date)) or "—"


@admin.register(ScopeMonth)
class ScopeMonthAdmin(ReadOnlyAdmin):
    """One scope's figures of a month by one dimension (万元): what the city's and organisations' figures read."""

    list_display = (
        "year",
        "month",
        "family",
        "scope_id",
        "dimension",
        "key_id",
        "project_count",
        "annual_plan_wan",
        "plan_to_date_wan",
        "actual_to_date_wan",
    )
    list_filter = ("year", "month", "family", "dimension")
    show_full_result_count = False
    ordering = ("-year", "-month", "family", "scope_id", "dimension", "key_id")
    fields = list_display
    readonly_fields = list_display

    annual_plan_wan = _money("annual_plan", "年度计划(万元)")
    plan_to_date_wan = _money("plan_to_date", "累计计划(万元)")
    actual_to_date_wan = _money("actual_to_date", "累计完成(万元)")
