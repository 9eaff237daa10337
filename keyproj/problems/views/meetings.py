"""The pages of coordination work: meetings (with minutes as .docx), site visits, statistics,
the in-app notifications, and the problem panels on the project page and the dashboard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from keyproj.accounts.models import Notification
from keyproj.accounts.services import mark_read
from keyproj.core import clock, params
from keyproj.core.audit import ConflictError
from keyproj.core.downloads import download
from keyproj.core.errors import Refused, refusal_texts, tell
from keyproj.core.period import Period
from keyproj.core.scoping import project_q
from keyproj.notices.document import to_docx
from keyproj.problems import permissions as perms
from keyproj.problems import services
from keyproj.problems.minutes import minutes_document
from keyproj.problems.models import (
    Finding,
    Meeting,
    MeetingForm,
    MeetingKind,
    Problem,
    ProblemCategory,
    SiteVisit,
)
from keyproj.problems.querysets import problem_q
from keyproj.problems.stats import compute
from keyproj.projects.models import Project

PAGE_SIZE = 50


# ---------------------------------------------------------------- meetings


@login_required
@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    # Counted over the problems the user may see: a district must not learn of other districts' problems.
    user = request.user
    meetings = Meeting.objects.visible_to(user).annotate(
        n_discussed=Count("discussed", filter=problem_q(user, "discussed__"), distinct=True),
        n_resolved=Count("resolved_problems", filter=problem_q(user, "resolved_problems__"), distinct=True),
    )
    kind = request.GET.get("kind")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    page = Paginator(meetings.order_by("-held_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "problems/meetings.html",
        {
            "nav": "problems",
            "tab": "meetings",
            "page": page,
            "kind": kind,
            "kinds": MeetingKind.choices,
            "can_record": perms.can_coordinate(request.user),
        },
    )


class MeetingFormFields(forms.Form):
    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("会议类型"))
    held_on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    form = forms.ChoiceField(choices=MeetingForm.choices, label=_("会议形式"))
    title = forms.CharField(max_length=200, label=_("会议名称"))
    location = forms.CharField(max_length=200, required=False, label=_("地点"))
    chair = forms.CharField(max_length=100, label=_("主持人"))
    attendees = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("参会单位及人员"))
    decisions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("会议议定事项"))


def _ids(values: list[str]) -> list[int]:
    """The ids ticked on the form, to show them ticked again (a malformed one is refused on saving)."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 10]


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    """Record a meeting: the problems it took up (discussed) and those it resolved, each with a note."""
    if not perms.can_coordinate(request.user):
        raise PermissionDenied
    form = MeetingFormFields(request.POST or None, initial={"held_on": clock.today()})
    candidates = (
        Problem.objects.visible_to(request.user).open().select_related("project", "category").order_by("project__code")
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            discussed_ids = params.object_ids(request.POST.getlist("discussed"), "discussed")
            resolved_ids = params.object_ids(request.POST.getlist("resolved"), "resolved")
            # Looked up in the user's scope: another district's problem is refused exactly as one that
            # does not exist, so that ids cannot be probed.
            meeting = services.record_meeting(
                services.MeetingData.from_request(
                    form.cleaned_data,
                    user=request.user,
                    discussed=[i for i in discussed_ids if i not in resolved_ids],
                    resolved=[(i, request.POST.get(f"note_{i}", "")) for i in resolved_ids],
                ),
                user=request.user,
            )
        except params.ParamError as malformed:
            errors = [malformed.message]
        except Refused as refused:
            errors = refusal_texts(refused)
        else:
            messages.success(request, gettext("会议已登记"))
            return redirect(meeting)
    return render(
        request,
        "problems/meeting_form.html",
        {
            "nav": "problems",
            "form": form,
            "errors": errors,
            "candidates": candidates,
            "checked": set(_ids(request.POST.getlist("discussed"))),
            "resolved": set(_ids(request.POST.getlist("resolved"))),
        },
    )


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related("created_by"), pk=pk)


@login_required
@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    visible = Problem.objects.visible_to(request.user).select_related("project", "category")
    return render(
        request,
        "problems/meeting_detail.html",
        {
            "nav": "problems",
            "meeting": meeting,
            "discussed": visible.filter(meetings=meeting).exclude(resolved_at_meeting=meeting),
            "resolved": visible.filter(resolved_at_meeting=meeting),
            "raised": visible.filter(raised_at_meeting=meeting),
            "can_edit": perms.can_coordinate(request.user),
        },
    )


@login_required
@require_POST
def meeting_update(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    post = request.POST
    try:
        services.update_meeting(
            meeting,
            user=request.user,
            title=post.get("title", ""),
            chair=post.get("chair", ""),
            attendees=post.get("attendees", ""),
            decisions=post.get("decisions", ""),
            location=post.get("location", ""),
            expected_version=int(post["version"]) if post.get("version", "").isdigit() else None,
        )
    except Refused as refused:
        tell(request, refused)
    except ConflictError:
        messages.error(request, gettext("会议记录已被他人修改，请刷新后重新编辑（本次修改未保存）"))
    else:
        messages.success(request, gettext("会议记录已保存"))
    return redirect(meeting)


@login_required
@require_safe
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's minutes (会议纪要) as an editable Word file."""
    meeting = _meeting(request, pk)
    content = to_docx(minutes_document(meeting, request.user))
    return download(content, f"meeting-{meeting.held_on:%Y%m%d}-{meeting.pk}.docx")


# ---------------------------------------------------------------- site visits


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


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    team = forms.CharField(max_length=200, label=_("小组成员"))
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.none(), label=_("深入的项目"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("情况概述"))
    findings = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("发现的问题"),
        help_text=_("每行一条：项目代码 空格 发现的问题"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["projects"]
        field.queryset = Project.objects.visible_to(user).order_by("code")


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


# ---------------------------------------------------------------- statistics


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


# ---------------------------------------------------------------- notifications


@login_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "problems/notifications.html", {"nav": "problems", "page": page})


@login_required
@require_safe
def bell(request: HttpRequest) -> HttpResponse:
    """The header's link to the notifications, with the unread count (one COUNT query)."""
    unread = Notification.objects.filter(user_id=request.user.pk, read_at__isnull=True).count()
    url = reverse("problems:notifications")
    if not unread:
        return HttpResponse(format_html('<a class="link" href="{}">{}</a>', url, gettext("通知")))
    return HttpResponse(
        format_html(
            '<a class="link" href="{}" aria-label="{}">{}({})</a>',
            url,
            gettext("通知（%(n)s条未读）") % {"n": unread},
            gettext("通知"),
            unread if unread < 100 else "99+",
        )
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    ids = _ids(request.POST.getlist("id")) or None
    mark_read(request.user, ids)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("problems:notifications")


# ---------------------------------------------------------------- panels (htmx)


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
