from __future__ import annotations

from typing import Any

from django.db import models

from keyproj.core.scoping import project_q


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ProjectQuerySet:
        """Projects the user may see (the one door: see keyproj.core.scoping)."""
        return self.filter(project_q(user))
