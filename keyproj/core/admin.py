"""The admin site's face, the shared admin bases, and the read-only audit log.

The admin is the office's back room (Django's is_staff). Two rules carry over from the
rest of keyproj: a change made here is audited like any other, and records whose changes
have consequences (plans and returns feed the figures) are changed only through their
services, so the admin shows them read-only.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from keyproj.core import actions, audit
from keyproj.core.models import AuditEntry


class ReadOnly:
    """No adding, changing or deleting here (mixed into an admin or an inline)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """Shown, searched and filtered, never changed here."""


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """Rows shown beside their parent, never changed here."""

    extra = 0
    can_delete = False


class AuditedAdmin(admin.ModelAdmin):
    """An admin whose every save and delete (inline rows too) writes an audit entry.

    The action is `<model>.create|update|delete`, as the services name theirs, registered (with
    a label from the verb and the model's name) when the admin is set up. The admin already
    runs each change in a transaction, so the entry is written with the change.
    """

    # Columns never copied into the audit log (a password hash has no business there).
    audit_exclude: tuple[str, ...] = ()

    def __init__(self, model: type[models.Model], admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)
        # The codes this admin writes are registered when it is set up, for its inline rows too.
        for audited in (model, *(inline.model for inline in self.inlines)):
            actions.register_model(audited)

    def _snapshot(self, obj: models.Model) -> dict[str, Any]:
        data = audit.snapshot(obj)
        for name in self.audit_exclude:
            data.pop(name, None)
        return data

    def _stored(self, obj: models.Model) -> models.Model:
        # The form has already written its values onto obj; the "before" is what the database holds.
        return type(obj)._default_manager.get(pk=obj.pk)

    def _log(self, request: HttpRequest, obj: models.Model, verb: str, before: dict | None, after: dict) -> None:
        audit.log(obj, f"{obj._meta.model_name}.{verb}", user=request.user, before=before, after=after)

    def _save(self, request: HttpRequest, obj: models.Model, save: Any) -> None:
        if obj.pk is None:
            save()
            self._log(request, obj, "create", None, self._snapshot(obj))
            return
        stored = self._stored(obj)
        if isinstance(getattr(obj, "version", None), int):
            obj.version = stored.version + 1  # type: ignore[attr-defined]
        save()
        self._log(request, obj, "update", self._snapshot(stored), self._snapshot(obj))

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        with transaction.atomic():
            self._save(request, obj, lambda: super(AuditedAdmin, self).save_model(request, obj, form, change))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self._log(request, obj, "delete", self._snapshot(obj), {})
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # One entry per object: the bulk delete of the changelist is audited like a single one.
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        with transaction.atomic():
            formset.save(commit=False)
            for obj in formset.deleted_objects:
                self._log(request, obj, "delete", self._snapshot(obj), {})
                obj.delete()
            for obj in formset.new_objects:
                self._save(request, obj, obj.save)
            for obj, _fields in formset.changed_objects:
                self._save(request, obj, obj.save)
            formset.save_m2m()


class ListItemAdmin(AuditedAdmin):
    """A configurable list (categories, stages, batches, specialties): rules are data."""

    list_display = ("name", "code", "name_en", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("active",)
    search_fields = ("name", "code", "name_en")


def _pretty(value: Any) -> str:
    if value is None:
        return "—"
    return format_html(
        "<pre style='margin:0;white-space:pre-wrap'>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2)
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log: looked at, never added to, edited or deleted here."""

    list_display = ("at", "action_label", "action", "object_repr", "content_type", "user", "request_id")
    list_filter = ("content_type", "action")
    list_select_related = ("content_type", "user")
    search_fields = ("action", "object_repr", "object_id", "request_id", "user__username", "user__full_name")
    date_hierarchy = "at"
    show_full_result_count = False  # the log grows without bound; one COUNT per page is enough
    fields = (
        "at",
        "action_label",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "user",
        "request_id",
        "before_json",
        "after_json",
    )
    readonly_fields = fields

    @admin.display(description=_("操作说明"))
    def action_label(self, entry: AuditEntry) -> str:
        return entry.action_label

    @admin.display(description="修改前")
    def before_json(self, entry: AuditEntry) -> str:
        return _pretty(entry.before)

    @admin.display(description="修改后")
    def after_json(self, entry: AuditEntry) -> str:
        return _pretty(entry.after)
