from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.problems.actions import ACTIONS


class ProblemsConfig(AppConfig):
    name = "keyproj.problems"
    label = "problems"
    verbose_name = "问题协调"

    def ready(self) -> None:
        # The audit actions this app writes (keyproj.core.actions refuses any other).
        register_actions(ACTIONS, app=self.label)
        from keyproj.accounts.permissions import is_office
        from keyproj.core import rules
        from keyproj.problems.models import ProblemRule  # models are not ready at import time

        rules.register(ProblemRule, slug="problems", may_publish=is_office, order=50)
