from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.supervision.actions import ACTIONS


class SupervisionConfig(AppConfig):
    name = "keyproj.supervision"
    label = "supervision"
    verbose_name = "月度督办"

    def ready(self) -> None:
        # The audit actions this app writes (keyproj.core.actions refuses any other).
        register_actions(ACTIONS, app=self.label)
        # Models are importable only once the apps are ready.
        from keyproj.accounts.permissions import is_office
        from keyproj.core import rules as core_rules
        from keyproj.supervision import rules
        from keyproj.supervision.models import CardRule, CompletenessRule, RankingRule

        core_rules.register(CardRule, slug="card", may_publish=is_office, check=rules.check_card_rule, order=10)
        core_rules.register(
            RankingRule, slug="ranking", may_publish=is_office, check=rules.check_ranking_rule, order=20
        )
        core_rules.register(
            CompletenessRule, slug="completeness", may_publish=is_office, check=rules.check_completeness_rule, order=30
        )
