"""One ranking list (红黑榜) of a month, with its chart and the year's history."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from keyproj.accounts.permissions import is_office
from keyproj.core.period import Period
from keyproj.supervision.models import RankingEntry, RankingList
from keyproj.supervision.results import LIST_KEYS, may_see_rankings, month_results, visible_ranking
from keyproj.supervision.views.common import month_or_404, scoped_or_404


@require_safe
@login_required
def ranking_page(request: HttpRequest, period: str, list_key: str) -> HttpResponse:
    """One ranking list of a month, with its chart, and the history of the year's closes."""
    scoped_or_404(request)
    month = month_or_404(period)
    if list_key not in LIST_KEYS:
        raise Http404
    results = month_results(month, preview=is_office(request.user))
    if results is None:
        raise Http404
    rows = visible_ranking(request.user, results.snapshot, list_key)
    history = (
        RankingEntry.objects.visible_to(request.user)
        .filter(list=list_key, close__year=month.year, close__status="closed", close__month__lte=month.month)
        .select_related("organisation", "close")
        .order_by("close__month", "organisation__order", "organisation__name")
    )
    months = sorted({entry.close.month for entry in history})
    series: dict[str, dict[int, Any]] = {}
    for entry in history:
        series.setdefault(entry.organisation.name, {})[entry.close.month] = entry.rank
    chart = {
        "names": [row["name"] for row in rows],
        "scores": [float(row["score"]) for row in rows],
        "boards": [row["board"] for row in rows],
        "months": [Period(month.year, m).short_label for m in months],
        "history": [{"name": name, "ranks": [ranks.get(m) for m in months]} for name, ranks in series.items()],
        "labels": {"score": gettext("得分"), "rank": gettext("名次")},
    }
    context = {
        "nav": "supervision",
        "period": month,
        "results": results,
        "list_key": list_key,
        "list_label": RankingList(list_key).label,
        "lists": [(key, RankingList(key).label) for key in LIST_KEYS],
        "rows": rows,
        "chart": chart,
        "city_wide": may_see_rankings(request.user),
    }
    return render(request, "supervision/ranking.html", context)
