from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.orgs.actions import ACTIONS


class OrgsConfig(AppConfig):
    name = "keyproj.orgs"
    label = "orgs"
    verbose_name = "单位"

    def ready(self) -> None:
        # The audit actions this app writes (keyproj.core.actions refuses any other).
        register_actions(ACTIONS, app=self.label)
