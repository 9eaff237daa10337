"""The notification bell in the header.

The page itself spends no query on it: the link is rendered plain and htmx swaps in the
unread count from `problems:bell` (one COUNT) once the page has loaded, so every page's
pinned query count stays what it was.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_bell(context: dict[str, Any]) -> str:
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return format_html(
        '<a class="link" href="{}" hx-get="{}" hx-trigger="load" hx-swap="outerHTML">{}</a>',
        reverse("problems:notifications"),
        reverse("problems:bell"),
        gettext("通知"),
    )
