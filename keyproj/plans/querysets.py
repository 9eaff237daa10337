from __future__ import annotations

from typing import Any

from django.db import models

from keyproj.core.scoping import project_q


class AnnualPlanQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AnnualPlanQuerySet:
        return self.filter(project_q(user, "project__"))


class MonthlyPlanQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> MonthlyPlanQuerySet:
        return self.filter(project_q(user, "plan__project__"))
