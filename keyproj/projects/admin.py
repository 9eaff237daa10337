"""The project register and its lists in the admin.

A project is saved through `save_projects`, the same service the import uses, so the
admin validates, audits and versions a project exactly as every other path does.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import NoReverseMatch

from keyproj.accounts.models import Role, User
from keyproj.core.admin import ListItemAdmin
from keyproj.projects.models import Category, PipelineBatch, Project, Stage
from keyproj.projects.services import ProjectData, check_project, registered_problems, save_projects

admin.site.register(Category, ListItemAdmin)
admin.site.register(Stage, ListItemAdmin)
admin.site.register(PipelineBatch, ListItemAdmin)

_DATA_FIELDS = tuple(f.name for f in fields(ProjectData) if f.name not in ("only", "expected_version"))
# The service names a problem by its column label, which is the model field's verbose name.
_FIELD_BY_LABEL = {str(f.verbose_name): f.name for f in Project._meta.fields}


def project_data(values: dict[str, Any]) -> ProjectData:
    """The service's view of a project, from a form's cleaned data or an instance's fields."""
    data: dict[str, Any] = {name: values.get(name) for name in _DATA_FIELDS}
    data["description"] = data["description"] or ""
    data["location"] = data["location"] or ""
    return ProjectData(**data)


class ProjectAdminForm(forms.ModelForm):
    """The model's own checks, then the service's (district kind, dates in order …)."""

    # The version the page was opened at: a project saved by someone else since is not overwritten.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = list(_DATA_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None and seen != self.instance.version:
            raise forms.ValidationError("该项目在您打开后已被他人修改，本次修改未保存。请重新打开后再修改。")
        if self.errors:
            return cleaned
        values = {name: cleaned.get(name, getattr(self.instance, name, None)) for name in _DATA_FIELDS}
        data = project_data(values)
        existing = self.instance if self.instance.pk else None
        for problem in [*check_project(data), *registered_problems([(data, existing)])]:
            field = _FIELD_BY_LABEL.get(problem.field)
            self.add_error(field if field in self.fields else None, problem.message)
        return cleaned


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """The register: searched by code or name, filtered by level, category, stage and district."""

    form = ProjectAdminForm
    list_display = (
        "code",
        "name",
        "level",
        "category",
        "district",
        "responsible_unit",
        "owner",
        "agent_builder",
        "stage",
        "total_investment",
    )
    list_filter = (
        "level",
        "category",
        "stage",
        ("district", admin.RelatedOnlyFieldListFilter),
        ("responsible_unit", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("category", "district", "responsible_unit", "owner", "agent_builder", "stage")
    search_fields = ("code", "name", "location")
    autocomplete_fields = ("district", "area_command", "responsible_unit", "owner", "agent_builder")
    readonly_fields = ("version", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("code", "name", "level", "category", "stage", "pipeline_batch", "seen_version")}),
        (
            "单位",
            {"fields": ("district", "area_command", "responsible_unit", "owner", "agent_builder", "agent_specialty")},
        ),
        ("投资与进度", {"fields": ("total_investment", "planned_start", "planned_completion")}),
        ("说明", {"fields": ("location", "description")}),
        ("跟踪", {"fields": ("tracker", "liaison_leader")}),
        ("记录", {"fields": ("version", "created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Project | None = None) -> tuple[str, ...]:
        # The code is the key the service saves by: changing it would make a second project.
        return (*self.readonly_fields, "code") if obj is not None else self.readonly_fields

    def view_on_site(self, obj: Project) -> str | None:
        # The project pages come in a later issue; until their URL exists there is nothing to link to.
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:
            return None

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A tracker is one of the office's staff; a liaison leader is a city leader.
        roles = {"tracker": [Role.OFFICE_ADMIN, Role.OFFICE_STAFF], "liaison_leader": [Role.LEADER]}
        if db_field.name in roles:
            kwargs["queryset"] = User.objects.filter(memberships__role__in=roles[db_field.name]).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Project | None = None) -> bool:
        # There is no service for removing a project (its plans and returns are kept); stage 取消 instead.
        return False

    def save_model(self, request: HttpRequest, obj: Project, form: forms.ModelForm, change: bool) -> None:
        data = project_data({name: getattr(obj, name) for name in _DATA_FIELDS})
        data.expected_version = form.cleaned_data.get("seen_version")
        save_projects([data], user=request.user)
        saved = Project.objects.get(code=obj.code)
        obj.pk, obj.version = saved.pk, saved.version
