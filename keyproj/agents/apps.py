from django.apps import AppConfig

from keyproj.agents.actions import ACTIONS
from keyproj.core.actions import register as register_actions


class AgentsConfig(AppConfig):
    name = "keyproj.agents"
    label = "agents"
    verbose_name = "代建管理"

    def ready(self) -> None:
        # The audit actions this app writes (keyproj.core.actions refuses any other).
        register_actions(ACTIONS, app=self.label)
        from keyproj.accounts.permissions import is_office
        from keyproj.agents.models import AgentRule  # models are not ready at import time
        from keyproj.agents.rules import project_check, rule_check
        from keyproj.core import rules
        from keyproj.projects import extensions

        # The register refuses a project given to a firm against the 代建 scope rules.
        extensions.register_check("agents.assignment", project_check)
        rules.register(AgentRule, slug="agents", may_publish=is_office, check=rule_check, order=60)
