"""The pages of 代建管理: overview, the directory, a firm's file, credit, attendance, final accounts.

Every queryset goes through the agents querysets' `visible_to` (keyproj.agents.querysets):
a firm sees its own file only; anything else answers 404. Changes go through the services;
an action the user may not take answers 403. The quarterly inspection pages are in
keyproj.agents.inspection_views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from keyproj.accounts.permissions import is_office
from keyproj.agents.attendance_import import import_attendance
from keyproj.agents.credit import (
    AttendanceData,
    CreditData,
    FinalAccountsData,
    accounts_figures,
    attendance_rates,
    evaluate_credit,
    record_credit,
    save_attendance,
    save_final_accounts,
)
from keyproj.agents.directory import directory
from keyproj.agents.forms import (
    AccountsForm,
    AdmitForm,
    AttendanceForm,
    CreditForm,
    EntryForm,
    EvaluateForm,
    parse_day,
)
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
from keyproj.agents.services import FirmData, admit_firm, record_entry, record_interview_held
from keyproj.core import clock
from keyproj.core.errors import Refused, add_to_form, refusal_texts, tell
from keyproj.core.scoping import scope_for, scoped_object_or_404
from keyproj.core.workbooks.reader import WorkbookError, guarded_bytes
from keyproj.projects.models import Project
from keyproj.projects.querysets import UnknownProject


def _require_scope(user: Any) -> None:
    """Users with no role see nothing of 代建管理."""
    if scope_for(user).is_empty:
        raise Http404


def short_name(firm: Any) -> str:
    """A firm's name for a chart axis: its short name, or its name without the city and the company form."""
    return firm.short_name or firm.name.removeprefix("厦门").removesuffix("有限公司").removesuffix("有限责任公司")


def _saved(request: HttpRequest, form: Any, save: Callable[[], Any], done: str, then: Callable[[Any], Any]) -> Any:
    """Run a form's service call: a refusal goes onto the form (None: show the page again);
    success is said and answered with `then(result)`, a redirect."""
    try:
        result = save()
    except Refused as refused:
        add_to_form(form, refused)
        return None
    messages.success(request, done)
    return then(result)


def grade_counts(inspections: Any) -> dict[str, int]:
    """How many inspections fell in each grade band, counted in the database."""
    counts = inspections.aggregate(**{g: Count("pk", filter=Q(grade=g)) for g in InspectionGrade.values})
    return {str(InspectionGrade(g).label): counts[g] for g in InspectionGrade.values}


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """代建管理: the directory in numbers, the latest quarter, the credit ranking."""
    user = request.user
    _require_scope(user)
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
    _require_scope(user)
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
                answer = _saved(
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
                answer = _saved(
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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def credit(request: HttpRequest) -> HttpResponse:
    """信用: the annual evaluation's ranking, the behaviour records and the 约谈 list."""
    user = request.user
    _require_scope(user)
    form = EvaluateForm()
    if request.method == "POST":
        if not is_office(user):
            raise PermissionDenied
        form = EvaluateForm(request.POST)
        if form.is_valid():
            answer = _saved(
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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def attendance(request: HttpRequest) -> HttpResponse:
    """考勤: the monthly attendance rate per firm and project; firms and the office enter months here."""
    user = request.user
    _require_scope(user)
    staff = KeyStaff.objects.visible_to(user).filter(active=True).select_related("firm")
    projects = Project.objects.visible_to(user).filter(agent_builder__isnull=False).order_by("name", "code")
    can_enter = is_office(user) or bool(own_firm_ids(scope_for(user)))
    form = AttendanceForm(staff=staff, projects=projects)
    upload_errors: list[str] = []
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if "file" in request.FILES or request.POST.get("action") == "upload":
            answer, upload_errors = _import_attendance(request)
            if answer is not None:
                return answer
        else:
            form = AttendanceForm(request.POST, staff=staff, projects=projects)
            if form.is_valid():
                data = form.cleaned_data
                row = AttendanceData(
                    data["staff"],
                    data["project"],
                    data["year"],
                    data["month"],
                    data["required_days"],
                    data["present_days"],
                )
                answer = _saved(
                    request,
                    form,
                    lambda: save_attendance([row], user=user),
                    gettext("考勤已登记"),
                    lambda _: redirect("agents:attendance"),
                )
                if answer is not None:
                    return answer
    records = Attendance.objects.visible_to(user)
    year = request.GET.get("year", "")
    month = request.GET.get("month", "")
    if year.isdigit():
        records = records.filter(year=int(year))
    if month.isdigit():
        records = records.filter(month=int(month))
    rows = attendance_rates(records, limit=300)
    context = {
        "nav": "agents",
        "rows": rows,
        "year": year,
        "month": month,
        "months": range(1, 13),
        "years": list(Attendance.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct()),
        "form": form,
        "upload_errors": upload_errors,
        "can_enter": can_enter,
        "limited": not reads_firm_files(scope_for(user)),
    }
    return render(request, "agents/attendance.html", context)


def _import_attendance(request: HttpRequest) -> tuple[HttpResponse | None, list[str]]:
    """A whole attendance workbook from the page: every error by row and column, or all of it saved."""
    upload = request.FILES.get("file")
    if upload is None:
        return None, [gettext("请选择要导入的 .xlsx 文件")]
    try:
        result = import_attendance(guarded_bytes(upload), user=request.user)
    except WorkbookError as error:
        return None, [str(error)]
    except Refused as refused:
        return None, refusal_texts(refused)
    if result.errors:
        return None, result.errors
    messages.success(request, gettext("已导入考勤%(n)s条") % {"n": len(result.rows)})
    return redirect("agents:attendance"), []


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def accounts(request: HttpRequest) -> HttpResponse:
    """竣工决算: due and actual dates, overdue flags, 概算 vs 决算 and the savings reward."""
    user = request.user
    _require_scope(user)
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
                answer = _saved(
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
