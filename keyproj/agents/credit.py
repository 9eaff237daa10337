"""Changes to firms' credit files: behaviour records, the annual evaluation, attendance, final accounts.

Like keyproj.agents.services: check → write → audit in one transaction, refusals list every
problem. Figures (averages, sums, rates) are aggregated in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from keyproj.accounts.models import Role
from keyproj.accounts.permissions import _roles, is_office
from keyproj.agents.models import (
    AgentRule,
    Attendance,
    CreditEvaluation,
    CreditGrade,
    CreditKind,
    CreditRecord,
    CreditScore,
    CreditSource,
    FinalAccounts,
    Inspection,
    Interview,
    InterviewSource,
    KeyStaff,
)
from keyproj.agents.rules import Status, statuses
from keyproj.agents.services import _office_only
from keyproj.core import audit
from keyproj.core.errors import Reason, Refused
from keyproj.core.money import ZERO, percent, round2
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects.models import Project

HUNDRED = Decimal(100)
# How long after an evaluation the bottom firms must be called in.
EVALUATION_INTERVIEW_WITHIN = dt.timedelta(days=30)


# --- behaviour records ---------------------------------------------------------------------


@dataclass
class CreditData:
    """A behaviour record as the office enters it."""

    firm: Organisation
    kind: str
    grade: str
    points: Decimal
    valid_from: dt.date
    valid_until: dt.date
    description: str
    blacklist: bool = False
    project: Project | None = None


_GRADES_OF = {
    CreditKind.GOOD: {CreditGrade.COMMENDATION, CreditGrade.AWARD},
    CreditKind.BAD: {CreditGrade.MINOR, CreditGrade.SERIOUS, CreditGrade.GRAVE},
}


def record_credit(data: CreditData, *, user: Any) -> CreditRecord:
    """Enter a good or bad behaviour record (a blacklisting is a bad record with `blacklist`)."""
    _office_only(user, "登记信用记录")
    problems: list[Reason] = []
    if data.firm.kind != OrgKind.AGENT_BUILDER:
        problems.append(Reason("代建单位", f"“{data.firm}”不是代建单位"))
    if data.kind not in CreditKind.values:
        problems.append(Reason("类型", f"“{data.kind}”不是良好行为或不良行为"))
    elif data.grade not in _GRADES_OF[CreditKind(data.kind)]:
        problems.append(Reason("等级", f"“{data.grade}”不是{CreditKind(data.kind).label}的等级"))
    if data.points < 0:
        problems.append(Reason("分值", "不能为负数"))
    if data.valid_until < data.valid_from:
        problems.append(Reason("有效期止", "早于有效期起"))
    if data.blacklist and data.kind != CreditKind.BAD:
        problems.append(Reason("列入黑名单", "只有不良行为记录可以列入黑名单"))
    if not data.description.strip():
        problems.append(Reason("事由", "不能为空"))
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        record = CreditRecord.objects.create(
            firm=data.firm,
            kind=data.kind,
            grade=data.grade,
            points=round2(data.points),
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            source=CreditSource.MANUAL,
            project=data.project,
            description=data.description.strip(),
            blacklist=data.blacklist,
            rule_version=AgentRule.in_force(data.valid_from).version,
        )
        audit.log(record, "credit_record.blacklist" if data.blacklist else "credit_record.create", user=user)
    return record


# --- attendance ----------------------------------------------------------------------------


@dataclass
class AttendanceData:
    """One person's month on one project's site."""

    staff: KeyStaff
    project: Project
    year: int
    month: int
    required_days: int
    present_days: int


def can_record_attendance(user: Any, firm_id: int) -> bool:
    """Attendance is kept by the firm itself (its agent-builder users) or by the office."""
    return is_office(user) or Role.AGENT_BUILDER in _roles(user, {firm_id})


def save_attendance(rows: list[AttendanceData], *, user: Any) -> int:
    """Enter or import attendance (one row per person, project and month; the same key is replaced).

    The person must work for the project's agent builder. Refused whole on any problem.
    """
    problems: list[Reason] = []
    seen: set[tuple[int, int, int, int]] = set()
    for n, row in enumerate(rows, start=1):
        where = f"第{n}行"
        if not can_record_attendance(user, row.staff.firm_id):
            raise PermissionDenied("只能登记本单位人员的考勤")
        if row.project.agent_builder_id != row.staff.firm_id:
            problems.append(Reason("项目", f"{where}: “{row.project}”不由{row.staff}所在单位代建"))
        if not 1 <= row.month <= 12:
            problems.append(Reason("月份", f"{where}: 应为1-12"))
        if not 0 < row.required_days <= 31:
            problems.append(Reason("应出勤天数", f"{where}: 应为1-31"))
        if not 0 <= row.present_days <= row.required_days:
            problems.append(Reason("实际出勤天数", f"{where}: 应在0到应出勤天数之间"))
        key = (row.staff.pk, row.project.pk, row.year, row.month)
        if key in seen:
            problems.append(Reason("人员", f"{where}: 同一人员、项目和月份重复"))
        seen.add(key)
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        found = {
            (a.staff_id, a.project_id, a.year, a.month): a
            for a in Attendance.objects.filter(
                staff_id__in=sorted({r.staff.pk for r in rows}), project_id__in=sorted({r.project.pk for r in rows})
            )
        }
        new: list[Attendance] = []
        for row in rows:
            existing = found.get((row.staff.pk, row.project.pk, row.year, row.month))
            if existing is None:
                new.append(
                    Attendance(
                        staff=row.staff,
                        firm_id=row.staff.firm_id,
                        project=row.project,
                        year=row.year,
                        month=row.month,
                        required_days=row.required_days,
                        present_days=row.present_days,
                    )
                )
                continue
            if (existing.required_days, existing.present_days) == (row.required_days, row.present_days):
                continue
            before = audit.snapshot(existing)
            existing.required_days, existing.present_days = row.required_days, row.present_days
            audit.bump_version(existing, None, ["required_days", "present_days"])
            audit.log(existing, "attendance.update", user=user, before=before)
        Attendance.objects.bulk_create(new, batch_size=1000)
        if new and new[0].pk is None:  # SQLite before 3.35 does not return ids
            keys = {(a.staff_id, a.project_id, a.year, a.month) for a in new}
            new = [
                a
                for a in Attendance.objects.filter(staff_id__in=sorted({k[0] for k in keys}))
                if (a.staff_id, a.project_id, a.year, a.month) in keys
            ]
        audit.log_many(((a, None) for a in new), "attendance.create", user=user)
    return len(rows)


def attendance_rates(records: QuerySet[Attendance], limit: int | None = None) -> list[dict[str, Any]]:
    """The monthly attendance rate per firm and project: Σ present and Σ required summed in the
    database; `rate` is their ratio in percent (two places; None when nothing was due)."""
    grouped = (
        records.values("firm_id", "firm__name", "project_id", "project__code", "project__name", "year", "month")
        .annotate(required=Sum("required_days"), present=Sum("present_days"), people=Count("staff", distinct=True))
        .order_by("-year", "-month", "firm__name", "project__code")
    )
    rows: list[dict[str, Any]] = [dict(row) for row in (grouped[:limit] if limit is not None else grouped)]
    for row in rows:
        row["rate"] = percent(Decimal(row["present"]), Decimal(row["required"]))
    return rows


# --- final accounts ------------------------------------------------------------------------


@dataclass
class FinalAccountsData:
    """A completed project's 竣工决算 facts."""

    project: Project
    completed_on: dt.date
    budget_estimate: Decimal
    submission_due: dt.date
    approval_due: dt.date
    final_amount: Decimal | None = None
    submitted_on: dt.date | None = None
    approved_on: dt.date | None = None
    expected_version: int | None = None


def save_final_accounts(data: FinalAccountsData, *, user: Any) -> FinalAccounts:
    """Create or update a project's final accounts (the office only)."""
    _office_only(user, "登记竣工决算")
    problems: list[Reason] = []
    if data.project.agent_builder_id is None:
        problems.append(Reason("项目", f"“{data.project}”不是代建项目"))
    if data.budget_estimate < 0:
        problems.append(Reason("概算(万元)", "不能为负数"))
    if data.final_amount is not None and data.final_amount < 0:
        problems.append(Reason("决算(万元)", "不能为负数"))
    if data.submission_due < data.completed_on:
        problems.append(Reason("应报送日期", "早于竣工日期"))
    if data.approval_due < data.submission_due:
        problems.append(Reason("应审批日期", "早于应报送日期"))
    if data.submitted_on is not None and data.submitted_on < data.completed_on:
        problems.append(Reason("实际报送日期", "早于竣工日期"))
    if data.approved_on is not None and (data.submitted_on is None or data.approved_on < data.submitted_on):
        problems.append(Reason("实际审批日期", "须在报送之后"))
    if data.approved_on is not None and data.final_amount is None:
        problems.append(Reason("决算(万元)", "审批后须填写决算金额"))
    if problems:
        raise Refused(problems)
    values = {
        "firm_id": data.project.agent_builder_id,
        "completed_on": data.completed_on,
        "budget_estimate": round2(data.budget_estimate),
        "final_amount": round2(data.final_amount) if data.final_amount is not None else None,
        "submission_due": data.submission_due,
        "submitted_on": data.submitted_on,
        "approval_due": data.approval_due,
        "approved_on": data.approved_on,
    }
    with transaction.atomic():
        found = FinalAccounts.objects.filter(project=data.project).first()
        if found is None:
            found = FinalAccounts.objects.create(project=data.project, **values)
            audit.log(found, "final_accounts.create", user=user)
            return found
        before = audit.snapshot(found)
        for name, value in values.items():
            setattr(found, name, value)
        audit.bump_version(found, data.expected_version, list(values))
        audit.log(found, "final_accounts.update", user=user, before=before)
    return found


@dataclass(frozen=True)
class AccountsFigures:
    """What the final-accounts page shows of one record."""

    submission_overdue: bool
    approval_overdue: bool
    savings: Decimal | None  # 概算 − 决算 when 决算 is known and below 概算
    reward: Decimal | None  # the savings reward: share × savings, capped


def accounts_figures(accounts: FinalAccounts, rule: AgentRule, as_of: dt.date) -> AccountsFigures:
    """Overdue flags as of a day, and the savings reward under the rule."""
    submitted_late = (accounts.submitted_on or as_of) > accounts.submission_due
    approved_late = (accounts.approved_on or as_of) > accounts.approval_due
    savings = reward = None
    if accounts.final_amount is not None:
        savings = max(accounts.budget_estimate - accounts.final_amount, ZERO)
        reward = min(round2(savings * rule.savings_share), rule.savings_cap)
    return AccountsFigures(submitted_late, approved_late, savings, reward)


# --- the annual credit evaluation ------------------------------------------------------------


def _sub(queryset: QuerySet, expression: Any, output: Any) -> Subquery:
    """One aggregate of a firm's rows as a subquery (so each firm's figures are one SQL query)."""
    return Subquery(
        queryset.filter(firm_id=OuterRef("pk")).values("firm_id").annotate(v=expression).values("v")[:1],
        output_field=output,
    )


def firm_figures(year: int) -> QuerySet[Organisation]:
    """Every agent builder with its year's raw figures, aggregated in the database."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    money = DecimalField(max_digits=14, decimal_places=2)
    whole = IntegerField()
    scored = Inspection.objects.filter(round__year=year, total__isnull=False)
    valid = CreditRecord.objects.filter(valid_from__lte=last, valid_until__gte=first)
    present = Attendance.objects.filter(year=year)
    accounts = FinalAccounts.objects.filter(submission_due__gte=first, submission_due__lte=last)
    return Organisation.objects.filter(kind=OrgKind.AGENT_BUILDER).annotate(
        inspection_avg=_sub(scored, Avg("total"), money),
        inspection_count=Coalesce(_sub(scored, Count("pk"), whole), Value(0)),
        good_points=Coalesce(_sub(valid.filter(kind=CreditKind.GOOD), Sum("points"), money), Value(ZERO)),
        bad_points=Coalesce(_sub(valid.filter(kind=CreditKind.BAD), Sum("points"), money), Value(ZERO)),
        days_required=_sub(present, Sum("required_days"), whole),
        days_present=_sub(present, Sum("present_days"), whole),
        accounts_due=Coalesce(_sub(accounts, Count("pk"), whole), Value(0)),
        accounts_on_time=Coalesce(
            _sub(accounts.filter(submitted_on__lte=F("submission_due")), Count("pk"), whole), Value(0)
        ),
    )


@dataclass(frozen=True)
class Components:
    """A firm's four component scores (each 0–100) and the weighted total."""

    inspection: Decimal
    behaviour: Decimal
    attendance: Decimal
    final_accounts: Decimal
    total: Decimal


def components(firm: Any, rule: AgentRule) -> Components:
    """A firm's component scores from its figures: a missing component scores the rule's neutral mark."""
    neutral = rule.neutral_score
    inspection = Decimal(firm.inspection_avg) if firm.inspection_avg is not None else neutral
    behaviour = min(max(rule.behaviour_base + firm.good_points - firm.bad_points, Decimal(0)), HUNDRED)
    attendance = percent(Decimal(firm.days_present or 0), Decimal(firm.days_required or 0))
    accounts = percent(Decimal(firm.accounts_on_time), Decimal(firm.accounts_due))
    parts = [
        (round2(inspection), rule.weight_inspection),
        (round2(behaviour), rule.weight_behaviour),
        (attendance if attendance is not None else neutral, rule.weight_attendance),
        (accounts if accounts is not None else neutral, rule.weight_final_accounts),
    ]
    weights = sum((w for _, w in parts), Decimal(0))
    total = round2(sum((score * w for score, w in parts), Decimal(0)) / weights) if weights else ZERO
    return Components(parts[0][0], parts[1][0], parts[2][0], parts[3][0], total=total)


def evaluate_credit(year: int, *, user: Any, as_of: dt.date | None = None) -> CreditEvaluation:
    """The annual 信用综合评价: every firm in the directory at the year's end, scored, weighted and
    ranked; the bottom firms (rule: how many) are flagged and called in (约谈). Evaluating a year
    again replaces its scores and the 约谈 it made."""
    _office_only(user, "开展信用综合评价")
    as_of = as_of or dt.date(year, 12, 31)
    rule = AgentRule.in_force(as_of)
    firms: list[Any] = list(firm_figures(year).order_by("name"))
    status = statuses([f.pk for f in firms], as_of)
    firms = [f for f in firms if status[f.pk] == Status.ACTIVE]
    if not firms:
        raise Refused([Reason("年度", f"{year}年末名录库中没有代建单位")])
    scored = sorted(((components(f, rule), f) for f in firms), key=lambda pair: (-pair[0].total, pair[1].name))
    bottom = {f.pk for _, f in scored[-rule.interview_bottom :]} if rule.interview_bottom else set()
    with transaction.atomic():
        evaluation = CreditEvaluation.objects.filter(year=year).first()
        if evaluation is not None:
            before = audit.snapshot(evaluation)
            for old in Interview.objects.filter(evaluation=evaluation):
                audit.log(old, "interview.withdraw", user=user, before=audit.snapshot(old), after={})
            Interview.objects.filter(evaluation=evaluation).delete()
            evaluation.scores.all().delete()
            evaluation.as_of, evaluation.rule_version = as_of, rule.version
            audit.bump_version(evaluation, None, ["as_of", "rule_version"])
            audit.log(evaluation, "credit_evaluation.redo", user=user, before=before)
        else:
            evaluation = CreditEvaluation.objects.create(year=year, as_of=as_of, rule_version=rule.version)
            audit.log(evaluation, "credit_evaluation.create", user=user)
        rows: list[CreditScore] = []
        rank, previous = 0, None
        for position, (parts, firm) in enumerate(scored, start=1):
            if parts.total != previous:  # equal totals share a place (1, 2, 2, 4)
                rank, previous = position, parts.total
            rows.append(
                CreditScore(
                    evaluation=evaluation,
                    firm=firm,
                    inspection_score=parts.inspection,
                    inspection_count=firm.inspection_count,
                    behaviour_score=parts.behaviour,
                    attendance_score=parts.attendance,
                    final_accounts_score=parts.final_accounts,
                    total=parts.total,
                    rank=rank,
                    flagged=firm.pk in bottom,
                )
            )
        CreditScore.objects.bulk_create(rows)
        saved = list(CreditScore.objects.filter(evaluation=evaluation).order_by("rank", "pk"))
        audit.log_many(((s, None) for s in saved), "credit_score.create", user=user)
        for score in rows:
            if not score.flagged:
                continue
            interview = Interview.objects.create(
                firm=score.firm,
                source=InterviewSource.EVALUATION,
                evaluation=evaluation,
                reason=f"{year}年度信用综合评价排名第{score.rank}位（{score.total}分），列入末位约谈",
                due_by=as_of + EVALUATION_INTERVIEW_WITHIN,
            )
            audit.log(interview, "interview.create", user=user)
    return evaluation


def active_blacklist(on: dt.date) -> QuerySet[CreditRecord]:
    """Blacklist records in force on a day."""
    return CreditRecord.objects.filter(Q(blacklist=True), valid_from__lte=on, valid_until__gte=on)
