"""The problem panels (htmx) on a project's page and on the dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from keyproj.core import clock, params
from keyproj.problems import permissions as perms
from keyproj.problems.models import Problem
from keyproj.projects.models import Project


@login_required
@require_safe
def project_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The problems of one project, for its page (loaded by htmx)."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    today = clock.today()
    problems = Problem.objects.visible_to(request.user).filter(project=project)
    counts = problems.aggregate(open=Count("pk", filter=Q(status__in=["open", "in_progress"])), total=Count("pk"))
    rows = problems.select_related("category").with_overdue(today).order_by("-is_overdue", "status", "-raised_on")[:10]
    return render(
        request,
        "problems/_project_panel.html",
        {"project": project, "rows": rows, "counts": counts, "can_raise": perms.can_raise(request.user, project)},
    )


@login_required
@require_safe
def dashboard_panel(request: HttpRequest) -> HttpResponse:
    """Open, overdue and long-unresolved problems in the user's scope, for the dashboard (htmx).

    The dashboard shows a month (?period=YYYY-MM): the counts are as they stood at that
    month's end (or today, for the running month), so that they agree with the month's
    statistics; resolved is the year to date, like "1-7月共协调解决问题147个".
    """
    today = clock.today()
    # A bad month is the dashboard's to tell (it reads the same parameter); the panel shows today.
    period = params.page_period(request, None)[0]
    as_of = min(today, period.last_day) if period else today
    problems = Problem.objects.visible_to(request.user)
    counts = problems.aggregate(
        open=Count("pk", filter=Q(pk__in=problems.unresolved_on(as_of).values("pk"))),
        overdue=Count("pk", filter=problems.overdue_q(as_of) & Q(raised_on__lte=as_of)),
        resolved=Count("pk", filter=Q(resolved_on__gte=as_of.replace(month=1, day=1), resolved_on__lte=as_of)),
    )
    counts["long"] = problems.long_unresolved(as_of).count()
    return render(request, "problems/_dashboard_panel.html", {"counts": counts, "as_of": as_of})
