"""专题会议 and 周例会: the meetings, the problems each took up and resolved, the minutes as .docx."""

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

from keyproj.core import clock, params
from keyproj.core.audit import ConflictError
from keyproj.core.downloads import download
from keyproj.core.errors import Refused, refusal_texts, tell
from keyproj.notices.document import to_docx
from keyproj.problems import permissions as perms
from keyproj.problems import services
from keyproj.problems.forms import MeetingFormFields
from keyproj.problems.minutes import minutes_document
from keyproj.problems.models import Meeting, MeetingKind, Problem
from keyproj.problems.querysets import problem_q
from keyproj.problems.views.common import PAGE_SIZE, posted_ids

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
            "checked": set(posted_ids(request.POST.getlist("discussed"))),
            "resolved": set(posted_ids(request.POST.getlist("resolved"))),
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


# ---------------------------------------------------------------- statistics


# ---------------------------------------------------------------- notifications


# ---------------------------------------------------------------- panels (htmx)
