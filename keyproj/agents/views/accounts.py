"""竣工决算: final accounts, their due dates and the savings reward."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from keyproj.accounts.permissions import is_office
from keyproj.agents.credit import FinalAccountsData, accounts_figures, save_final_accounts
from keyproj.agents.forms import AccountsForm, parse_day
from keyproj.agents.models import AgentRule, FinalAccounts
from keyproj.agents.querysets import reads_firm_files
from keyproj.agents.views.common import require_scope, saved
from keyproj.core import clock
from keyproj.core.scoping import scope_for
from keyproj.projects.models import Project
from keyproj.projects.querysets import UnknownProject


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def accounts(request: HttpRequest) -> HttpResponse:
    """竣工决算: due and actual dates, overdue flags, 概算 vs 决算 and the savings reward."""
    user = request.user
    require_scope(user)
    form = AccountsForm()
    if request.method == "POST":
        if not is_office(user):
            raise PermissionDenied
        form = AccountsForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                project = Project.objects.by_code(user, data.pop("project"))
            except UnknownProject as unknown:
                form.add_error("project", str(unknown))
            else:
                existing = FinalAccounts.objects.filter(project=project).first()
                version = None if existing is None else existing.version
                answer = saved(
                    request,
                    form,
                    lambda: save_final_accounts(
                        FinalAccountsData(project=project, **data, expected_version=version), user=user
                    ),
                    gettext("竣工决算已登记"),
                    lambda _: redirect("agents:accounts"),
                )
                if answer is not None:
                    return answer
    as_of = parse_day(request.GET.get("as_of")) or clock.today()
    rule = AgentRule.in_force(as_of)
    rows = [
        (a, accounts_figures(a, rule, as_of))
        for a in FinalAccounts.objects.visible_to(user).select_related("project", "firm")
    ]
    context = {
        "nav": "agents",
        "rows": rows,
        "as_of": as_of,
        "rule": rule,
        "overdue": sum(f.submission_overdue and a.submitted_on is None for a, f in rows),
        "form": form,
        "office": is_office(user),
        "limited": not reads_firm_files(scope_for(user)),
    }
    return render(request, "agents/accounts.html", context)
