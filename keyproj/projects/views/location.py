"""The project's point: set or cleared from the project page's map (a POST that answers JSON).

The page's map posts what was clicked, in the system the map draws in (GCJ-02 for the Chinese
base maps); the service converts, stores WGS-84 and refuses a point outside the city or the
project's district with the reason, which the page shows as it is.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from keyproj.core import geo
from keyproj.core.audit import ConflictError
from keyproj.core.errors import Refused
from keyproj.projects.models import Project
from keyproj.projects.services import set_location

# The service's Chinese labels → the names the page posts.
_FIELDS = {"经度": "lng", "纬度": "lat", "坐标系": "crs"}


def point_json(project: Project) -> dict[str, Any]:
    """The project's stored point (WGS-84 strings, or None) and the district it lies in."""
    district = None
    if project.lng is not None and project.lat is not None:
        try:
            found = geo.load_boundary().district_at(float(project.lng), float(project.lat), geo.WGS84)
        except geo.BoundaryUnavailable:
            found = None
        if found is not None:
            district = {"code": found.code, "name": found.name}
    return {
        "lng": None if project.lng is None else str(project.lng),
        "lat": None if project.lat is None else str(project.lat),
        "crs": geo.WGS84,
        "district": district,
    }


@require_POST
@login_required
def project_location(request: HttpRequest, pk: int) -> JsonResponse:
    """Set the project's point from lng/lat/crs (both blank clears it); 400 with the reason when refused."""
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("district"), pk=pk)
    data = request.POST
    version = data.get("version", "").strip()
    try:
        set_location(
            project,
            lng=data.get("lng", ""),
            lat=data.get("lat", ""),
            crs=data.get("crs", "") or geo.WGS84,
            user=request.user,
            expected_version=int(version) if version.isdigit() else None,
        )
    except Refused as refused:
        problems = [{"field": _FIELDS.get(p.field, p.field), "message": p.message} for p in refused.problems]
        detail = "；".join(p.message for p in refused.problems)
        return JsonResponse({"ok": False, "detail": detail, "problems": problems}, status=400)
    except PermissionDenied as denied:
        return JsonResponse({"ok": False, "detail": str(denied) or gettext("没有权限")}, status=403)
    except ConflictError:
        return JsonResponse({"ok": False, "detail": gettext("该项目在您打开后已被他人修改，请刷新后重试")}, status=409)
    return JsonResponse({"ok": True, **point_json(project), "version": project.version})
