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
        from keyproj.accounts.permissions import is_office  # imported here: models are ready only now
        from keyproj.core import rules  # defines abstract models: apps must be ready
        from keyproj.returns import sections  # noqa: F401  (registers its project-page block; models are ready only now)
        from keyproj.returns.models import DataQualityRule, ReportingRule  # models are ready only now

        rules.register(ReportingRule, slug="reporting", may_publish=is_office, order=32)
        rules.register(DataQualityRule, slug="data-quality", may_publish=is_office, order=34)
