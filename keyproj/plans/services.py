"""Changes to annual plans and their monthly lines."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from keyproj.accounts.permissions import can_plan, is_office
from keyproj.core import audit
from keyproj.core.audit import ConflictError
from keyproj.core.changes import ChangeCount
from keyproj.core.errors import Problem, Refused, created_alone
from keyproj.core.money import round2
from keyproj.core.period import YEARS
from keyproj.metrics import rollup
from keyproj.plans.models import AnnualPlan, MonthlyPlan, PlanStatus
from keyproj.projects.models import Project


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

    def plan_values(self) -> dict[str, Any]:
        return {
            "investment": self.investment,
            "start_month": self.start_month,
            "completion_month": self.completion_month,
            "land_acquisition": self.land_acquisition,
            "land_handover": self.land_handover,
        }


def check_plan(data: PlanData) -> list[Problem]:
    """Every problem with one plan (the column label, what is wrong)."""
    problems: list[Problem] = []
    if data.year not in YEARS:
        problems.append(Problem("年度", f"{data.year}不是有效年度"))
    if len(data.monthly) != 12:
        problems.append(Problem("1月", "应有12个月的计划"))
    elif sum(data.monthly, Decimal(0)) != data.investment:
        problems.append(
            Problem(
                "年度计划投资(万元)",
                f"1-12月计划合计{sum(data.monthly, Decimal(0))}万元，与年度计划{data.investment}万元不符",
            )
        )
    for month, amount in enumerate(data.monthly, start=1):
        if amount < 0:
            problems.append(Problem(f"{month}月", "不能为负数"))
    for label, milestone in (("计划开工月份", data.start_month), ("计划竣工月份", data.completion_month)):
        if milestone is not None and not 1 <= milestone <= 12:
            problems.append(Problem(label, f"月份应为1-12，而不是{milestone}"))
    if data.start_month and data.completion_month and data.completion_month < data.start_month:
        problems.append(Problem("计划竣工月份", "早于计划开工月份"))
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
        Problem(p.field, f"{item.project.code} {item.year}: {p.message}") for item in items for p in check_plan(item)
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
        refused: list[Problem] = []
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
            if item.expected_version is not None and item.expected_version != plan.version:
                raise ConflictError(plan)
            old_lines = lines[plan.pk]
            changes = {k: v for k, v in item.plan_values().items() if getattr(plan, k) != v}
            new_lines = dict(enumerate(item.monthly, start=1))
            if not changes and old_lines == new_lines and (plan.status == status or not approve):
                count.unchanged += 1
                continue
            if plan.status == PlanStatus.APPROVED and not approve:
                refused.append(
                    Problem("", f"{item.project.code} {item.year}年度计划已批准，不能直接修改，请由重点办调整")
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
        for year, project_ids in touched.items():
            rollup.refresh(year, project_ids, actuals=False)
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
        rollup.refresh(plan.year, [plan.project_id], actuals=False)
    return plan
