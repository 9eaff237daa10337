"""代建管理's overview (or, for a district, unit or owner, the firms building their projects), the
名录库 with admission, a firm's file, and the project page's 代建 panel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from keyproj.accounts.permissions import is_office
from keyproj.agents.credit import CreditData, accounts_figures, attendance_rates, record_credit
from keyproj.agents.directory import directory
from keyproj.agents.forms import AdmitForm, CreditForm, EntryForm, EvaluateForm, parse_day
from keyproj.agents.models import (
    AgentRule,
    Attendance,
    CreditEvaluation,
    CreditRecord,
    CreditScore,
    DirectoryEntry,
    FinalAccounts,
    Grade,
    Inspection,
    InspectionGrade,
    InspectionRound,
    Interview,
    KeyStaff,
    Qualification,
    Specialty,
)
from keyproj.agents.querysets import firms_visible_to, own_firm_ids, reads_firm_files, sees_every_firm
from keyproj.agents.services import FirmData, admit_firm, record_entry
from keyproj.agents.views.common import grade_counts, require_scope, saved, short_name
from keyproj.core import clock
from keyproj.core.errors import Refused, add_to_form
from keyproj.core.scoping import scope_for, scoped_object_or_404
from keyproj.projects.models import Project


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """代建管理: the directory in numbers, the latest quarter, the credit ranking."""
    user = request.user
    require_scope(user)
    scope = scope_for(user)
    if not sees_every_firm(scope) and len(own_firm_ids(scope)) == 1:
        # A firm's own users land on their firm's file.
        return redirect("agents:firm", own_firm_ids(scope)[0])
    if not reads_firm_files(scope):
        return _builders_overview(request)
    today = clock.today()
    rows = directory(user, today)
    inspections = Inspection.objects.visible_to(user)
    rounds = InspectionRound.objects.visible_to(user).annotate(
        n=Count("inspections", filter=Q(inspections__in=inspections))
    )
    evaluation = CreditEvaluation.objects.order_by("-year").first()
    ranking = (
        list(CreditScore.objects.visible_to(user).filter(evaluation=evaluation).select_related("firm"))
        if evaluation
        else []
    )
    chart = {
        "grades": grade_counts(inspections.filter(total__isnull=False)),
        "ranking": {
            "names": [short_name(s.firm) for s in ranking],
            "totals": [str(s.total) for s in ranking],
            "flagged": [s.flagged for s in ranking],
        },
        "labels": {"count": gettext("项目数"), "total": gettext("综合得分")},
    }
    context = {
        "nav": "agents",
        "firm_count": len(rows),
        "a_count": sum(r.top_grade == Grade.A for r in rows),
        "b_count": sum(r.top_grade == Grade.B for r in rows),
        "rounds": rounds[:8],
        "evaluation": evaluation,
        "ranking": ranking,
        "chart_height": 60 + 18 * len(ranking),
        "interviews": Interview.objects.visible_to(user).filter(held_on__isnull=True).select_related("firm")[:10],
        "chart": chart,
        "office": is_office(user),
        "evaluate_form": EvaluateForm(initial={"year": evaluation.year if evaluation else today.year}),
    }
    return render(request, "agents/index.html", context)


def _builders_overview(request: HttpRequest) -> HttpResponse:
    """代建管理 for a district, unit or owner: the firms building their projects, and those projects'
    inspection results (everything through visible_to; someone without agent-built projects sees none)."""
    user = request.user
    today = clock.today()
    rows = directory(user, today, include_inactive=True)
    projects = Project.objects.visible_to(user).filter(agent_builder__isnull=False)
    built = dict(projects.order_by().values_list("agent_builder_id").annotate(n=Count("pk")))
    inspections = (
        Inspection.objects.visible_to(user)
        .select_related("round", "project", "firm")
        .order_by("-round__year", "-round__quarter", "-total", "project__code")
    )
    scored = inspections.filter(total__isnull=False)
    per_firm = {
        row["firm_id"]: row
        for row in scored.order_by()
        .values("firm_id")
        .annotate(n=Count("pk"), average=Avg("total"), failed=Count("pk", filter=Q(grade=InspectionGrade.FAIL)))
    }
    firms = [
        {
            "row": r,
            "projects": built.get(r.id, 0),
            "inspected": per_firm.get(r.id, {}).get("n", 0),
            "average": per_firm.get(r.id, {}).get("average"),
            "failed": per_firm.get(r.id, {}).get("failed", 0),
        }
        for r in sorted(rows, key=lambda r: (-built.get(r.id, 0), r.name))
    ]
    rounds = InspectionRound.objects.visible_to(user).annotate(
        n=Count("inspections", filter=Q(inspections__in=inspections))
    )
    context = {
        "nav": "agents",
        "limited": True,
        "firms": firms,
        "project_count": sum(built.values()),
        "a_count": sum(r.top_grade == Grade.A for r in rows),
        "b_count": sum(r.top_grade == Grade.B for r in rows),
        "inspections": inspections[:100],
        "inspection_count": inspections.count(),
        "average": scored.aggregate(average=Avg("total"))["average"],
        "rounds": rounds[:8],
        "chart": {
            "grades": grade_counts(scored),
            "labels": {"count": gettext("项目数"), "total": gettext("综合得分")},
        },
        "today": today,
    }
    return render(request, "agents/builders.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def firm_list(request: HttpRequest) -> HttpResponse:
    """名录库 as of a date (today by default), with each firm's classes, filterable by specialty and class;
    the office admits new firms here."""
    user = request.user
    require_scope(user)
    admit_form = AdmitForm()
    if request.method == "POST":
        if not is_office(user):
            raise PermissionDenied
        admit_form = AdmitForm(request.POST)
        if admit_form.is_valid():
            try:
                firm = admit_firm(FirmData(**admit_form.cleaned_data), user=user)
            except Refused as refused:
                add_to_form(admit_form, refused)
            else:
                messages.success(request, gettext("已准入代建名录库"))
                return redirect("agents:firm", firm.pk)
    as_of = parse_day(request.GET.get("as_of")) or clock.today()
    show_all = request.GET.get("all") == "1"
    rows = directory(user, as_of, include_inactive=show_all)
    specialty = request.GET.get("specialty", "")
    grade = request.GET.get("grade", "")
    if specialty:
        rows = [r for r in rows if any(code == specialty and (not grade or g == grade) for code, _, g in r.classes)]
    elif grade:
        rows = [r for r in rows if r.top_grade == grade]
    context = {
        "nav": "agents",
        "rows": rows,
        "as_of": as_of,
        "show_all": show_all,
        "specialties": Specialty.objects.filter(active=True),
        "specialty": specialty,
        "grade": grade,
        "grades": Grade.choices,
        "a_count": sum(r.top_grade == Grade.A for r in rows),
        "admit_form": admit_form,
        "office": is_office(user),
        "limited": not reads_firm_files(scope_for(user)),
    }
    return render(request, "agents/firms.html", context)


def _visible_firm(user: Any, pk: int) -> Any:
    return get_object_or_404(firms_visible_to(user), pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def firm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A firm's file: classes, directory history, staff, inspections, credit, attendance, final accounts."""
    user = request.user
    firm = _visible_firm(user, pk)
    office = is_office(user)
    entry_form, credit_form = EntryForm(prefix="entry"), CreditForm(prefix="credit")
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        if "entry-kind" in request.POST:
            entry_form = EntryForm(request.POST, prefix="entry")
            if entry_form.is_valid():
                data = entry_form.cleaned_data
                answer = saved(
                    request,
                    entry_form,
                    lambda: record_entry(firm, data["kind"], on=data["on"], reason=data["reason"], user=user),
                    gettext("名录库变更已登记"),
                    lambda _: redirect("agents:firm", firm.pk),
                )
                if answer is not None:
                    return answer
        else:
            credit_form = CreditForm(request.POST, prefix="credit")
            if credit_form.is_valid():
                answer = saved(
                    request,
                    credit_form,
                    lambda: record_credit(CreditData(firm=firm, **credit_form.cleaned_data), user=user),
                    gettext("信用记录已登记"),
                    lambda _: redirect("agents:firm", firm.pk),
                )
                if answer is not None:
                    return answer
    today = clock.today()
    (row,) = [r for r in directory(user, today, include_inactive=True) if r.id == firm.pk]
    inspections = (
        Inspection.objects.visible_to(user)
        .filter(firm=firm)
        .select_related("round", "project")
        .order_by("-round__year", "-round__quarter", "project__code")
    )
    rates = attendance_rates(Attendance.objects.visible_to(user).filter(firm=firm), limit=24)
    rule = AgentRule.in_force(today)
    accounts = [
        (a, accounts_figures(a, rule, today))
        for a in FinalAccounts.objects.visible_to(user).filter(firm=firm).select_related("project")
    ]
    context = {
        "nav": "agents",
        "firm": firm,
        "row": row,
        "entries": DirectoryEntry.objects.visible_to(user).filter(firm=firm).order_by("-on", "-id"),
        "staff": KeyStaff.objects.visible_to(user).filter(firm=firm),
        "projects": Project.objects.visible_to(user)
        .filter(agent_builder=firm)
        .select_related("agent_specialty", "district", "stage")
        .order_by("code"),
        "inspections": inspections,
        "records": CreditRecord.objects.visible_to(user).filter(firm=firm).select_related("project"),
        "interviews": Interview.objects.visible_to(user).filter(firm=firm).select_related("project"),
        "scores": CreditScore.objects.visible_to(user).filter(firm=firm).select_related("evaluation"),
        "rates": rates,
        "accounts": accounts,
        "office": office,
        "entry_form": entry_form,
        "credit_form": credit_form,
        "qualifications": Qualification.objects.visible_to(user).filter(firm=firm).select_related("specialty"),
        # Districts, units and owners see a firm's place in the directory and its work on their
        # projects; its file (credit, staff, attendance, accounts) is the office's and its own.
        "file": reads_firm_files(scope_for(user)),
        "limited": not reads_firm_files(scope_for(user)),
    }
    return render(request, "agents/firm.html", context)


@require_safe
@login_required
def project_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The project page's 代建 panel (htmx): its specialty, its inspections and their scores."""
    project = scoped_object_or_404(
        Project.objects.select_related("agent_builder", "agent_specialty"), request.user, pk=pk
    )
    inspections = (
        Inspection.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("round", "firm")
        .order_by("-round__year", "-round__quarter")
    )
    return render(
        request,
        "agents/_project_panel.html",
        {"project": project, "inspections": inspections, "today": clock.today()},
    )
