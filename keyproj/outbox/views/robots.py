"""群机器人: the office's list of the organisations' group robots, adding, changing and stopping them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from keyproj.core.errors import Refused, add_to_form
from keyproj.core.scoping import scoped, scoped_object_or_404
from keyproj.outbox import services
from keyproj.outbox.forms import RobotForm
from keyproj.outbox.models import Robot
from keyproj.outbox.views.common import office_only


@login_required
def robots(request: HttpRequest) -> HttpResponse:
    office_only(request)
    rows = scoped(Robot.objects.select_related("organisation"), request.user)
    return render(request, "outbox/robots.html", {"nav": "", "robots": rows})


def _data(form: RobotForm, robot: Robot | None) -> services.RobotData:
    data: dict[str, Any] = form.cleaned_data
    return services.RobotData(
        organisation=data["organisation"],
        name=data["name"],
        kind=data["kind"],
        url=data["url"] or (robot.url if robot is not None else ""),
        secret=data["secret"],
        mode=data["mode"],
        enabled=data["enabled"],
        clear_secret=data.get("clear_secret", False),
    )


def _edit(request: HttpRequest, robot: Robot | None) -> HttpResponse:
    initial: dict[str, Any] = {"enabled": True}
    if robot is not None:
        initial = {
            "organisation": robot.organisation_id,
            "name": robot.name,
            "kind": robot.kind,
            "mode": robot.mode,
            "enabled": robot.enabled,
        }
    form = RobotForm(request.POST or None, initial=initial, robot=robot)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_robot(_data(form, robot), user=request.user, robot=robot)
        except Refused as refused:
            add_to_form(form, refused)
        else:
            messages.success(request, gettext("群机器人“%(name)s”已保存。") % {"name": saved.name})
            return redirect("outbox:robots")
    context = {"nav": "", "form": form, "robot": robot}
    return render(request, "outbox/robot_form.html", context, status=400 if form.errors else 200)


@login_required
def add_robot(request: HttpRequest) -> HttpResponse:
    office_only(request)
    return _edit(request, None)


@login_required
def edit_robot(request: HttpRequest, pk: int) -> HttpResponse:
    office_only(request)
    return _edit(request, scoped_object_or_404(Robot, request.user, pk=pk))


@login_required
@require_POST
def toggle_robot(request: HttpRequest, pk: int) -> HttpResponse:
    office_only(request)
    robot = scoped_object_or_404(Robot, request.user, pk=pk)
    enabled = request.POST.get("enabled") == "1"
    services.set_robot_enabled(robot, enabled=enabled, user=request.user)
    if enabled:
        messages.success(request, gettext("群机器人“%(name)s”已启用。") % {"name": robot.name})
    else:
        messages.success(request, gettext("群机器人“%(name)s”已停用。") % {"name": robot.name})
    return redirect("outbox:robots")
