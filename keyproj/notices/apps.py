from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.notices.actions import ACTIONS


class NoticesConfig(AppConfig):
    """The 通报 kept as issued: numbered, stored as files, served by their hash."""

    name = "keyproj.notices"
    label = "notices"
    verbose_name = "通报"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.accounts.permissions import is_office
        from keyproj.core import rules
        from keyproj.notices.models import NumberingRule, check_numbering_rule

        register_actions(ACTIONS, app=self.label)
        rules.register(NumberingRule, slug="numbering", may_publish=is_office, check=check_numbering_rule, order=90)
