"""The project page's location block: the project's point, and for those who may set it, a map to click.

Registered into keyproj.projects.extensions by DashboardConfig.ready. The map is the project's
district cut out of the city's boundary file (the whole city when the district is not in it);
a click sends the point, in the boundary's coordinate system, to the projects app's location
endpoint, which stores it in WGS-84 or answers why not (outside the city, in another district).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from keyproj.core import geo
from keyproj.core.period import Period
from keyproj.dashboard.mapdata import boundary_crs, boundary_url
from keyproj.projects import extensions
from keyproj.projects.models import Project
from keyproj.projects.services import can_set_location


def _endpoint(project: Project) -> str:
    try:
        return reverse("projects:location", args=[project.pk])
    except NoReverseMatch:  # the endpoint belongs to the projects app; without it there is nothing to send to
        return ""


def location_context(request: HttpRequest, project: Project, period: Period | None) -> dict[str, Any]:
    """The point as drawn (in the boundary's system) and the picker's settings.

    The stored point itself (WGS-84) is among the project's facts above the block (坐标).
    """
    lng, lat = getattr(project, "lng", None), getattr(project, "lat", None)
    crs = boundary_crs()
    drawn = None
    if lng is not None and lat is not None:
        x, y = geo.convert(float(lng), float(lat), geo.WGS84, crs)
        drawn = [float(geo.quantize(x)), float(geo.quantize(y))]
    editable = can_set_location(request.user, project) and bool(_endpoint(project))
    return {
        "location": {
            "lng": lng,
            "lat": lat,
            "editable": editable,
            "picker": {
                "endpoint": _endpoint(project) if editable else "",
                "boundary": boundary_url(),
                "crs": crs,
                "district": project.district.code,
                "drawn": drawn,
                # The project's version: a point set by someone else since the page was opened is not overwritten.
                "version": project.version,
                "echarts": static("vendor/echarts.min.js"),
                "labels": {
                    "saving": gettext("正在保存……"),
                    "saved": gettext("已保存位置：经度 %(lng)s，纬度 %(lat)s（WGS-84）"),
                    "refused": gettext("未保存："),
                    "failed": gettext("保存失败，请稍后再试。"),
                    "point": gettext("项目位置"),
                },
            },
        }
    }


LOCATION_SECTION = extensions.Section(
    key="location", order=35, template="dashboard/_location_picker.html", context=location_context
)


def register() -> None:
    """Put the block on the project page (called from the app's ready())."""
    extensions.register_section(LOCATION_SECTION)
