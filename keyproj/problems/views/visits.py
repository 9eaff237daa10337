"""深入现场: the site visits, their findings, and a finding turned into a problem."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from keyproj.core import clock, panels
from keyproj.core.errors import Refused, refusal_texts, tell
from keyproj.core.scoping import project_q
from keyproj.problems import permissions as perms
from keyproj.problems import services
from keyproj.problems.forms import VisitForm
from keyproj.problems.models import Finding, ProblemCategory, SiteVisit
from keyproj.problems.views.common import PAGE_SIZE
from keyproj.projects.models import Project


@login_required
@require_safe
def visit_list(request: HttpRequest) -> HttpResponse:
    visits = (
        SiteVisit.objects.visible_to(request.user)
        .annotate(
            # Counted over the projects the user may see, like the visit's own page.
            n_projects=Count("projects", filter=project_q(request.user, "projects__"), distinct=True),
            n_findings=Count("findings", filter=project_q(request.user, "findings__project__"), distinct=True),
        )
        .order_by("-visited_on", "-pk")
    )
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "problems/visits.html",
        {"nav": "problems", "tab": "visits", "page": page, "can_record": perms.can_coordinate(request.user)},
    )


def _findings(text: str, projects: list[Project]) -> tuple[list[tuple[Project, str]], list[str]]:
    by_code = {p.code: p for p in projects}
    found: list[tuple[Project, str]] = []
    errors: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        code, _sep, finding = line.partition(" ")
        project = by_code.get(code)
        if project is None:
            errors.append(
                gettext("发现的问题第%(n)s行：项目代码“%(code)s”不在本次深入的项目中") % {"n": n, "code": code}
            )
        else:
            found.append((project, finding.strip()))
    return found, errors


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    if not perms.can_coordinate(request.user):
        raise PermissionDenied
    form = VisitForm(request.POST or None, user=request.user, initial={"visited_on": clock.today()})
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        projects = list(data["projects"])
        findings, errors = _findings(data["findings"], projects)
        if not errors:
            try:
                visit = services.record_visit(
                    services.VisitData(
                        visited_on=data["visited_on"],
                        team=data["team"],
                        projects=projects,
                        summary=data["summary"],
                        findings=findings,
                    ),
                    user=request.user,
                )
            except Refused as refused:
                errors = refusal_texts(refused)
            else:
                messages.success(request, gettext("深入现场已登记"))
                return redirect(visit)
    return render(request, "problems/visit_form.html", {"nav": "problems", "form": form, "errors": errors})


def _visit(request: HttpRequest, pk: int) -> SiteVisit:
    return get_object_or_404(SiteVisit.objects.visible_to(request.user), pk=pk)


@login_required
@require_safe
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    projects = Project.objects.visible_to(request.user)
    return render(
        request,
        "problems/visit_detail.html",
        {
            "nav": "problems",
            "visit": visit,
            "projects": visit.projects.filter(pk__in=projects.values("pk")).select_related("district"),
            "findings": visit.findings.filter(project__in=projects).select_related("project", "problem"),
            "categories": ProblemCategory.objects.filter(active=True),
            # Blocks the apps above add to the page (the visit's photos): keyproj.core.panels.
            "panels": panels.rendered(request, visit),
        },
    )


@login_required
@require_POST
def finding_to_problem(request: HttpRequest, pk: int, finding_id: int) -> HttpResponse:
    """Turn a finding into a problem on its project in one step."""
    visit = _visit(request, pk)
    finding = get_object_or_404(
        Finding.objects.filter(project__in=Project.objects.visible_to(request.user)).select_related("project", "visit"),
        visit=visit,
        pk=finding_id,
    )
    category = ProblemCategory.objects.filter(code=request.POST.get("category"), active=True).first()
    if category is None:
        messages.error(request, gettext("问题类别: 请选择有效的问题类别"))
        return redirect(visit)
    if not perms.can_raise(request.user, finding.project):
        raise PermissionDenied
    try:
        problem = services.finding_to_problem(
            finding, user=request.user, category=category, title=request.POST.get("title", "")
        )
    except Refused as refused:
        tell(request, refused)
        return redirect(visit)
    messages.success(request, gettext("已转为问题，并通知业主(代建)单位"))
    return redirect(problem)
