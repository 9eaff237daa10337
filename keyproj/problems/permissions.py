"""Who may do what with problems, meetings and site visits, and who holds a problem at each level.

Seeing is decided by the querysets' `visible_to`; these decide doing, for objects already in scope.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from keyproj.accounts.models import OFFICE_ROLES, Membership, Role, User
from keyproj.accounts.permissions import _roles, can_report, is_console, is_office
from keyproj.orgs.models import OrgKind
from keyproj.problems.models import Level, Problem
from keyproj.projects.models import Project


def _is(user: Any, other_id: int | None) -> bool:
    return other_id is not None and getattr(user, "pk", None) == other_id


def is_tracker(user: Any, project: Project) -> bool:
    return _is(user, project.tracker_id)


def can_raise(user: Any, project: Project) -> bool:
    """A problem is raised by the project's owner or agent builder, its tracker, its responsible
    unit or district, or the office."""
    if is_office(user) or is_tracker(user, project) or can_report(user, project):
        return True
    return bool(
        _roles(user, {project.responsible_unit_id}) & {Role.UNIT_OFFICER}
        or _roles(user, {o for o in (project.district_id, project.area_command_id) if o is not None})
        & {Role.DISTRICT_OFFICER}
    )


def holds(user: Any, problem: Problem) -> bool:
    """The user answers for the problem at its current level."""
    project = problem.project
    level = problem.level
    if level == Level.OWNER:
        return can_report(user, project) and not is_office(user)
    if level == Level.RESPONSIBLE_UNIT:
        return bool(_roles(user, {project.responsible_unit_id}) & {Role.UNIT_OFFICER})
    if level == Level.KEY_OFFICE:
        return is_office(user)
    if level == Level.LIAISON_LEADER:
        return _is(user, project.liaison_leader_id)
    return _in_leading_group(user)


def _in_leading_group(user: Any) -> bool:
    if is_console(user) or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user_id=user.pk, role=Role.LEADER, organisation__kind=OrgKind.LEADING_GROUP
    ).exists()


def leader_q(user: Any) -> Q | None:
    """The problems a city leader holds: at level 4 on the projects linked to them, and at level 5
    when they sit in the leading group; None for anyone who holds no rung as a leader."""
    if is_console(user) or not getattr(user, "is_authenticated", False):
        return None
    q = Q(pk__in=[])
    linked = Project.objects.filter(liaison_leader_id=user.pk).exists()
    if linked:
        q |= Q(level=Level.LIAISON_LEADER, project__liaison_leader_id=user.pk)
    grouped = _in_leading_group(user)
    if grouped:
        q |= Q(level=Level.LEADING_GROUP)
    return q if linked or grouped else None


def can_handle(user: Any, problem: Problem) -> bool:
    """Escalate, take up or resolve a problem: its holder at the current level, its tracker, or the office
    (which coordinates every level)."""
    return is_office(user) or is_tracker(user, problem.project) or holds(user, problem)


def can_confirm(user: Any) -> bool:
    """Closing (销号) a resolved problem, or reopening it, is the office's decision."""
    return is_office(user)


def can_coordinate(user: Any) -> bool:
    """Meetings and site visits are recorded by the office, districts and responsible units
    (the seed's 轻骑兵 are the office's and the departments' field staff)."""
    return is_office(user) or bool(_roles(user) & {Role.DISTRICT_OFFICER, Role.UNIT_OFFICER})


def holders(problem: Problem, level: int | None = None) -> QuerySet[User]:
    """The people who hold a problem at `level` (its current level by default): whom to notify."""
    project = problem.project
    level = problem.level if level is None else level
    users = User.objects.filter(is_active=True)
    if level == Level.OWNER:
        q = Q(memberships__role=Role.OWNER, memberships__organisation_id=project.owner_id)
        if project.agent_builder_id:
            q |= Q(memberships__role=Role.AGENT_BUILDER, memberships__organisation_id=project.agent_builder_id)
    elif level == Level.RESPONSIBLE_UNIT:
        q = Q(memberships__role=Role.UNIT_OFFICER, memberships__organisation_id=project.responsible_unit_id)
    elif level == Level.KEY_OFFICE:
        # The tracker follows the project for the office; without one, the whole office is told.
        q = Q(pk=project.tracker_id) if project.tracker_id else Q(memberships__role__in=OFFICE_ROLES)
    elif level == Level.LIAISON_LEADER:
        q = Q(pk=project.liaison_leader_id) if project.liaison_leader_id else Q(memberships__role=Role.LEADER)
    else:
        q = Q(memberships__role=Role.LEADER, memberships__organisation__kind=OrgKind.LEADING_GROUP)
    return users.filter(q).distinct()
