from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.supervision.actions import ACTIONS


class SupervisionConfig(AppConfig):
    """Month close: the 红黑榜, 红黄牌, 挂牌督办 and the snapshot a 通报 is printed from."""

    name = "keyproj.supervision"
    label = "supervision"
    verbose_name = "月度督办"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.accounts.permissions import is_office
        from keyproj.core import rules as core_rules
        from keyproj.supervision import rules
        from keyproj.supervision.models import CardRule, CompletenessRule, RankingRule

        register_actions(ACTIONS, app=self.label)
        core_rules.register(CardRule, slug="card", may_publish=is_office, check=rules.check_card_rule, order=10)
        core_rules.register(
            RankingRule, slug="ranking", may_publish=is_office, check=rules.check_ranking_rule, order=20
        )
        core_rules.register(
            CompletenessRule, slug="completeness", may_publish=is_office, check=rules.check_completeness_rule, order=30
        )
