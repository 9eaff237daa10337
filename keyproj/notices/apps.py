from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.notices.actions import ACTIONS


class NoticesConfig(AppConfig):
    name = "keyproj.notices"
    label = "notices"
    verbose_name = "通报"

    def ready(self) -> None:
        # The audit actions this app writes (keyproj.core.actions refuses any other).
        register_actions(ACTIONS, app=self.label)
        # Models and the permission check are importable only once the apps are ready.
        from keyproj.accounts.permissions import is_office
        from keyproj.core import rules
        from keyproj.notices.models import NumberingRule, check_numbering_rule

        rules.register(NumberingRule, slug="numbering", may_publish=is_office, check=check_numbering_rule, order=90)
