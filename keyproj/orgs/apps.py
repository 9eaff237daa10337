from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.orgs.actions import ACTIONS


class OrgsConfig(AppConfig):
    """Organisations: the office, districts, area commands, units, SOEs, owners and 代建 firms."""

    name = "keyproj.orgs"
    label = "orgs"
    verbose_name = "单位"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        register_actions(ACTIONS, app=self.label)
