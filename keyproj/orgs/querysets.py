from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from keyproj.core.scoping import PROJECT_ORG_FIELDS, project_q, scope_for

# Each organisation column of a project → its related_name on Organisation (keyproj.projects.models).
PROJECT_RELATIONS = {
    "district": "district_projects",
    "area_command": "area_projects",
    "responsible_unit": "unit_projects",
    "owner": "owned_projects",
    "agent_builder": "agent_projects",
}


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> OrganisationQuerySet:
        """The office sees every organisation; others their own and those on their projects."""
        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.is_empty:
            return self.none()
        # The organisations named by a visible project, reached through the reverse relation of each
        # of the project's organisation columns: projects sit above orgs and are not imported here.
        q = Q(pk__in=sorted(scope.organisation_ids))
        for field in PROJECT_ORG_FIELDS:
            relation = PROJECT_RELATIONS[field]
            q |= Q(pk__in=self.model._default_manager.filter(project_q(user, f"{relation}__")).values("pk"))
        return self.filter(q)

    def districts(self) -> OrganisationQuerySet:
        return self.filter(kind="district")
