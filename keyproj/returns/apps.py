from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.returns.actions import ACTIONS


class ReturnsConfig(AppConfig):
    """Monthly progress returns: entry, review, locks, corrections."""

    name = "keyproj.returns"
    label = "returns"
    verbose_name = "月度填报"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.accounts.permissions import is_office
        from keyproj.core import rules
        from keyproj.returns import sections
        from keyproj.returns.models import DataQualityRule, ReportingRule

        register_actions(ACTIONS, app=self.label)
        sections.register()
        rules.register(ReportingRule, slug="reporting", may_publish=is_office, order=32)
        rules.register(DataQualityRule, slug="data-quality", may_publish=is_office, order=34)
