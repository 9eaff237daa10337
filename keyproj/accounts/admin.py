"""Users and their memberships in the admin: who may sign in, and with which role where."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from keyproj.accounts.models import Membership, User
from keyproj.core.admin import AuditedAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)
    verbose_name = "岗位（单位与角色）"
    verbose_name_plural = "岗位（单位与角色）"


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    """Django's user admin, plus the name and phone, and the memberships that give a user scope."""

    audit_exclude = ("password", "last_login")
    list_display = ("username", "full_name", "roles", "phone", "is_staff", "is_active", "last_login")
    list_filter = ("memberships__role", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "full_name", "email", "phone", "memberships__organisation__name")
    ordering = ("username",)
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "phone", "email")}),
        (
            "权限",
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "description": "“职员状态”只给重点办的后台管理人员；各单位用户的可见范围由下方的岗位决定。",
            },
        ),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")}),)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("memberships__organisation")

    @admin.display(description="岗位")
    def roles(self, user: User) -> str:
        return "；".join(f"{m.organisation.label} · {m.get_role_display()}" for m in user.memberships.all()) or "—"


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    """A role held in an organisation: what decides which projects a user sees."""

    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation__kind")
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "user__full_name", "organisation__name", "organisation__short_name")
    autocomplete_fields = ("user", "organisation")
