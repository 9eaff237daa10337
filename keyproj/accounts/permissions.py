"""Who may change what. Seeing is decided by keyproj.core.scoping; these decide doing.

Each check assumes the object is already within the user's scope (it came through
visible_to); a user outside it never reaches these.
"""

from __future__ import annotations

from typing import Any

from keyproj.accounts.models import OFFICE_ROLES, Role
from keyproj.core.scoping import CONSOLE
from keyproj.core.scoping import is_console as is_console  # callers ask here whether a user is the console


def _roles(user: Any, organisation_ids: set[int] | None = None) -> set[str]:
    """The user's roles, or only those held in the given organisations."""
    if user is None or user is CONSOLE or not user.is_authenticated:
        return set()
    cache = getattr(user, "_keyproj_roles", None)
    if cache is None:
        cache = user._keyproj_roles = list(user.memberships.values_list("role", "organisation_id"))
    return {role for role, org in cache if organisation_ids is None or org in organisation_ids}


def is_office(user: Any) -> bool:
    """The key office's rights: its members, superusers and the console (named as CONSOLE, never None).

    A missing or anonymous user has none of them, so a service that lost its user refuses.
    """
    if is_console(user):
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(getattr(user, "is_superuser", False)) or bool(_roles(user) & OFFICE_ROLES)


def can_manage_projects(user: Any) -> bool:
    """Adding projects to the register and changing their facts is the office's work."""
    return is_office(user)


def can_plan(user: Any, project: Any) -> bool:
    """An annual plan is drawn up by the owner or the responsible unit, or the office."""
    if is_office(user):
        return True
    return bool(
        _roles(user, {project.owner_id}) & {Role.OWNER}
        or _roles(user, {project.responsible_unit_id}) & {Role.UNIT_OFFICER}
    )


def can_report(user: Any, project: Any) -> bool:
    """Returns are filled in by the project's owner or its agent builder (or the office)."""
    if is_office(user):
        return True
    return bool(
        _roles(user, {project.owner_id}) & {Role.OWNER}
        or _roles(user, {project.agent_builder_id}) & {Role.AGENT_BUILDER}
    )


def can_review(user: Any, project: Any) -> bool:
    """Returns are approved by the project's responsible unit (or the office)."""
    if is_office(user):
        return True
    return bool(_roles(user, {project.responsible_unit_id}) & {Role.UNIT_OFFICER})
