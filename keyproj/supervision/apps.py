from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.supervision.actions import ACTIONS


class SupervisionConfig(AppConfig):
    name = "keyproj.supervision"
    label = "supervision"
    verbose_name = "月度督办"

    def ready(self) -> None:
        # The audit actions this app writes (keyproj.core.actions refuses any other).
        register_actions(ACTIONS, app=self.label)
