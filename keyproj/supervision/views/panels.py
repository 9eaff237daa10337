"""The htmx panels other pages load: the dashboard's forecast, a project's cards and listings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from keyproj.core.params import page_period
from keyproj.core.scoping import scope_for, scoped_object_or_404
from keyproj.metrics.dashboard import latest_reported
from keyproj.projects.models import Project
from keyproj.supervision import forecast as forecasting
from keyproj.supervision.models import Card, Listing

FORECAST_SHOWN = 8


@require_safe
@login_required
def forecast_panel(request: HttpRequest) -> HttpResponse:
    """The dashboard's "likely to miss the annual plan" panel (htmx), for what the user may see."""
    # A panel has no room for a message: a month that is not one shows the latest reported month.
    period, _message = page_period(request, None)
    period = period or latest_reported(request.user)
    context: dict[str, Any] = {"period": period}
    if period is not None and not scope_for(request.user).is_empty:
        city = forecasting.city_forecast(request.user, period)
        context.update(city=city, short=list(forecasting.likely_to_miss(request.user, period)[:FORECAST_SHOWN]))
    return render(request, "supervision/_forecast_panel.html", context)


@require_safe
@login_required
def project_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's cards at each close and its listings (htmx panel on the project page)."""
    project = scoped_object_or_404(Project, request.user, pk=pk)
    cards = (
        Card.objects.visible_to(request.user)
        .filter(project=project, close__status="closed")
        .select_related("close")
        .order_by("-close__year", "-close__month")
    )
    period = latest_reported(request.user)
    context = {
        "project": project,
        "cards": list(cards[:12]),
        "listings": list(Listing.objects.visible_to(request.user).filter(project=project).order_by("-pk")[:10]),
        "forecast": forecasting.project_forecast(request.user, period, project.pk) if period else None,
        "period": period,
    }
    return render(request, "supervision/_project_panel.html", context)
