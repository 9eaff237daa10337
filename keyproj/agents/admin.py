"""The agent-construction (代建) directory in the admin: specialties and each firm's class."""

from __future__ import annotations

from django.contrib import admin

from keyproj.agents.models import Qualification, Specialty
from keyproj.core.admin import AuditedAdmin, ListItemAdmin

admin.site.register(Specialty, ListItemAdmin)


@admin.register(Qualification)
class QualificationAdmin(AuditedAdmin):
    """A firm's class (甲/乙) in one specialty."""

    list_display = ("firm", "specialty", "grade", "updated_at")
    list_filter = ("grade", "specialty")
    list_select_related = ("firm", "specialty")
    search_fields = ("firm__name", "firm__short_name", "firm__code")
    autocomplete_fields = ("firm",)
