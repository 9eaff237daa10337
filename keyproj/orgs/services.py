"""Changes to organisations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from keyproj.accounts.permissions import is_office
from keyproj.core import audit
from keyproj.orgs.models import Organisation, OrgKind


def ensure_organisations(kind: str, names: Iterable[str], *, user: Any) -> dict[str, Organisation]:
    """The organisations of one kind with these names, creating those that do not exist yet.

    Districts are never created this way: they are known bodies with division codes.
    """
    if kind == OrgKind.DISTRICT:
        raise ValueError("districts are not created by name")
    wanted = {name.strip() for name in names if name and name.strip()}
    found = {org.name: org for org in Organisation.objects.filter(kind=kind, name__in=wanted)}
    missing = sorted(wanted - found.keys())
    if missing:
        if not is_office(user):
            raise PermissionDenied("只有重点办可以新增单位")
        with transaction.atomic():
            for name in missing:
                org = Organisation.objects.create(kind=kind, name=name)
                audit.log(org, "organisation.create", user=user)
                found[name] = org
    return found


def create_organisation(*, user: Any, **fields: Any) -> Organisation:
    """Add one organisation to the register (the office only)."""
    if not is_office(user):
        raise PermissionDenied("只有重点办可以新增单位")
    org = Organisation(**fields)
    org.full_clean()
    with transaction.atomic():
        org.save()
        audit.log(org, "organisation.create", user=user)
    return org
