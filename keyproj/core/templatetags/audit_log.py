"""Whether the menu offers the audit log: `{% if user|reads_audit_log %}` (the office only)."""

from __future__ import annotations

from typing import Any

from django import template

from keyproj.core import audit

register = template.Library()


@register.filter
def reads_audit_log(user: Any) -> bool:
    return audit.may_read(user)
