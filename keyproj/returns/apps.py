from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.returns.actions import ACTIONS


class ReturnsConfig(AppConfig):
    name = "keyproj.returns"
    label = "returns"
    verbose_name = "月度填报"

    def ready(self) -> None:
        # The audit actions this app writes (keyproj.core.actions refuses any other).
        register_actions(ACTIONS, app=self.label)
        from keyproj.returns import sections  # noqa: F401  (registers its project-page block; models are ready only now)
