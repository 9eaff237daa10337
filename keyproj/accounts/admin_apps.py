"""Django's admin app, serving the office-only site (kept apart: app configs load before models)."""

from django.contrib.admin.apps import AdminConfig


class OfficeAdminConfig(AdminConfig):
    """`admin.site` is keyproj.accounts.admin_site.OfficeAdminSite."""

    default_site = "keyproj.accounts.admin_site.OfficeAdminSite"
