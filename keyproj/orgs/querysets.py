from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from keyproj.core.scoping import PROJECT_ORG_FIELDS, scope_for


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> OrganisationQuerySet:
        """The office sees every organisation; others their own and those on their projects."""
        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.is_empty:
            return self.none()
        from keyproj.projects.models import Project

        projects = Project.objects.visible_to(user)
        q = Q(pk__in=sorted(scope.organisation_ids))
        for field in PROJECT_ORG_FIELDS:
            q |= Q(pk__in=projects.values(f"{field}_id"))
        return self.filter(q)

    def districts(self) -> OrganisationQuerySet:
        return self.filter(kind="district")
