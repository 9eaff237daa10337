from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.plans.actions import ACTIONS


class PlansConfig(AppConfig):
    """Annual plans, their monthly lines, baselines and amendments."""

    name = "keyproj.plans"
    label = "plans"
    verbose_name = "年度计划"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.plans import sections

        register_actions(ACTIONS, app=self.label)
        sections.register()
