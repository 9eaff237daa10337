"""The one door for scope: what a user may see follows from their memberships.

Every queryset that reaches a user goes through a `visible_to(user)` built on `scope_for`.
Objects outside a user's scope do not exist for them (404, never 403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404


@dataclass(frozen=True)
class Scope:
    """What one user may see.

    everything:   the whole programme (the key office, city leaders, superusers).
    agent_built:  every agent-built project (inspectors, who inspect them).
    links:        (project column, organisation id) pairs: the projects whose column names
                  that organisation, e.g. ("owner", 12) for an owner's own projects.
    """

    everything: bool = False
    agent_built: bool = False
    links: frozenset[tuple[str, int]] = frozenset()

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(org for _, org in self.links)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.agent_built or self.links)


class _Console:
    """The operator at the command line: sees everything, like manage.py itself.

    Commands pass CONSOLE explicitly (or a named user with --user); None is never read
    as the console by `scope_for`, so a view that loses its user sees nothing.
    """

    pk = None
    username = "console"
    is_authenticated = True
    is_active = True
    is_superuser = True

    def __str__(self) -> str:
        return "命令行"


CONSOLE = _Console()


def is_console(user: Any) -> bool:
    """The operator at the command line, named explicitly; never a missing user."""
    return user is CONSOLE


def require_actor(user: Any) -> Any:
    """The one who acts in a service: a signed-in active user or CONSOLE; anything else is refused.

    A missing user (None), an anonymous one or a deactivated one cannot change anything, so a view or
    a job that loses its user fails closed instead of acting with the console's rights.
    """
    if user is CONSOLE:
        return user
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        raise PermissionDenied("没有可识别的操作人，未作任何修改")
    return user


def actor_row(user: Any) -> Any:
    """The user to store as who did it (a created_by column): the user, or None for the console."""
    return None if require_actor(user) is CONSOLE else user


NOTHING = Scope()
EVERYTHING = Scope(everything=True)

# The columns through which an organisation is linked to a project.
PROJECT_ORG_FIELDS = ("district", "area_command", "responsible_unit", "owner", "agent_builder")


# Where a signed-in user's scope comes from: their memberships, which live in accounts, above core.
# accounts registers the function as it starts (AccountsConfig.ready), so core names no app above it.
_scope_source: Callable[[Any], Scope] | None = None


def register_scope_source(source: Callable[[Any], Scope]) -> None:
    """Name the function that turns a (non-superuser) user into their scope; accounts calls this once."""
    global _scope_source
    _scope_source = source


def scope_for(user: Any) -> Scope:
    """The scope of a user, computed once per user object (that is, once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user is CONSOLE:
        return EVERYTHING
    cached = getattr(user, "_keyproj_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = EVERYTHING
    else:
        # No source registered means nobody is linked to anything: fail closed.
        scope = _scope_source(user) if _scope_source is not None else NOTHING
    user._keyproj_scope = scope
    return scope


def project_q(user: Any, prefix: str = "") -> Q:
    """A filter for projects (reached through `prefix`, e.g. "project__") the user may see."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    by_field: dict[str, list[int]] = {}
    for field, org in sorted(scope.links):
        by_field.setdefault(field, []).append(org)
    for field, ids in by_field.items():
        q |= Q(**{f"{prefix}{field}_id__in": ids})
    if scope.agent_built:
        q |= Q(**{f"{prefix}agent_builder__isnull": False})
    return q


def linked_q(organisation_id: int, prefix: str = "") -> Q:
    """A filter for projects that name this organisation in any capacity."""
    q = Q(pk__in=[])
    for field in PROJECT_ORG_FIELDS:
        q |= Q(**{f"{prefix}{field}_id": organisation_id})
    return q


def scoped(model_or_queryset: type[Model] | QuerySet, user: Any) -> QuerySet:
    """The rows of a model (or a queryset of it) that `user` may see, through the model's `visible_to`."""
    queryset = (
        model_or_queryset if isinstance(model_or_queryset, QuerySet) else model_or_queryset._default_manager.all()
    )
    visible_to = getattr(queryset, "visible_to", None)
    if visible_to is None:
        # A model without a scope is no page's to look up by id: fail closed rather than show every row.
        raise TypeError(f"{queryset.model.__name__} has no visible_to(user); it cannot be looked up for a user")
    return visible_to(user)


def scoped_object_or_404(model_or_queryset: type[Model] | QuerySet, user: Any, **lookup: Any) -> Any:
    """The one object matching `lookup` among those `user` may see; out of scope is the same as not there (404).

    The pages' one door for "this id, if it is theirs": `scoped_object_or_404(Project, request.user, pk=pk)`.
    A queryset may be given to join or narrow first (`Project.objects.select_related("district")`).
    """
    queryset = scoped(model_or_queryset, user)
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        # A malformed value (a pk that is not a number) is a missing object too, never a 500.
        raise Http404 from exc
