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
