"""信用: the annual credit evaluation, the behaviour records and the 约谈 held."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from keyproj.accounts.permissions import is_office
from keyproj.agents.credit import evaluate_credit
from keyproj.agents.forms import EvaluateForm, parse_day
from keyproj.agents.models import AgentRule, CreditEvaluation, CreditRecord, CreditScore, Interview
from keyproj.agents.querysets import reads_firm_files
from keyproj.agents.services import record_interview_held
from keyproj.agents.views.common import require_scope, saved, short_name
from keyproj.core import clock
from keyproj.core.errors import Refused, tell
from keyproj.core.scoping import scope_for, scoped_object_or_404


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def credit(request: HttpRequest) -> HttpResponse:
    """信用: the annual evaluation's ranking, the behaviour records and the 约谈 list."""
    user = request.user
    require_scope(user)
    form = EvaluateForm()
    if request.method == "POST":
        if not is_office(user):
            raise PermissionDenied
        form = EvaluateForm(request.POST)
        if form.is_valid():
            answer = saved(
                request,
                form,
                lambda: evaluate_credit(form.cleaned_data["year"], user=user, as_of=form.cleaned_data["as_of"]),
                gettext("信用综合评价已完成"),
                lambda done: redirect(f"{reverse('agents:credit')}?year={done.year}"),
            )
            if answer is not None:
                return answer
    years = list(CreditEvaluation.objects.values_list("year", flat=True))
    year = request.GET.get("year")
    evaluation = CreditEvaluation.objects.filter(year=int(year)).first() if year and year.isdigit() else None
    evaluation = evaluation or CreditEvaluation.objects.order_by("-year").first()
    scores = (
        CreditScore.objects.visible_to(user).filter(evaluation=evaluation).select_related("firm") if evaluation else []
    )
    chart = {
        "ranking": {
            "names": [short_name(s.firm) for s in scores],
            "totals": [str(s.total) for s in scores],
            "flagged": [s.flagged for s in scores],
        },
        "labels": {"total": gettext("综合得分")},
    }
    context = {
        "nav": "agents",
        "evaluation": evaluation,
        "years": years,
        "scores": scores,
        "chart_height": 60 + 18 * len(scores),
        "records": CreditRecord.objects.visible_to(user).select_related("firm", "project")[:100],
        "interviews": Interview.objects.visible_to(user).select_related("firm", "project")[:100],
        "chart": chart,
        "office": is_office(user),
        "form": form,
        "rule": AgentRule.current(),
        "limited": not reads_firm_files(scope_for(user)),
    }
    return render(request, "agents/credit.html", context)


@require_POST
@login_required
def interview_held(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records that a 约谈 took place (today, or the day given)."""
    interview = scoped_object_or_404(Interview, request.user, pk=pk)
    held_on = parse_day(request.POST.get("held_on")) or clock.today()
    try:
        record_interview_held(interview, held_on=held_on, user=request.user)
    except Refused as refused:
        tell(request, refused)
    else:
        messages.success(request, gettext("约谈已登记"))
    return redirect("agents:credit")
