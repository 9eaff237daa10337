"""The month's 红黄牌 of the projects the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from keyproj.accounts.permissions import is_office
from keyproj.supervision.results import month_results, visible_cards
from keyproj.supervision.views.common import linked_cards, month_or_404, scoped_or_404


@require_safe
@login_required
def cards_page(request: HttpRequest, period: str) -> HttpResponse:
    """The month's cards of the projects the user may see, each with its reasons and path to green."""
    scoped_or_404(request)
    month = month_or_404(period)
    results = month_results(month, preview=is_office(request.user))
    if results is None:
        raise Http404
    colour = request.GET.get("colour") if request.GET.get("colour") in ("red", "yellow") else None
    cards = linked_cards(visible_cards(request.user, results.snapshot, colour))
    context = {"nav": "supervision", "period": month, "results": results, "cards": cards, "colour": colour}
    return render(request, "supervision/cards.html", context)
