from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "keyproj.problems"
    label = "problems"
    verbose_name = "问题协调"

    def ready(self) -> None:
        from keyproj.accounts.permissions import is_office
        from keyproj.core import rules
        from keyproj.problems.models import ProblemRule  # models are not ready at import time

        rules.register(ProblemRule, slug="problems", may_publish=is_office, order=50)
