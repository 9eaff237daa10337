from __future__ import annotations

from typing import Any

from django.db import models

from keyproj.core.scoping import project_q


class ProgressReturnQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ProgressReturnQuerySet:
        return self.filter(project_q(user, "project__"))

    def approved(self) -> ProgressReturnQuerySet:
        return self.filter(status="approved")
