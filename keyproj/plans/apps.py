from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.plans.actions import ACTIONS


class PlansConfig(AppConfig):
    name = "keyproj.plans"
    label = "plans"
    verbose_name = "年度计划"

    def ready(self) -> None:
        # The audit actions this app writes (keyproj.core.actions refuses any other).
        register_actions(ACTIONS, app=self.label)
        from keyproj.plans import sections  # noqa: F401  (registers its project-page block; models are ready only now)
