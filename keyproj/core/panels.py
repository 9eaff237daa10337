"""Blocks an app above adds to another app's detail page, so the page's app imports none of them.

A return's page (returns) and a site visit's page (problems) show the photos taken for them, which
the photos app above both keeps. The higher app registers a panel for the model's label in its
AppConfig.ready(); the page asks `rendered(request, obj)` for the HTML of every panel and places it.
A panel renders what the request's user may see of the object, or an empty string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Panel:
    """One block of a detail page: render(request, obj) gives its HTML (escaped by its template)."""

    key: str
    order: int
    render: Callable[[HttpRequest, Any], str]


PANELS: dict[str, dict[str, Panel]] = {}


def register_panel(model_label: str, panel: Panel) -> None:
    """Add a block to the detail page of a model ("returns.progressreturn"); called from AppConfig.ready()."""
    PANELS.setdefault(model_label.lower(), {})[panel.key] = panel


def rendered(request: HttpRequest, obj: Model) -> list[SafeString]:
    """The HTML of the blocks registered for this object's page, in order (empty ones left out)."""
    panels = sorted(PANELS.get(obj._meta.label_lower, {}).values(), key=lambda p: (p.order, p.key))
    # Each panel renders through a template that escapes what it shows: its output is safe as a whole.
    return [mark_safe(html) for p in panels if (html := p.render(request, obj))]
