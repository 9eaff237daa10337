from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "keyproj.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from keyproj.accounts.scoping import membership_scope  # models are loaded only once apps are ready
        from keyproj.core.scoping import register_scope_source

        register_scope_source(membership_scope)
