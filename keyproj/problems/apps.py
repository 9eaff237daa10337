from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.problems.actions import ACTIONS


class ProblemsConfig(AppConfig):
    """Problems and their escalation, meetings, site visits."""

    name = "keyproj.problems"
    label = "problems"
    verbose_name = "问题协调"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.accounts.permissions import is_office
        from keyproj.core import rules
        from keyproj.problems.models import ProblemRule

        register_actions(ACTIONS, app=self.label)
        rules.register(ProblemRule, slug="problems", may_publish=is_office, order=50)
