"""Who sees what of 代建管理: one door, built on keyproj.core.scoping.

* The office and city leaders (scope.everything) and inspectors (scope.agent_built) see
  every firm and every record.
* A firm's own users see their firm's records and scores, never another firm's.
* District, unit and owner users see the firms building the projects in their scope — each
  firm's place in the directory (status, classes, admissions) — and those projects'
  inspections, but no firm's file (credit, staff, attendance, final accounts).
* Anyone else sees nothing (404).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from keyproj.core.scoping import Scope, scope_for
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects.models import Project


def own_firm_ids(scope: Scope) -> list[int]:
    """The firms whose agent-builder users the scope belongs to."""
    return sorted(org for field, org in scope.links if field == "agent_builder")


def sees_every_firm(scope: Scope) -> bool:
    return scope.everything or scope.agent_built


def reads_firm_files(scope: Scope) -> bool:
    """Whether the scope reads firms' files (credit, staff, attendance …): the office, inspectors, a firm's own."""
    return sees_every_firm(scope) or bool(own_firm_ids(scope))


def firm_q(user: Any, prefix: str = "") -> Q:
    """A filter for rows reached through `prefix` that name a firm (e.g. "firm_" for a firm FK's id)."""
    scope = scope_for(user)
    if sees_every_firm(scope):
        return Q()
    return Q(**{f"{prefix}id__in": own_firm_ids(scope)})


class FirmRecordQuerySet(models.QuerySet):
    """Records of one firm's file (credit, staff, attendance …)."""

    def visible_to(self, user: Any) -> FirmRecordQuerySet:
        return self.filter(firm_q(user, "firm_"))


class DirectoryQuerySet(models.QuerySet):
    """A firm's place in the directory (its classes, its admissions and suspensions): public for
    every firm the user may see, which for districts, units and owners includes the firms building
    their projects."""

    def visible_to(self, user: Any) -> DirectoryQuerySet:
        scope = scope_for(user)
        if sees_every_firm(scope):
            return self
        return self.filter(firm__in=firms_visible_to(user))


class InspectionQuerySet(models.QuerySet):
    """Inspections: a firm sees those of its own projects; districts and owners those of theirs."""

    def visible_to(self, user: Any) -> InspectionQuerySet:
        scope = scope_for(user)
        if sees_every_firm(scope):
            return self
        q = Q(pk__in=[])
        for field, org in sorted(scope.links):
            if field == "agent_builder":
                q |= Q(firm_id=org)
            else:
                q |= Q(**{f"project__{field}_id": org})
        return self.filter(q)


class RoundQuerySet(models.QuerySet):
    """Quarters: the seed, pool and draw are published, so anyone with a role sees them."""

    def visible_to(self, user: Any) -> RoundQuerySet:
        return self.none() if scope_for(user).is_empty else self


def firms_visible_to(user: Any) -> models.QuerySet:
    """The directory's firms the user may see: all of them for the office and inspectors; else
    their own firm and the firms building the projects they may see (none without a role)."""
    firms = Organisation.objects.filter(kind=OrgKind.AGENT_BUILDER)
    scope = scope_for(user)
    if sees_every_firm(scope):
        return firms
    if scope.is_empty:
        return firms.none()
    building = Project.objects.visible_to(user).filter(agent_builder__isnull=False).values("agent_builder_id")
    return firms.filter(Q(pk__in=own_firm_ids(scope)) | Q(pk__in=building))


# The fields of a round that list project codes.
ROUND_CODE_FIELDS = ("pool", "picks", "drawn")


def visible_round_codes(user: Any, found: Any) -> dict[str, list[str]]:
    """A round's pool, picks and draw as the user may see them.

    The office, leaders and inspectors see every code. Anyone else sees only the codes of
    projects in their own scope: the seed and the pool's fingerprint stay public, so the
    draw can still be checked, but the list of other organisations' projects is not theirs.
    """
    codes = {name: list(getattr(found, name) or []) for name in ROUND_CODE_FIELDS}
    if sees_every_firm(scope_for(user)):
        return codes
    every = {code for values in codes.values() for code in values}
    seen = set(Project.objects.visible_to(user).filter(code__in=every).values_list("code", flat=True))
    return {name: [code for code in values if code in seen] for name, values in codes.items()}


def cut_round(user: Any, found: Any) -> Any:
    """The round (not saved) with its code lists cut to what the user may see, for display."""
    for name, values in visible_round_codes(user, found).items():
        setattr(found, name, values)
    return found
