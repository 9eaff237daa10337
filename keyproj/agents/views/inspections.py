"""The quarterly inspection pages: the quarters and the draw, one quarter's results, the scoring sheet, the notice.

The draw and the closing of a quarter are the office's; scoring is the inspectors'. A firm
sees the quarters (their seed, pool and draw are public) and its own projects' results only.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from keyproj.accounts.permissions import is_office
from keyproj.agents.forms import DrawForm, ScoreForm
from keyproj.agents.models import Inspection, InspectionRound, RoundStatus, ScoringItem, Selection
from keyproj.agents.notice import issue, quarterly_notice
from keyproj.agents.querysets import cut_round, reads_firm_files, sees_every_firm, visible_round_codes
from keyproj.agents.rules import draw, fingerprint
from keyproj.agents.services import ScoreLine, can_inspect, close_round, draw_round, parse_quarter, score_inspection
from keyproj.agents.views.common import grade_counts, require_scope
from keyproj.core.audit import ConflictError
from keyproj.core.display import quarter as quarter_label
from keyproj.core.downloads import download
from keyproj.core.errors import Refused, add_to_form, tell
from keyproj.core.scoping import scope_for, scoped_object_or_404
from keyproj.notices.document import to_docx, to_pdf
from keyproj.notices.models import Notice, NoticeKind
from keyproj.projects.models import Project


def _round(user: Any, year: int, quarter: int) -> InspectionRound:
    return get_object_or_404(InspectionRound.objects.visible_to(user), year=year, quarter=quarter)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    """季度督查考评: every quarter, and (for the office) the draw with a preview before it is recorded."""
    user = request.user
    require_scope(user)
    found = InspectionRound.objects.visible_to(user)
    form = DrawForm()
    preview = None
    if request.method == "POST":
        if not is_office(user):
            raise PermissionDenied
        form = DrawForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            year, quarter = parse_quarter(data["quarter"])
            record = request.POST.get("action") == "record"
            try:
                result = draw_round(
                    year,
                    quarter,
                    seed=data["seed"],
                    count=data["count"],
                    picks=form.pick_codes(),
                    user=user,
                    dry_run=not record,
                )
            except Refused as refused:
                add_to_form(form, refused)
            else:
                if record:
                    messages.success(request, gettext("抽取结果已记录"))
                    return redirect("agents:round", year, quarter)
                names = dict(Project.objects.filter(code__in=result.projects).values_list("code", "name"))
                preview = {
                    "result": result,
                    "rows": [(code, names.get(code, ""), code in result.picks) for code in result.projects],
                }
    context = {
        "nav": "agents",
        "rounds": [_sized(user, r) for r in found.order_by("-year", "-quarter")],
        "form": form,
        "preview": preview,
        "office": is_office(user),
        "limited": not reads_firm_files(scope_for(user)),
    }
    return render(request, "agents/rounds.html", context)


def _sized(user: Any, found: InspectionRound) -> InspectionRound:
    """The round cut to the user's codes, keeping the whole draw's counts (they are published)."""
    found.pool_size, found.drawn_count, found.pick_count = (  # type: ignore[attr-defined]
        len(found.pool or []),
        len(found.drawn or []),
        len(found.picks or []),
    )
    return cut_round(user, found)


@require_safe
@login_required
def round_detail(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """One quarter: the recorded draw (seed, pool, result), each project's score and grade, the notice."""
    user = request.user
    found = _round(user, year, quarter)
    inspections = (
        Inspection.objects.visible_to(user)
        .filter(round=found)
        .select_related("project", "firm")
        .order_by("-total", "project__code")
    )
    totals = [float(i.total) for i in inspections if i.total is not None]
    bands = [("<60", 0, 60), ("60-69", 60, 70), ("70-79", 70, 80), ("80-89", 80, 90), ("≥90", 90, 101)]
    chart = {
        "grades": grade_counts(inspections.filter(total__isnull=False)),
        "bands": [name for name, _, _ in bands],
        "band_counts": [sum(low <= t < high for t in totals) for _, low, high in bands],
        "labels": {"count": gettext("项目数")},
    }
    # The draw is re-run from the recorded seed and pool, so the page can say that it checks out.
    verified = bool(found.seed) and rerun_matches(found)
    pool_size, drawn_count = len(found.pool or []), len(found.drawn or [])
    found = cut_round(user, found)
    context = {
        "nav": "agents",
        "round": found,
        "inspections": inspections,
        "verified": verified,
        "pool_size": pool_size,
        "drawn_count": drawn_count,
        "whole_pool": sees_every_firm(scope_for(user)),
        "picks": found.picks,
        "chart": chart,
        "office": is_office(user),
        "inspector": can_inspect(user),
        "scored_all": not inspections.filter(total__isnull=True).exists(),
        "issued": _issued(found),
    }
    return render(request, "agents/round.html", context)


def rerun_matches(found: InspectionRound) -> bool:
    """Whether drawing again from the recorded quarter, seed, pool and picks gives the recorded result."""
    return draw(found.label, found.seed, found.pool, found.picks, len(found.drawn)).drawn == list(found.drawn)


@require_safe
@login_required
def round_draw_record(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """The quarter's draw as a file anyone may check: the seed, the pool, the picks and the result, and how
    to re-run it. Codes are cut to the user's scope, as on the page; the whole pool's sha256 stays, so a
    published list can be compared with it."""
    user = request.user
    found = _round(user, year, quarter)
    if not found.seed:
        raise Http404
    whole = sees_every_firm(scope_for(user))
    codes = visible_round_codes(user, found)
    record = {
        "quarter": found.label,
        "quarter_name": quarter_label(found.year, found.quarter),
        "seed": found.seed,
        "drawn_at": found.drawn_at.isoformat() if found.drawn_at else None,
        "pool_size": len(found.pool),
        "pool_sha256": fingerprint(found.pool),
        "pool": codes["pool"],
        "pool_complete": whole,
        "picks": codes["picks"],
        "random_count": len(found.drawn),
        "drawn": codes["drawn"],
        "verified": rerun_matches(found),
        "method": (
            f'pool 按项目代码排序、去掉 picks 后，用 Python 3 的 random.Random("{found.label}:{found.seed}")'
            f".sample(剩余项目, {len(found.drawn)}) 抽取，结果与 drawn 相同即为一致。"
            "pool_sha256 为 pool 各代码以换行连接后的 SHA-256 前16位。"
        ),
    }
    body = json.dumps(record, ensure_ascii=False, indent=2).encode()
    return download(body, f"{quarter_label(found.year, found.quarter)}督查项目抽取记录.json")


def _issued(found: InspectionRound) -> Any:
    """The notice issued for this quarter, if any (keyproj.notices)."""
    return Notice.objects.filter(kind=NoticeKind.INSPECTION, source=f"inspection:{found.label}").first()


@require_POST
@login_required
def round_close(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """The office closes a quarter whose projects are all scored."""
    found = _round(request.user, year, quarter)
    try:
        close_round(found, user=request.user, expected_version=_int(request.POST.get("version")))
    except Refused as refused:
        tell(request, refused)
    except ConflictError as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(request, gettext("本季度督查考评已完成"))
    return redirect(found)


@require_POST
@login_required
def round_issue(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """The office issues the quarter's notice through keyproj.notices (a 文号, stored files)."""
    found = _round(request.user, year, quarter)
    if not is_office(request.user):
        # Refused before the round's state is told: issuing is the office's work whatever the state.
        raise PermissionDenied
    if found.status != RoundStatus.CLOSED:
        messages.error(request, gettext("季度督查考评完成后才能印发通报"))
        return redirect(found)
    try:
        notice = issue(found, user=request.user)
    except Refused as refused:
        tell(request, refused)
    else:
        messages.success(request, gettext("通报已印发：%(number)s") % {"number": getattr(notice, "number", "")})
    return redirect(found)


@require_safe
@login_required
def round_notice(request: HttpRequest, year: int, quarter: int, fmt: str) -> HttpResponse:
    """The quarter's notice as .docx or .pdf, rendered from its recorded results (office and leaders)."""
    if fmt not in ("docx", "pdf"):
        raise Http404
    found = _round(request.user, year, quarter)
    if not scope_for(request.user).everything:
        raise PermissionDenied
    document = quarterly_notice(found)
    content = to_docx(document) if fmt == "docx" else to_pdf(document)
    return download(content, f"{found.label}-inspection-notice.{fmt}")


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One inspected project: its scoring sheet, filled in by an inspector, and the outcome."""
    user = request.user
    inspection = scoped_object_or_404(Inspection.objects.select_related("round", "project", "firm"), user, pk=pk)
    items = list(ScoringItem.objects.filter(active=True))
    editable = can_inspect(user) and inspection.round.status != RoundStatus.CLOSED
    scores = {s.item_id: s for s in inspection.scores.all()}
    initial: dict[str, Any] = {
        "inspected_on": inspection.inspected_on,
        "inspectors": inspection.inspectors,
        "findings": inspection.findings,
        "version": inspection.version,
    }
    for item in items:
        score = scores.get(item.pk)
        initial[f"points_{item.code}"] = score.points if score else item.max_points
        initial[f"note_{item.code}"] = score.note if score else ""
    form = ScoreForm(initial=initial, items=items)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = ScoreForm(request.POST, items=items)
        if form.is_valid():
            data = form.cleaned_data
            lines = [ScoreLine(i.code, data[f"points_{i.code}"], data[f"note_{i.code}"]) for i in items]
            try:
                score_inspection(
                    inspection,
                    lines,
                    inspected_on=data["inspected_on"],
                    inspectors=data["inspectors"],
                    findings=data["findings"],
                    user=user,
                    expected_version=data["version"],
                )
            except Refused as refused:
                add_to_form(form, refused)
            except ConflictError as conflict:
                form.add_error(None, str(conflict))
            else:
                messages.success(request, gettext("评分已保存"))
                return redirect(inspection)
    context = {
        "nav": "agents",
        "inspection": inspection,
        "form": form,
        "editable": editable,
        "scores": [(item, scores.get(item.pk)) for item in items],
        "random": inspection.selection == Selection.RANDOM,
        "outcomes": inspection.credit_records.all(),
    }
    return render(request, "agents/inspection.html", context)


def old_round_address(request: HttpRequest, rest: str) -> HttpResponse:
    """The rounds' pages were once under /agents/inspections/: send a bookmark to the same page now."""
    return redirect(reverse("agents:rounds") + rest, permanent=True)


@login_required
@require_safe
def old_inspection_address(request: HttpRequest, pk: int) -> HttpResponse:
    """An inspection's page was once /agents/inspection/<id>/; a bookmark to one in scope still leads there."""
    inspection = scoped_object_or_404(Inspection, request.user, pk=pk)
    return redirect("agents:inspection", pk=inspection.pk, permanent=True)
