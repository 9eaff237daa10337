"""Whether the menu offers the audit log: `{% if user|reads_audit_log %}` (the office only)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Prefetch, prefetch_related_objects

from keyproj.core import audit

register = template.Library()


@register.filter
def reads_audit_log(user: Any) -> bool:
    # The header lists the user's posts with their organisations just after the menu: they are read
    # here in one query, so asking whether the user is the office costs the page no extra query.
    if getattr(user, "is_authenticated", False) and hasattr(user, "memberships"):
        posts = user.memberships.model._default_manager.select_related("organisation")
        prefetch_related_objects([user], Prefetch("memberships", queryset=posts))
    return audit.may_read(user)
