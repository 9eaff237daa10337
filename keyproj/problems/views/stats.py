"""The statistics of coordination work for a month: year to date and the month, with breakdowns."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from keyproj.core import clock, params
from keyproj.core.period import Period
from keyproj.problems.models import Problem
from keyproj.problems.stats import compute


def default_period(user: Any) -> Period:
    """The month of the newest coordination record in scope (the demo's is 2019), or this month."""
    newest = Problem.objects.visible_to(user).order_by("-raised_on").values_list("raised_on", flat=True).first()
    return Period.of(newest or clock.today())


@login_required
@require_safe
def stats_page(request: HttpRequest) -> HttpResponse:
    period, error = params.page_period(request, default_period(request.user))
    assert period is not None  # a default is given
    stats = compute(request.user, period)
    months = [Period(period.year, m) for m in range(1, 13)]
    return render(
        request,
        "problems/stats.html",
        {"nav": "problems", "tab": "stats", "stats": stats, "period": period, "months": months, "error": error},
    )
