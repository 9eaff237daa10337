"""The pages of 年度计划: the year's plans in scope, one project's plan (entry, approval, amendment), the
baseline beside the current plan, the office's amendment list, and the task/responsibility lists.

An approved plan is the baseline: changing it is an amendment request with a reason that the
office approves; the first approved figures stay visible beside the current ones.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from keyproj.accounts.models import Role
from keyproj.accounts.permissions import can_plan, is_office
from keyproj.core import clock, xlsx
from keyproj.core.audit import ConflictError
from keyproj.core.downloads import download
from keyproj.core.errors import Refused
from keyproj.core.models import AmendmentStatus, AuditEntry
from keyproj.core.money import ZERO, MoneyError, parse_money, round2
from keyproj.core.period import YEARS
from keyproj.core.scoping import scope_for, scoped_object_or_404
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.plans import forms, tasklists
from keyproj.plans.models import AnnualPlan, PlanAmendment, PlanStatus
from keyproj.plans.services import (
    decide_plan_amendment,
    plan_data,
    request_plan_amendment,
    save_plan,
)
from keyproj.plans.splits import PROFILES, propose_split
from keyproj.projects.models import Project

PAGE_SIZE = 50


def plannable_projects(user: Any) -> QuerySet[Project]:
    """The projects whose plans the user draws up: the office all it sees, owners and responsible units their own."""
    projects = Project.objects.visible_to(user)
    if is_office(user):
        return projects
    memberships = list(user.memberships.values_list("role", "organisation_id"))
    owners = [org for role, org in memberships if role == Role.OWNER]
    units = [org for role, org in memberships if role == Role.UNIT_OFFICER]
    return projects.filter(Q(owner_id__in=owners) | Q(responsible_unit_id__in=units))


def _year(value: str, default: int) -> tuple[int, str]:
    value = (value or "").strip()
    if not value:
        return default, ""
    if value.isdigit() and int(value) in YEARS:
        return int(value), ""
    return default, gettext("年度“%(value)s”无效，已改为显示%(year)s年。") % {"value": value[:10], "year": default}


def _default_year(user: Any) -> int:
    newest = AnnualPlan.objects.visible_to(user).order_by("-year").values_list("year", flat=True).first()
    return newest or clock.today().year


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The year's annual plans in scope with their status, and the projects still without one."""
    user = request.user
    if scope_for(user).is_empty:
        raise PermissionDenied
    year, year_error = _year(request.GET.get("year", ""), _default_year(user))
    pending = PlanAmendment.objects.filter(plan=OuterRef("pk"), status=AmendmentStatus.REQUESTED)
    plans = (
        AnnualPlan.objects.visible_to(user)
        .filter(year=year)
        .select_related("project__district", "project__responsible_unit")
        .annotate(pending=Exists(pending))
        .order_by("project__code")
    )
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    sums = plans.order_by().aggregate(
        count=Count("pk"),
        investment=Sum("investment"),
        approved=Count("pk", filter=Q(status=PlanStatus.APPROVED)),
        drafts=Count("pk", filter=Q(status=PlanStatus.DRAFT)),
    )
    # SQLite adds decimals as binary floats; the column holds whole cents, so rounding restores them.
    sums["investment"] = round2(Decimal(str(sums["investment"] or ZERO)))
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    unplanned = plannable_projects(user).exclude(annual_plans__year=year).order_by("code")
    orgs = _tasklist_orgs(user)
    years = sorted(
        set(AnnualPlan.objects.visible_to(user).order_by().values_list("year", flat=True).distinct()) | {year},
        reverse=True,
    )
    context = {
        "nav": "plans",
        "year": year,
        "years": years,
        "year_error": year_error,
        "page": page,
        "sums": sums,
        "status": status,
        "unplanned": list(unplanned[:100]),
        "unplanned_count": unplanned.count(),
        "orgs": orgs,
        "is_office": is_office(user),
        "pending_count": PlanAmendment.objects.filter(
            plan__in=AnnualPlan.objects.visible_to(user), status=AmendmentStatus.REQUESTED
        ).count(),
    }
    return render(request, "plans/index.html", context, status=400 if year_error else 200)


def _tasklist_orgs(user: Any) -> list[Organisation]:
    """The districts and responsible units the task lists can be cut by: those with projects the user sees."""
    projects = Project.objects.visible_to(user)
    return list(
        Organisation.objects.visible_to(user)
        .filter(
            Q(kind=OrgKind.DISTRICT, pk__in=projects.values("district_id"))
            | Q(kind__in=[OrgKind.RESPONSIBLE_UNIT, OrgKind.SOE], pk__in=projects.values("responsible_unit_id"))
        )
        .order_by("kind", "order", "name")
    )


@require_safe
@login_required
def tasklist(request: HttpRequest) -> HttpResponse:
    """任务清单 and 责任清单 of a year, for one unit or district or all the user sees (xlsx)."""
    user = request.user
    if scope_for(user).is_empty:
        raise PermissionDenied
    year, year_error = _year(request.GET.get("year", ""), _default_year(user))
    if year_error:
        return HttpResponse(year_error, status=400, content_type="text/plain; charset=utf-8")
    organisation = None
    if request.GET.get("org"):
        try:
            pk = int(request.GET["org"])
        except ValueError:
            raise Http404 from None
        organisation = scoped_object_or_404(Organisation, user, pk=pk)
    workbook, _count = tasklists.build(user, year, organisation)
    suffix = f"-{organisation.pk}" if organisation else ""
    return download(xlsx.to_bytes(workbook), f"tasklist-{year}{suffix}.xlsx")


@require_safe
@login_required
def split(request: HttpRequest) -> HttpResponse:
    """Twelve monthly amounts proposed for an annual figure (even or back-loaded), for the form to fill in."""
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    profile = request.GET.get("profile", "even")
    if profile not in PROFILES:
        return JsonResponse({"error": gettext("未知的分解方式")}, status=400)
    try:
        annual = parse_money(request.GET.get("annual", ""))
    except MoneyError as error:
        return JsonResponse({"error": gettext("年度计划投资：%(reason)s") % {"reason": str(error)}}, status=400)
    return JsonResponse({"months": [str(amount) for amount in propose_split(annual, profile)], "annual": str(annual)})


# ---------------------------------------------------------------- one project's plan


def _history(plan: AnnualPlan) -> list[AuditEntry]:
    ct_plan = ContentType.objects.get_for_model(AnnualPlan)
    ct_amendment = ContentType.objects.get_for_model(PlanAmendment)
    ids = [str(pk) for pk in plan.amendments.values_list("pk", flat=True)]
    entries = list(
        AuditEntry.objects.filter(
            Q(content_type=ct_plan, object_id=str(plan.pk)) | Q(content_type=ct_amendment, object_id__in=ids)
        )
        .select_related("user")
        .order_by("-at", "-id")[:50]
    )
    for e in entries:
        e.version = (e.after or {}).get("version")  # type: ignore[attr-defined]
    return entries


def _comparison(plan: AnnualPlan | None, pending: PlanAmendment | None) -> list[dict[str, Any]]:
    """Month by month: the baseline (first approved), the current plan, how far it moved, and a pending proposal."""
    if plan is None or not hasattr(plan, "baseline"):
        return []
    base = dict(plan.baseline.lines.values_list("month", "investment"))
    current = dict(plan.lines.values_list("month", "investment"))
    proposed = [Decimal(a) for a in pending.monthly] if pending else []
    rows = []
    for month in range(1, 13):
        b, c = base.get(month, ZERO), current.get(month, ZERO)
        p = proposed[month - 1] if proposed else None
        rows.append({"month": month, "baseline": b, "current": c, "diff": c - b, "proposed": p})
    rows.append(
        {"month": None, "baseline": plan.baseline.investment, "current": plan.investment,
         "diff": plan.investment - plan.baseline.investment, "proposed": pending.investment if pending else None}
    )  # fmt: skip
    return rows


def _problems_to_fields(problems: list[Any]) -> tuple[dict[str, str], list[str]]:
    errors: dict[str, str] = {}
    general: list[str] = []
    for p in problems:
        name = forms.FIELD_NAMES.get(p.field)
        message = p.message.split(": ", 1)[-1]
        if name:
            errors.setdefault(name, message)
        else:
            general.append(message)
    return errors, general


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """One project's plan for a year: enter or change it, approve it (the office), or ask to amend it once approved."""
    user = request.user
    project = scoped_object_or_404(Project.objects.select_related("district", "responsible_unit", "owner"), user, pk=pk)
    if year not in YEARS:
        raise Http404
    plan = AnnualPlan.objects.filter(project=project, year=year).select_related("baseline").first()
    may_edit = can_plan(user, project)
    current = plan_data(plan) if plan else None
    values = forms.values_of(current)
    errors: dict[str, str] = {}
    general: list[str] = []
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        action = request.POST.get("action", "save")
        if action == "approve" and not is_office(user):
            raise PermissionDenied
        data, errors, values = forms.read_plan(project, year, request.POST)
        version = request.POST.get("version", "").strip()
        # The version the form was read at (0 when it names none): the services refuse a plan that moved on.
        expected = None if plan is None else int(version) if version.isdigit() else 0
        if data is not None:
            try:
                if plan is not None and plan.status == PlanStatus.APPROVED:
                    request_plan_amendment(
                        plan, data, user=user, reason=values.get("reason", ""), expected_version=expected
                    )
                    messages.success(request, gettext("调整申请已提交，待重点办审批；批准前计划保持不变。"))
                else:
                    data.expected_version = expected
                    save_plan(data, user=user, approve=action == "approve")
                    messages.success(
                        request, gettext("计划已批准，成为基线。") if action == "approve" else gettext("计划已保存。")
                    )
                return redirect("plans:edit", pk=project.pk, year=year)
            except Refused as refused:
                more, general_more = _problems_to_fields(refused.problems)
                for key, message in more.items():
                    errors.setdefault(key, message)
                general += general_more
            except ConflictError as conflict:
                general.append(str(conflict))
                status = 409
        if status == 200:
            status = 400
    pending = plan.amendments.filter(status=AmendmentStatus.REQUESTED).first() if plan else None
    context = {
        "nav": "plans",
        "project": project,
        "year": year,
        "plan": plan,
        "may_edit": may_edit,
        "is_office": is_office(user),
        "values": values,
        "months": [(f"m{m}", m, values.get(f"m{m}", ""), errors.get(f"m{m}", "")) for m in range(1, 13)],
        "errors": errors,
        "general": general,
        "comparison": _comparison(plan, pending),
        "amendments": list(plan.amendments.select_related("requested_by", "decided_by")) if plan else [],
        "pending": pending,
        "history": _history(plan) if plan else [],
        "split_url": reverse("plans:split"),
    }
    return render(request, "plans/edit.html", context, status=status)


# ---------------------------------------------------------------- the office's amendment list


@require_safe
@login_required
def amendments(request: HttpRequest) -> HttpResponse:
    """Plan changes waiting for the office, each beside the plan as it stands."""
    if not is_office(request.user):
        raise PermissionDenied
    pending = list(
        PlanAmendment.objects.filter(status=AmendmentStatus.REQUESTED)
        .select_related("plan__project", "requested_by")
        .order_by("created_at")
    )
    decided = list(
        PlanAmendment.objects.exclude(status=AmendmentStatus.REQUESTED)
        .select_related("plan__project", "decided_by")
        .order_by("-decided_at")[:30]
    )
    return render(request, "plans/amendments.html", {"nav": "plans", "pending": pending, "decided": decided})


@require_http_methods(["POST"])
@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a plan change (the plan takes its figures; the baseline stays) or reject it with a note."""
    user = request.user
    amendment = get_object_or_404(
        PlanAmendment.objects.filter(plan__in=AnnualPlan.objects.visible_to(user)).select_related("plan__project"),
        pk=pk,
    )
    if not is_office(user):
        raise PermissionDenied
    approve = request.POST.get("action") == "approve"
    version = request.POST.get("version", "")
    try:
        expected = int(version) if version else None
        decide_plan_amendment(
            amendment, user=user, approve=approve, note=request.POST.get("note", ""), expected_version=expected
        )
    except (Refused, ConflictError) as refused:
        messages.error(request, str(refused))
    except ValueError:
        messages.error(request, gettext("版本号无效"))
    else:
        label = gettext("已批准") if approve else gettext("已驳回")
        messages.success(request, gettext("%(what)s：%(label)s") % {"what": amendment, "label": label})
    return redirect("plans:amendments")
