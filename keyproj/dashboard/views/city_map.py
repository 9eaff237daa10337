"""一张图: the month's districts and project points on the city's map, with the projects listed beside it.

The page carries the month's map data in a json_script block (no inline script: the CSP forbids
it); keyproj/static/keyproj/map.js draws it with ECharts over the city's boundary file. A click on
a district filters the points and the list to it, a click on a point opens the project.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from keyproj.core import geo
from keyproj.core.params import page_period
from keyproj.core.scoping import scope_for
from keyproj.dashboard.mapdata import boundary_url, default_period, map_data
from keyproj.dashboard.views.home import home_months
from keyproj.metrics import dashboard
from keyproj.metrics.figures import parse_scope


def map_labels() -> dict[str, str]:
    """The words map.js writes on the map (legend, tooltip, switch), in the page's language."""
    return {
        "schedule_rate": gettext("完成序时进度计划"),
        "score": gettext("红黑榜得分"),
        "rank": gettext("名次"),
        "annual_plan": gettext("年度计划投资"),
        "wan": gettext("万元"),
        "red": gettext("红牌"),
        "yellow": gettext("黄牌"),
        "none": gettext("无牌"),
        "no_data": gettext("无数据"),
        "colon": gettext("："),
        "click_point": gettext("点击打开项目"),
        "click_district": gettext("点击只看本区项目，再次点击显示全部"),
        "projects": gettext("个项目"),
    }


def map_context(user: Any, period: Any) -> dict[str, Any]:
    """What the map's script reads: the month's data, the boundary file, the labels."""
    return {
        "data": map_data(user, period).as_json(),
        "boundary": boundary_url(),
        "labels": map_labels(),
        "api": reverse("api:map"),
    }


@require_safe
@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    """The month's map of what the user may see."""
    user = request.user
    context: dict[str, Any] = {"nav": "map"}
    if scope_for(user).is_empty:
        return render(request, "dashboard/map.html", {**context, "no_scope": True})

    months = home_months(user)
    period, period_error = page_period(request, months.default or default_period(user))
    assert period is not None  # default_period always names a month
    periods = dashboard.picker_periods(user, months.newest)
    context.update(
        period=period,
        period_error=period_error,
        picker=sorted({*periods, period}, reverse=True),
        latest_closed=months.latest_closed,
        map=map_context(user, period),
        # What the list holds before a district is chosen: 全市, or the user's own part of it (思明区 …).
        scope_label=parse_scope(None, user).label,
    )
    return render(request, "dashboard/map.html", context, status=400 if period_error else 200)


@require_safe
@login_required
def boundary(request: HttpRequest) -> HttpResponse:
    """The city's district boundaries (KEYPROJ_BOUNDARY_FILE) as GeoJSON, for the maps' scripts.

    Public geography, the same for every user; the browser may keep it a day, and asks again
    with the file's time, so a rebuilt file reaches it.
    """
    path, _crs = geo.boundary_settings()
    try:
        stat = path.stat()
    except OSError:
        raise Http404(gettext("城市边界文件不存在")) from None
    etag = f'"{int(stat.st_mtime)}-{stat.st_size}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    response = FileResponse(path.open("rb"), content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=86400"
    return response
