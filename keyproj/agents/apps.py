from django.apps import AppConfig

from keyproj.agents.actions import ACTIONS
from keyproj.core.actions import register as register_actions


class AgentsConfig(AppConfig):
    """The 代建 directory, its scope rules, quarterly inspections and credit."""

    name = "keyproj.agents"
    label = "agents"
    verbose_name = "代建管理"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.accounts.permissions import is_office
        from keyproj.agents.models import AgentRule
        from keyproj.agents.rules import project_check, rule_check
        from keyproj.core import rules
        from keyproj.projects import extensions

        register_actions(ACTIONS, app=self.label)
        # The register refuses a project given to a firm against the 代建 scope rules.
        extensions.register_check("agents.assignment", project_check)
        rules.register(AgentRule, slug="agents", may_publish=is_office, check=rule_check, order=60)
