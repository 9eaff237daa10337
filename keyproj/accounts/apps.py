from django.apps import AppConfig

from keyproj.accounts.actions import ACTIONS
from keyproj.core.actions import register as register_actions


class AccountsConfig(AppConfig):
    """Users, their posts (memberships) and who may do what; the source of every user's scope."""

    name = "keyproj.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.accounts.permissions import is_office
        from keyproj.accounts.scoping import membership_scope
        from keyproj.core.audit import register_reader
        from keyproj.core.scoping import register_scope_source

        register_actions(ACTIONS, app=self.label)
        register_scope_source(membership_scope)
        # The whole audit log (its page, API and export) is the office's to read.
        register_reader(is_office)
