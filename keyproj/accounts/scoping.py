"""A user's scope from their memberships: the source keyproj.core.scoping asks (registered at start-up)."""

from __future__ import annotations

from typing import Any

from keyproj.accounts.models import CITY_WIDE_ROLES, ROLE_PROJECT_FIELDS, Membership, Role
from keyproj.core.scoping import Scope


def membership_scope(user: Any) -> Scope:
    """The whole programme for city-wide roles, every agent-built project for inspectors, else the linked projects."""
    rows = list(Membership.objects.filter(user=user).values_list("role", "organisation_id"))
    roles = {role for role, _ in rows}
    return Scope(
        everything=bool(roles & CITY_WIDE_ROLES),
        agent_built=Role.INSPECTOR in roles,
        links=frozenset((field, org) for role, org in rows for field in ROLE_PROJECT_FIELDS.get(role, ())),
    )
