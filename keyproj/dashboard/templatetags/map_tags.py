"""The home page's 一张图 panel: a small map of the month that leads to the map page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from keyproj.dashboard.mapdata import boundary_url

register = template.Library()


@register.inclusion_tag("dashboard/_map_panel.html")
def map_panel(period: Any) -> dict[str, Any]:
    """The panel's addresses: its data (the map API of the month), the boundary file, the map page.

    The panel fetches its data, so the home page itself reads nothing more for it.
    """
    from keyproj.dashboard.views.city_map import map_labels

    query = f"?{urlencode({'period': str(period)})}" if period else ""
    return {
        "src": reverse("api:map") + query,
        "href": reverse("map") + query,
        "boundary": boundary_url(),
        "labels": map_labels(),
    }
