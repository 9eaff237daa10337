from django.apps import AppConfig

from keyproj.accounts.actions import ACTIONS
from keyproj.core.actions import register as register_actions


class AccountsConfig(AppConfig):
    name = "keyproj.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from keyproj.accounts.permissions import is_office  # models are loaded only once apps are ready
        from keyproj.accounts.scoping import membership_scope  # models are loaded only once apps are ready
        from keyproj.core.audit import register_reader  # models are loaded only once apps are ready
        from keyproj.core.scoping import register_scope_source

        register_scope_source(membership_scope)
        # The whole audit log (its page and export) is the office's to read.
        register_reader(is_office)
        # The audit actions this app writes (keyproj.core.actions refuses any other).
        register_actions(ACTIONS, app=self.label)
