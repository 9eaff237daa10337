"""The ledger (问题台账) and its export, a tracker's worklist, 久拖不决, raising a problem, a problem's
page, what can be done with it, and its attachments."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from keyproj.core import clock, paging
from keyproj.core.audit import ConflictError, history
from keyproj.core.downloads import CONTENT_TYPES, download
from keyproj.core.errors import Refused, refusal_texts, tell
from keyproj.problems import permissions as perms
from keyproj.problems import services
from keyproj.problems.attachments import sniff
from keyproj.problems.filtersets import ProblemFilterSet
from keyproj.problems.forms import ProblemForm
from keyproj.problems.ledger import ledger_workbook
from keyproj.problems.models import Level, Problem, ProblemRule
from keyproj.problems.querysets import long_unresolved_days
from keyproj.problems.views.common import PAGE_SIZE
from keyproj.projects.models import Project

IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
ROW_RELATED = ("project", "project__district", "category")


def ledger_queryset(request: HttpRequest) -> tuple[QuerySet[Problem], ProblemFilterSet]:
    """The problems the user may see, filtered as the query string asks (ProblemFilterSet, as the API).

    A bad value in the query string (a hand-edited address) drops the filtering, as the page always did,
    rather than refusing the page; the API answers the same value with 400.
    """
    rows = Problem.objects.visible_to(request.user).select_related(*ROW_RELATED)
    filterset = ProblemFilterSet(request.GET or None, queryset=rows, request=request)
    if filterset.is_bound and filterset.is_valid():
        rows = filterset.qs
    return rows.order_by("-raised_on", "-pk"), filterset


# The ledger's order, newest first; the id breaks ties so that pages never overlap (keyset paging).
LEDGER_ORDER = ("-raised_on", "-pk")


@login_required
@require_safe
def problem_list(request: HttpRequest) -> HttpResponse:
    """问题台账: every problem in scope, filtered, newest first, paged by keyset (no OFFSET, no full count)."""
    rows, filterset = ledger_queryset(request)
    query = request.GET.copy()
    for name in paging.PAGER_PARAMS:
        query.pop(name, None)
    pager = paging.Pager(
        "problems", "raised_on", [paging.Phase(rows.order_by(), LEDGER_ORDER)], user=request.user, size=PAGE_SIZE
    )
    window = pager.page(request.GET, keep=query)
    found = {p.pk: p for p in rows.order_by().with_overdue(clock.today()).filter(pk__in=window.pks)}
    return render(
        request,
        "problems/list.html",
        {
            "nav": "problems",
            "rows": [found[pk] for pk in window.pks if pk in found],
            "window": window,
            "count": paging.count(rows, window),
            "form": filterset.form,
            "query": query.urlencode(),
            "tab": "ledger",
        },
    )


@login_required
@require_safe
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The ledger as filtered on the page, every row, as an xlsx workbook."""
    rows, _filterset = ledger_queryset(request)
    content = ledger_workbook(rows.select_related("project__responsible_unit", "project__tracker"))
    return download(content, f"problems-{clock.today():%Y%m%d}.xlsx")


@login_required
@require_safe
def worklist(request: HttpRequest) -> HttpResponse:
    """A tracker's worklist: the open problems of the projects they track, overdue first.

    A city leader's worklist holds the problems waiting for them: those raised to level 4 on
    the projects linked to them (and to level 5, for the leading group). Anyone else sees the
    open problems in their scope, ordered the same way.
    """
    today = clock.today()
    rows = Problem.objects.visible_to(request.user).open().select_related(*ROW_RELATED)
    tracking = Project.objects.filter(tracker_id=request.user.pk).exists()
    leading = None if tracking else perms.leader_q(request.user)
    if tracking:
        rows = rows.filter(project__tracker_id=request.user.pk)
    elif leading is not None:
        rows = rows.filter(leading)
    rows = rows.with_overdue(today).order_by("-is_overdue", "level_since", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "problems/worklist.html",
        {
            "nav": "problems",
            "page": page,
            "tracking": tracking,
            "leading": leading is not None,
            "tab": "worklist",
            "today": today,
        },
    )


@login_required
@require_safe
def long_unresolved(request: HttpRequest) -> HttpResponse:
    """久拖不决: open problems older than the rule's days, proposed for 挂牌督办."""
    today = clock.today()
    rows = (
        Problem.objects.visible_to(request.user)
        .long_unresolved(today)
        .select_related(*ROW_RELATED, "project__responsible_unit")
        .order_by("raised_on", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "problems/long_unresolved.html",
        {"nav": "problems", "page": page, "days": long_unresolved_days(today), "today": today, "tab": "long"},
    )


# ---------------------------------------------------------------- raising a problem


@login_required
def problem_create(request: HttpRequest) -> HttpResponse:
    """Raise a problem on a project (with an optional photo or document), all or nothing."""
    initial = {"project": request.GET.get("project")} if request.GET.get("project") else None
    form = ProblemForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = data["project"]
        if not perms.can_raise(request.user, project):
            raise PermissionDenied
        upload = data.get("attachment")
        try:
            with transaction.atomic():
                problem = services.raise_problem(
                    services.ProblemData(
                        project=project,
                        category=data["category"],
                        title=data["title"],
                        description=data["description"],
                        source=data["source"],
                    ),
                    user=request.user,
                )
                if upload:
                    content, size = services.read_upload(upload)
                    services.add_attachment(problem, user=request.user, name=upload.name, content=content, size=size)
        except Refused as refused:
            errors = refusal_texts(refused)
        else:
            messages.success(request, gettext("问题已提出，已通知相关单位"))
            return redirect(problem)
    return render(request, "problems/form.html", {"nav": "problems", "form": form, "errors": errors})


# ---------------------------------------------------------------- a problem's page and its actions


def _visible(request: HttpRequest, pk: int) -> Problem:
    return get_object_or_404(
        Problem.objects.visible_to(request.user).select_related(
            "project", "project__tracker", "project__liaison_leader", "category", "raised_by", "resolved_by"
        ),
        pk=pk,
    )


@login_required
@require_safe
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One problem: its facts, ladder, attachments, meetings, history and the actions open to the user."""
    problem = _visible(request, pk)
    today = clock.today()
    limit = problem.escalation_limit()
    return render(
        request,
        "problems/detail.html",
        {
            "nav": "problems",
            "problem": problem,
            "escalations": problem.escalations.select_related("by"),
            "attachments": problem.attachments.all(),
            "meetings": problem.meetings.all(),
            "history": history(problem)[:30],
            "can_handle": perms.can_handle(request.user, problem),
            "can_confirm": perms.can_confirm(request.user),
            "can_attach": perms.can_handle(request.user, problem) or perms.can_raise(request.user, problem.project),
            "deadline": problem.level_since + dt.timedelta(days=limit) if limit else None,
            "overdue": bool(limit) and problem.is_open and today > problem.level_since + dt.timedelta(days=limit),
            "levels": Level.choices,
            "max_mb": ProblemRule.in_force(today).max_attachment_mb,
        },
    )


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    problem = _visible(request, pk)
    post = request.POST
    version = int(post["version"]) if post.get("version", "").isdigit() else None
    try:
        if action == "take_up":
            services.take_up(problem, user=request.user, expected_version=version)
            done = gettext("已开始办理")
        elif action == "escalate":
            services.escalate(problem, user=request.user, reason=post.get("reason", ""), expected_version=version)
            done = gettext("已上报上一级，并通知新的承办人")
        elif action == "resolve":
            services.resolve(problem, user=request.user, note=post.get("note", ""), expected_version=version)
            done = gettext("问题已解决")
        elif action == "close":
            services.close(problem, user=request.user, expected_version=version)
            done = gettext("问题已销号")
        elif action == "reopen":
            services.reopen(problem, user=request.user, reason=post.get("reason", ""), expected_version=version)
            done = gettext("问题已重新打开")
        else:  # attach
            upload = request.FILES.get("file")
            if upload is None:
                raise Refused([gettext("请选择要上传的文件")])
            content, size = services.read_upload(upload)
            services.add_attachment(problem, user=request.user, name=upload.name, content=content, size=size)
            done = gettext("附件已上传")
    except Refused as refused:
        tell(request, refused)
    except ConflictError:
        messages.error(request, gettext("该问题已被他人修改，请查看最新情况后重新操作（本次操作未保存）"))
    else:
        messages.success(request, done)
    return redirect(problem)


@login_required
@require_POST
def problem_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """take_up / escalate / resolve / close / reopen / attach, posted from the problem's page."""
    if action not in {"take_up", "escalate", "resolve", "close", "reopen", "attach"}:
        raise Http404
    return _act(request, pk, action)


@login_required
@require_safe
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """An attachment, only to those who may see its problem (never served as a public file)."""
    problem = _visible(request, pk)
    item = get_object_or_404(problem.attachments, pk=attachment_id)
    handle = item.file.open("rb")
    # Re-check the bytes on the way out: a file changed on disk is not served under a trusted type.
    head = handle.read(1 << 16)
    handle.seek(0)
    if item.kind in {"jpg", "png", "pdf"} and sniff(head) != item.kind:
        handle.close()
        raise Http404
    # Streamed from storage rather than read whole (core.downloads.download takes bytes): an
    # attachment may be many megabytes. The types are core.downloads' own, plus the two images.
    content_type = IMAGE_TYPES.get(item.kind) or CONTENT_TYPES[item.kind]
    response = FileResponse(handle, as_attachment=not item.is_image, filename=item.name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
