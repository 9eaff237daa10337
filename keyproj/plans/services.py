"""Changes to annual plans and their monthly lines."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from keyproj.accounts.permissions import can_plan, is_office
from keyproj.core import amendments, audit
from keyproj.core.changes import ChangeCount
from keyproj.core.errors import Reason, Refused, created_alone
from keyproj.core.money import round2
from keyproj.core.period import YEARS
from keyproj.core.scoping import actor_row
from keyproj.plans.models import (
    AnnualPlan,
    BaselineLine,
    MonthlyPlan,
    PlanAmendment,
    PlanBaseline,
    PlanStatus,
)
from keyproj.projects.extensions import figures_changed
from keyproj.projects.models import Project
from keyproj.projects.services import lock_projects


@dataclass
class PlanData:
    """One project's plan for one year, as the plans workbook (and the form) gives it."""

    project: Project
    year: int
    investment: Decimal
    monthly: list[Decimal] = field(default_factory=list)  # twelve amounts, January first
    start_month: int | None = None
    completion_month: int | None = None
    land_acquisition: Decimal | None = None
    land_handover: Decimal | None = None
    # Cumulative investment completed before this year (万元): earned value's opening balance.
    invested_before: Decimal | None = None
    # The version the editor started from (a form or an API client); a plan saved since is not overwritten.
    expected_version: int | None = None

    def __post_init__(self) -> None:
        # Stored with two places; holding the same here keeps comparisons and the audit exact.
        self.investment = round2(self.investment)
        self.monthly = [round2(amount) for amount in self.monthly]
        if self.land_acquisition is not None:
            self.land_acquisition = round2(self.land_acquisition)
        if self.land_handover is not None:
            self.land_handover = round2(self.land_handover)
        if self.invested_before is not None:
            self.invested_before = round2(self.invested_before)

    def plan_values(self) -> dict[str, Any]:
        return {
            "investment": self.investment,
            "start_month": self.start_month,
            "completion_month": self.completion_month,
            "land_acquisition": self.land_acquisition,
            "land_handover": self.land_handover,
            "invested_before": self.invested_before,
        }


def check_plan(data: PlanData) -> list[Reason]:
    """Every problem with one plan (the column label, what is wrong)."""
    problems: list[Reason] = []
    if data.year not in YEARS:
        problems.append(Reason("年度", f"{data.year}不是有效年度"))
    if len(data.monthly) != 12:
        problems.append(Reason("1月", "应有12个月的计划"))
    elif sum(data.monthly, Decimal(0)) != data.investment:
        problems.append(
            Reason(
                "年度计划投资(万元)",
                f"1-12月计划合计{sum(data.monthly, Decimal(0))}万元，与年度计划{data.investment}万元不符",
            )
        )
    for month, amount in enumerate(data.monthly, start=1):
        if amount < 0:
            problems.append(Reason(f"{month}月", "不能为负数"))
    for label, milestone in (("计划开工月份", data.start_month), ("计划竣工月份", data.completion_month)):
        if milestone is not None and not 1 <= milestone <= 12:
            problems.append(Reason(label, f"月份应为1-12，而不是{milestone}"))
    if data.start_month and data.completion_month and data.completion_month < data.start_month:
        problems.append(Reason("计划竣工月份", "早于计划开工月份"))
    if data.invested_before is not None and data.invested_before < 0:
        problems.append(Reason("截至上年末累计完成投资(万元)", "不能为负数"))
    return problems


def _snapshot(plan: AnnualPlan, lines: dict[int, Decimal]) -> dict[str, Any]:
    data = audit.snapshot(plan)
    data["monthly"] = [str(lines.get(m, Decimal(0))) for m in range(1, 13)]
    return data


def save_plans(items: list[PlanData], *, user: Any, approve: bool = False) -> ChangeCount:
    """Create or update annual plans, twelve lines each, in one transaction; refused whole on any problem.

    approve: record them as approved baselines (the office, or the demo and console).
    An approved plan is the baseline: saving it again unchanged is a no-op, and only the
    office (saving with approve) may change it; amendments by others come with the review cycle.
    """
    if approve and not is_office(user):
        raise PermissionDenied("只有重点办可以批准计划")
    for item in items:
        if not can_plan(user, item.project):
            raise PermissionDenied(f"无权编制项目“{item.project}”的计划")
    problems = [
        Reason(p.field, f"{item.project.code} {item.year}: {p.message}") for item in items for p in check_plan(item)
    ]
    if problems:
        raise Refused(problems)
    status = PlanStatus.APPROVED if approve else PlanStatus.DRAFT
    count = ChangeCount()
    touched: dict[int, set[int]] = defaultdict(set)
    with transaction.atomic():
        keys = {(item.project.pk, item.year) for item in items}
        existing = {
            (plan.project_id, plan.year): plan
            for plan in AnnualPlan.objects.filter(
                project_id__in={pid for pid, _ in keys}, year__in={year for _, year in keys}
            )
        }
        lines: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for plan_id, month, amount in MonthlyPlan.objects.filter(plan__in=list(existing.values())).values_list(
            "plan_id", "month", "investment"
        ):
            lines[plan_id][month] = amount
        new_plans: list[tuple[AnnualPlan, PlanData]] = []
        refused: list[Reason] = []
        for item in items:
            plan = existing.get((item.project.pk, item.year))
            if plan is None:
                new_plans.append(
                    (
                        AnnualPlan(project=item.project, year=item.year, status=status, **item.plan_values()),
                        item,
                    )
                )
                continue
            audit.check_version(plan, item.expected_version)
            old_lines = lines[plan.pk]
            changes = {k: v for k, v in item.plan_values().items() if getattr(plan, k) != v}
            new_lines = dict(enumerate(item.monthly, start=1))
            if not changes and old_lines == new_lines and (plan.status == status or not approve):
                count.unchanged += 1
                continue
            if plan.status == PlanStatus.APPROVED and not approve:
                refused.append(
                    Reason("", f"{item.project.code} {item.year}年度计划已批准，不能直接修改，请由重点办调整")
                )
                continue
            before = _snapshot(plan, old_lines)
            for name, value in changes.items():
                setattr(plan, name, value)
            plan.status = status
            audit.bump_version(plan, item.expected_version, [*changes, "status"])
            MonthlyPlan.objects.filter(plan=plan).delete()
            MonthlyPlan.objects.bulk_create(
                [MonthlyPlan(plan=plan, month=m, investment=a) for m, a in new_lines.items()]
            )
            audit.log(plan, "plan.update", user=user, before=before, after=_snapshot(plan, new_lines))
            touched[item.year].add(item.project.pk)
            count.updated += 1
        if refused:
            raise Refused(refused)
        with created_alone("年度计划"):
            AnnualPlan.objects.bulk_create([plan for plan, _ in new_plans], batch_size=1000)
        if new_plans and new_plans[0][0].pk is None:  # SQLite before 3.35 does not return ids
            ids = {
                (p.project_id, p.year): p
                for p in AnnualPlan.objects.filter(project_id__in=[p.project_id for p, _ in new_plans])
            }
            new_plans = [(ids[(p.project_id, p.year)], item) for p, item in new_plans]
        MonthlyPlan.objects.bulk_create(
            [
                MonthlyPlan(plan=plan, month=m, investment=a)
                for plan, item in new_plans
                for m, a in enumerate(item.monthly, start=1)
            ],
            batch_size=2000,
        )
        planned = {plan.pk: dict(enumerate(item.monthly, start=1)) for plan, item in new_plans}
        audit.log_many(
            ((plan, None) for plan, _ in new_plans),
            "plan.create",
            user=user,
            describe=lambda plan: _snapshot(plan, planned[plan.pk]),
        )
        for _, item in new_plans:
            touched[item.year].add(item.project.pk)
        count.created = len(new_plans)
        if approve:
            record_baselines({(item.project.pk, item.year) for item in items})
        if len(touched) > 1:
            lock_projects(set().union(*touched.values()))
        for year, project_ids in touched.items():
            figures_changed.send(
                sender=AnnualPlan, project_ids=sorted(project_ids), year=year, plans=True, actuals=False
            )
    return count


def save_plan(data: PlanData, *, user: Any, approve: bool = False) -> AnnualPlan:
    """Create or update one plan (the single-record form of save_plans)."""
    save_plans([data], user=user, approve=approve)
    return AnnualPlan.objects.get(project=data.project, year=data.year)


def approve_plan(plan: AnnualPlan, *, user: Any, expected_version: int | None = None) -> AnnualPlan:
    """Make a draft plan the approved baseline: from then on it counts in the figures.

    expected_version: the version the approver saw; a plan changed since is not approved.
    """
    if not is_office(user):
        raise PermissionDenied("只有重点办可以批准计划")
    if plan.status == PlanStatus.APPROVED:
        raise Refused([f"{plan}已批准"])
    with transaction.atomic():
        before = audit.snapshot(plan)
        plan.status = PlanStatus.APPROVED
        audit.bump_version(plan, expected_version, ["status"])
        audit.log(plan, "plan.approve", user=user, before=before)
        record_baselines({(plan.project_id, plan.year)})
        figures_changed.send(
            sender=AnnualPlan, project_ids=[plan.project_id], year=plan.year, plans=True, actuals=False
        )
    return plan


def record_baselines(keys: set[tuple[int, int]]) -> int:
    """Keep the approved plans among these (project id, year) keys that have no baseline yet as their baseline.

    Called whenever plans become approved, inside the approving transaction: the first
    approval is the baseline; later approved changes leave it as it was. Three queries
    whatever the number of plans (the demo approves hundreds at once).
    """
    if not keys:
        return 0
    plans = [
        plan
        for plan in AnnualPlan.objects.filter(
            project_id__in={pid for pid, _ in keys},
            year__in={year for _, year in keys},
            status=PlanStatus.APPROVED,
            baseline__isnull=True,
        )
        if (plan.project_id, plan.year) in keys
    ]
    if not plans:
        return 0
    baselines = PlanBaseline.objects.bulk_create(
        [
            PlanBaseline(
                plan=plan,
                investment=plan.investment,
                start_month=plan.start_month,
                completion_month=plan.completion_month,
                land_acquisition=plan.land_acquisition,
                land_handover=plan.land_handover,
            )
            for plan in plans
        ],
        batch_size=1000,
    )
    if baselines and baselines[0].pk is None:  # SQLite before 3.35 does not return ids
        baselines = list(PlanBaseline.objects.filter(plan__in=plans))
    by_plan = {b.plan_id: b for b in baselines}
    BaselineLine.objects.bulk_create(
        [
            BaselineLine(baseline=by_plan[plan_id], month=month, investment=amount)
            for plan_id, month, amount in MonthlyPlan.objects.filter(plan__in=plans).values_list(
                "plan_id", "month", "investment"
            )
        ],
        batch_size=2000,
    )
    return len(baselines)


def plan_data(plan: AnnualPlan) -> PlanData:
    """A stored plan as PlanData (its twelve lines, January first)."""
    lines = dict(plan.lines.values_list("month", "investment"))
    return PlanData(
        project=plan.project,
        year=plan.year,
        investment=plan.investment,
        monthly=[lines.get(m, Decimal(0)) for m in range(1, 13)],
        start_month=plan.start_month,
        completion_month=plan.completion_month,
        land_acquisition=plan.land_acquisition,
        land_handover=plan.land_handover,
        invested_before=plan.invested_before,
    )


def request_plan_amendment(
    plan: AnnualPlan, data: PlanData, *, user: Any, reason: str, expected_version: int | None = None
) -> PlanAmendment:
    """Ask to change an approved plan (its owner, responsible unit or the office), with the reason.

    The plan is unchanged until the office approves; the baseline is never changed.
    expected_version: the plan's version the requester saw; a plan changed since is not amended.
    """
    if not can_plan(user, plan.project):
        raise PermissionDenied
    audit.check_version(plan, expected_version)
    if plan.status != PlanStatus.APPROVED:
        raise Refused([f"{plan}尚未批准，可直接修改，无需申请调整"])
    problems = check_plan(data)
    reason = (reason or "").strip()
    if not reason:
        problems.append(Reason("调整原因", "须写明原因"))
    current = plan_data(plan)
    if current.plan_values() == data.plan_values() and current.monthly == data.monthly:
        problems.append(Reason("", "调整内容与已批准的计划相同"))
    if problems:
        raise Refused(problems)
    amendment = PlanAmendment(
        plan=plan,
        reason=reason,
        monthly=[str(amount) for amount in data.monthly],
        requested_by=actor_row(user),
        **data.plan_values(),
    )
    with created_alone("该计划的调整申请"), transaction.atomic():
        amendment.save()
        audit.log(amendment, "plan.amendment.request", user=user)
    return amendment


def decide_plan_amendment(
    amendment: PlanAmendment, *, user: Any, approve: bool, note: str = "", expected_version: int | None = None
) -> PlanAmendment:
    """The office approves a plan change (the plan takes the proposed figures) or rejects it with a note."""
    if not is_office(user):
        raise PermissionDenied("只有重点办可以审批计划调整")
    return amendments.decide(
        amendment,
        user=user,
        approve=approve,
        note=note,
        expected_version=expected_version,
        noun="调整申请",
        action="plan.amendment.decide",
        apply=lambda approved: _apply_plan_amendment(approved, user=user),
    )


def _apply_plan_amendment(amendment: PlanAmendment, *, user: Any) -> None:
    plan = amendment.plan
    save_plans(
        [
            PlanData(
                project=plan.project,
                year=plan.year,
                investment=amendment.investment,
                monthly=[Decimal(a) for a in amendment.monthly],
                start_month=amendment.start_month,
                completion_month=amendment.completion_month,
                land_acquisition=amendment.land_acquisition,
                land_handover=amendment.land_handover,
                invested_before=amendment.invested_before,
            )
        ],
        user=user,
        approve=True,
    )
