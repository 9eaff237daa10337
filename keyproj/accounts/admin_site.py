"""The admin site: the office's back room, closed to everyone else whatever their flags."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.http import HttpRequest

from keyproj.accounts.permissions import is_office


class OfficeAdminSite(AdminSite):
    """Django's admin, for the key office only.

    The admin knows nothing of scope: it lists every project, return and token. So being
    is_staff is not enough; the user must also hold an office role (or be a superuser).
    """

    site_header = "重点项目督办平台 · 管理后台"
    site_title = "重点项目督办平台"
    index_title = "数据与配置"
    empty_value_display = "—"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and is_office(request.user)
