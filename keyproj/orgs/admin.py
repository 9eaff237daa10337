"""Organisations in the admin: the office, districts, units, SOEs, owners and agent builders."""

from __future__ import annotations

from django.contrib import admin

from keyproj.core.admin import AuditedAdmin
from keyproj.orgs.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    """Every organisation of the programme, searchable by name, short name or code."""

    list_display = ("name", "short_name", "kind", "code", "parent", "contact", "phone", "order", "active")
    list_filter = ("kind", "active")
    list_select_related = ("parent",)
    search_fields = ("name", "short_name", "code")
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("kind", "name", "short_name", "code", "parent")}),
        ("联系", {"fields": ("contact", "phone")}),
        ("显示", {"fields": ("order", "active")}),
    )
