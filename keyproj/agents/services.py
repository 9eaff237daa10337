"""Changes to 代建管理: the directory, quarterly rounds, the draw, scoring and its outcomes.

Every change checks, writes and audits in one transaction; a refusal lists every problem
and writes nothing. Credit, attendance and final accounts are in keyproj.agents.credit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum

from keyproj.accounts.models import Role
from keyproj.accounts.permissions import _roles, is_office
from keyproj.agents.models import (
    AgentRule,
    CreditGrade,
    CreditKind,
    CreditRecord,
    CreditSource,
    DirectoryEntry,
    EntryKind,
    Grade,
    Inspection,
    InspectionGrade,
    InspectionRound,
    InspectionScore,
    Interview,
    InterviewSource,
    KeyStaff,
    Qualification,
    RoundStatus,
    ScoringItem,
    Selection,
    Specialty,
)
from keyproj.agents.rules import (
    Assignment,
    Draw,
    Status,
    assignment_problems,
    draw,
    draw_pool_q,
    draw_problems,
    eligible_firm_ids,
    grade_for,
    statuses,
)
from keyproj.core import audit, clock
from keyproj.core.display import chinese_day
from keyproj.core.errors import Reason, Refused, created_alone
from keyproj.core.money import round2
from keyproj.core.period import YEARS
from keyproj.core.scoping import actor_row
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects.models import Project

_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# How long after an inspection a failed firm must be called in (约谈).
INTERVIEW_WITHIN = dt.timedelta(days=15)


def parse_quarter(text: str) -> tuple[int, int]:
    """ "2019Q3" → (2019, 3); anything else is refused."""
    match = _QUARTER.match(text.strip())
    if not match:
        raise Refused([Reason("季度", f"“{text[:20]}”不是有效的季度，应写作如2019Q3")])
    year = int(match.group(1))
    if year not in YEARS:  # 0000Q1 has no first day: refused here rather than failing when its days are read
        raise Refused([Reason("季度", f"季度“{text.strip()}”的年度应在{YEARS.start}-{YEARS.stop - 1}之间")])
    return year, int(match.group(2))


def quarter_days(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a quarter."""
    first = dt.date(year, 3 * quarter - 2, 1)
    last = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return first, last


def can_inspect(user: Any) -> bool:
    """Scoring sheets are filled in by the office's inspectors (or the office itself)."""
    return is_office(user) or Role.INSPECTOR in _roles(user)


def _office_only(user: Any, what: str) -> None:
    if not is_office(user):
        raise PermissionDenied(f"只有重点办可以{what}")


# --- the directory -------------------------------------------------------------------------


def firm_by_code(credit_code: str) -> Organisation:
    """The agent builder with this unified social credit code; an unknown code is refused."""
    code = credit_code.strip().upper()
    firm = Organisation.objects.filter(kind=OrgKind.AGENT_BUILDER, code=code).first()
    if firm is None:
        raise Refused([Reason("统一社会信用代码", f"没有统一社会信用代码为“{code}”的代建单位")])
    return firm


def credit_code_problem(code: str) -> str:
    """What is wrong with a unified social credit code (GB 32100: 18 characters), or ""."""
    if not _CREDIT_CODE.match(code):
        return f"“{code}”不是有效的统一社会信用代码（18位数字或大写字母）"
    return ""


# Which entry may follow which status: admission only for firms not in the directory, and so on.
_ALLOWED_FROM = {
    EntryKind.ADMISSION: {Status.NOT_ADMITTED},
    EntryKind.SUSPENSION: {Status.ACTIVE},
    EntryKind.REMOVAL: {Status.ACTIVE, Status.SUSPENDED},
    EntryKind.REINSTATEMENT: {Status.SUSPENDED, Status.REMOVED},
}


def record_entry(firm: Organisation, kind: str, *, on: dt.date, reason: str, user: Any) -> DirectoryEntry:
    """Admit, suspend, remove or reinstate a firm from a date, with the reason.

    Entries are kept in date order: a new entry may not be dated before the firm's latest one,
    and must fit the status the firm has on that date.
    """
    _office_only(user, "变更代建名录库")
    problems: list[Reason] = []
    if firm.kind != OrgKind.AGENT_BUILDER:
        problems.append(Reason("代建单位", f"“{firm}”不是代建单位"))
    if kind not in EntryKind.values:
        problems.append(Reason("事项", f"“{kind}”不是准入、暂停、清出或恢复"))
    if not reason.strip():
        problems.append(Reason("原因/依据", "不能为空"))
    last = DirectoryEntry.objects.filter(firm=firm).order_by("-on", "-id").first()
    if last is not None and on < last.on:
        problems.append(Reason("日期", f"早于该单位最近一次变更（{last.on}）"))
    if not problems:
        status = statuses([firm.pk], on)[firm.pk]
        # A firm in the directory without any entry yet is admitted, but the admission itself may be recorded.
        if kind == EntryKind.ADMISSION and last is None:
            status = Status.NOT_ADMITTED
        if status not in _ALLOWED_FROM[EntryKind(kind)]:
            problems.append(Reason("事项", f"该单位当前状态不能办理“{EntryKind(kind).label}”"))
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        entry = DirectoryEntry.objects.create(firm=firm, kind=kind, on=on, reason=reason.strip())
        audit.log(entry, f"directory.{kind}", user=user)
    return entry


def set_qualification(
    firm: Organisation, specialty: Specialty, grade: str | None, *, user: Any, expected_version: int | None = None
) -> Qualification | None:
    """Give a firm a class (甲/乙) in a specialty, change it, or take it away (grade None)."""
    _office_only(user, "变更代建资格")
    if grade is not None and grade not in Grade.values:
        raise Refused([Reason("类别", f"“{grade}”不是甲类或乙类")])
    if firm.kind != OrgKind.AGENT_BUILDER:
        raise Refused([Reason("代建单位", f"“{firm}”不是代建单位")])
    with transaction.atomic():
        found = Qualification.objects.select_for_update().filter(firm=firm, specialty=specialty).first()
        if found is None:
            if grade is None:
                return None
            with created_alone("代建资格"):
                found = Qualification.objects.create(firm=firm, specialty=specialty, grade=grade)
            audit.log(found, "qualification.create", user=user)
            return found
        if found.grade == grade:
            return found
        before = audit.snapshot(found)
        if grade is None:
            audit.log(found, "qualification.delete", user=user, before=before, after={})
            found.delete()
            return None
        found.grade = grade
        audit.bump_version(found, expected_version, ["grade"])
        audit.log(found, "qualification.update", user=user, before=before)
    return found


@dataclass
class FirmData:
    """A firm as the directory takes it in: name, credit code, contact, classes by specialty code."""

    name: str
    credit_code: str
    grades: dict[str, str]  # specialty code → "A"/"B"
    admitted_on: dt.date
    reason: str = "经审核准入代建名录库"
    short_name: str = ""
    contact: str = ""
    phone: str = ""


def admit_firm(data: FirmData, *, user: Any) -> Organisation:
    """Put a firm in the directory: the organisation (created if new), its classes and its admission."""
    _office_only(user, "准入代建单位")
    problems: list[Reason] = []
    code = data.credit_code.strip().upper()
    if message := credit_code_problem(code):
        problems.append(Reason("统一社会信用代码", message))
    if not data.name.strip():
        problems.append(Reason("名称", "不能为空"))
    specialties = Specialty.objects.in_bulk(list(data.grades), field_name="code")
    for specialty_code, grade in data.grades.items():
        if specialty_code not in specialties:
            problems.append(Reason("专业", f"没有代码为“{specialty_code}”的专业"))
        if grade not in Grade.values:
            problems.append(Reason("类别", f"“{grade}”不是甲类(A)或乙类(B)"))
    if not data.grades:
        problems.append(Reason("专业", "至少要有一个专业的类别"))
    same_code = Organisation.objects.filter(kind=OrgKind.AGENT_BUILDER, code=code).exclude(name=data.name).first()
    if same_code is not None:
        problems.append(Reason("统一社会信用代码", f"已登记为“{same_code}”的代码"))
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        firm = Organisation.objects.filter(kind=OrgKind.AGENT_BUILDER, name=data.name).first()
        if firm is None:
            firm = Organisation(
                kind=OrgKind.AGENT_BUILDER,
                name=data.name,
                code=code,
                short_name=data.short_name,
                contact=data.contact,
                phone=data.phone,
            )
            firm.full_clean()
            firm.save()
            audit.log(firm, "organisation.create", user=user)
        else:
            # A firm already known by name (from a project's 代建单位): the directory completes its facts.
            given = {"code": code, "short_name": data.short_name, "contact": data.contact, "phone": data.phone}
            changed = [name for name, value in given.items() if value and getattr(firm, name) != value]
            if changed:
                before = audit.snapshot(firm)
                for name in changed:
                    setattr(firm, name, given[name])
                audit.bump_version(firm, None, changed)
                audit.log(firm, "organisation.update", user=user, before=before)
        for specialty_code, grade in data.grades.items():
            set_qualification(firm, specialties[specialty_code], grade, user=user)
        record_entry(firm, EntryKind.ADMISSION, on=data.admitted_on, reason=data.reason, user=user)
    return firm


def save_key_staff(
    firm: Organisation,
    *,
    name: str,
    post: str,
    certificate: str = "",
    phone: str = "",
    is_contact: bool = False,
    user: Any,
) -> KeyStaff:
    """Add a firm's contact or key site person (by name and post; the same pair is updated)."""
    _office_only(user, "登记关键人员")
    problems = [Reason(label, "不能为空") for label, value in (("姓名", name), ("岗位", post)) if not value.strip()]
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        staff = KeyStaff.objects.filter(firm=firm, name=name.strip(), post=post.strip()).first()
        before = audit.snapshot(staff) if staff else None
        if staff is None:
            staff = KeyStaff(firm=firm, name=name.strip(), post=post.strip())
        staff.certificate, staff.phone, staff.is_contact = certificate, phone, is_contact
        if before is None:
            staff.save()
        else:
            audit.bump_version(staff, None, ["certificate", "phone", "is_contact"])
        audit.log(staff, "key_staff.save", user=user, before=before)
    return staff


def set_project_specialties(pairs: list[tuple[Project, Specialty | None]], *, user: Any) -> int:
    """Record which specialty each project's agent builder must hold; the firm in place must hold it.

    Refused whole when any firm lacks the specialty (or, 乙类 in it, the project is over the cap).
    """
    _office_only(user, "设定项目代建专业")
    assignments = [
        Assignment(project.code, project.agent_builder, specialty.pk, project.total_investment)
        for project, specialty in pairs
        if project.agent_builder_id is not None and specialty is not None
    ]
    if problems := assignment_problems(assignments):
        raise Refused(problems)
    changed: list[tuple[Project, dict | None]] = []
    with transaction.atomic():
        for project, specialty in pairs:
            if project.agent_specialty_id == (specialty.pk if specialty else None):
                continue
            before = audit.snapshot(project)
            project.agent_specialty = specialty
            audit.bump_version(project, None, ["agent_specialty_id"])
            changed.append((project, before))
        audit.log_many(changed, "project.update", user=user)
    return len(changed)


# --- quarterly rounds and the draw --------------------------------------------------------


def plan_round(year: int, quarter: int, *, planned_random: int = 0, note: str = "", user: Any) -> InspectionRound:
    """The office plans a quarter's inspection (the draw follows)."""
    _office_only(user, "安排季度督查")
    problems: list[Reason] = []
    if not 1 <= quarter <= 4:
        problems.append(Reason("季度", "应为1-4"))
    if InspectionRound.objects.filter(year=year, quarter=quarter).exists():
        problems.append(Reason("季度", f"{year}年第{quarter}季度已安排"))
    if problems:
        raise Refused(problems)
    with transaction.atomic(), created_alone("季度督查"):
        found = InspectionRound.objects.create(year=year, quarter=quarter, planned_random=planned_random, note=note)
        audit.log(found, "inspection_round.plan", user=user)
    return found


def draw_pool(on: dt.date) -> list[str]:
    """The codes of the projects a draw on `on` chooses from: agent-built, in a drawable stage,
    managed by a firm that is in the directory and not blacklisted."""
    rule = AgentRule.in_force(on)
    candidates = Project.objects.filter(draw_pool_q(rule))
    firms = set(candidates.values_list("agent_builder_id", flat=True).distinct())
    eligible = eligible_firm_ids(firms, on)
    return sorted(candidates.filter(agent_builder_id__in=sorted(eligible)).values_list("code", flat=True))


def draw_round(
    year: int,
    quarter: int,
    *,
    seed: str,
    count: int,
    picks: list[str] | None = None,
    user: Any,
    on: dt.date | None = None,
    dry_run: bool = False,
) -> Draw:
    """Draw a quarter's projects: the named picks plus `count` at random from the pool, by the seed.

    The quarter is planned on the way when it was not. With dry_run nothing is written and the
    draw is only shown. A quarter is drawn once: the recorded seed, pool and result stand.
    """
    _office_only(user, "抽取督查项目")
    on = on or quarter_days(year, quarter)[0]
    picks = [code.strip() for code in (picks or []) if code.strip()]
    label = f"{year}Q{quarter}"
    problems: list[Reason] = []
    if not seed.strip():
        problems.append(Reason("随机种子", "不能为空：公布的种子使任何人都能复核抽取结果"))
    found = InspectionRound.objects.filter(year=year, quarter=quarter).first()
    if found is not None and found.status != RoundStatus.PLANNED and not dry_run:
        problems.append(Reason("季度", f"{found}已于{chinese_day(found.drawn_at)}抽取，不能重抽"))
    pool = draw_pool(on)
    problems += draw_problems(pool, picks, count)
    if problems:
        raise Refused(problems)
    result = draw(label, seed.strip(), pool, picks, count)
    if dry_run:
        return result
    rule = AgentRule.in_force(on)
    with transaction.atomic():
        if found is None:
            found = plan_round(year, quarter, planned_random=count, user=user)
        found = InspectionRound.objects.select_for_update().get(pk=found.pk)
        if found.status != RoundStatus.PLANNED:
            raise Refused([Reason("季度", f"{found}刚刚已由他人抽取")])
        before = audit.snapshot(found)
        found.seed, found.pool, found.picks, found.drawn = result.seed, result.pool, result.picks, result.drawn
        found.planned_random, found.status, found.drawn_at = count, RoundStatus.DRAWN, clock.now()
        found.rule_version = rule.version
        audit.bump_version(
            found, None, ["seed", "pool", "picks", "drawn", "planned_random", "status", "drawn_at", "rule_version"]
        )
        audit.log(found, "inspection_round.draw", user=user, before=before)
        projects = Project.objects.in_bulk(result.projects, field_name="code")
        chosen = [
            Inspection(
                round=found,
                project=projects[code],
                firm_id=projects[code].agent_builder_id or 0,  # the pool holds agent-built projects only
                selection=Selection.PICK if code in result.picks else Selection.RANDOM,
            )
            for code in result.projects
        ]
        Inspection.objects.bulk_create(chosen)
        created = list(Inspection.objects.filter(round=found).order_by("pk"))
        audit.log_many(((i, None) for i in created), "inspection.create", user=user)
    return result


# --- scoring and outcomes -----------------------------------------------------------------


@dataclass
class ScoreLine:
    """One item of a scoring sheet as entered: the item's code, the points given, why points were lost."""

    item: str
    points: Any  # a Decimal, or text from a form
    note: str = ""


def _decimal(raw: Any) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and value == value.quantize(Decimal("0.01")) else None


def score_inspection(
    inspection: Inspection,
    lines: list[ScoreLine],
    *,
    inspected_on: dt.date,
    inspectors: str = "",
    findings: str = "",
    user: Any,
    expected_version: int | None = None,
) -> Inspection:
    """Score an inspection on the sheet (every active item, 0 to its maximum), grade it by the
    rule's bands and give its outcomes: 优秀 a good credit record (and a commendation in the
    notice), 不合格 a 约谈 and a bad credit record. Scoring again replaces the earlier outcomes."""
    if not can_inspect(user):
        raise PermissionDenied("只有督查人员或重点办可以评分")
    items = {i.code: i for i in ScoringItem.objects.filter(active=True)}
    given: dict[str, tuple[Decimal, str]] = {}
    problems: list[Reason] = []
    for line in lines:
        item = items.get(line.item)
        if item is None:
            problems.append(Reason("评分项", f"没有代码为“{line.item}”的评分项"))
            continue
        points = _decimal(line.points)
        if points is None:
            problems.append(Reason(item.name, f"“{line.points}”不是最多两位小数的数字"))
        elif points < 0:
            problems.append(Reason(item.name, "得分不能为负数"))
        elif points > item.max_points:
            problems.append(Reason(item.name, f"得分{points}超过该项满分{item.max_points}"))
        elif points < item.max_points and not line.note.strip():
            problems.append(Reason(item.name, "有扣分时须说明扣分原因"))
        else:
            given[item.code] = (points, line.note.strip())
    for code, item in items.items():
        if code not in {line.item for line in lines}:
            problems.append(Reason(item.name, "未评分"))
    if inspected_on is None:
        problems.append(Reason("检查日期", "不能为空"))
    if inspection.round.status == RoundStatus.CLOSED:
        problems.append(Reason("季度", f"{inspection.round}已完成，不能再改分"))
    if problems:
        raise Refused(problems)
    rule = AgentRule.in_force(inspected_on)
    with transaction.atomic():
        before = audit.snapshot(inspection)
        InspectionScore.objects.filter(inspection=inspection).delete()
        InspectionScore.objects.bulk_create(
            InspectionScore(
                inspection=inspection, item=items[code], max_points=items[code].max_points, points=p, note=n
            )
            for code, (p, n) in given.items()
        )
        total = InspectionScore.objects.filter(inspection=inspection).aggregate(total=Sum("points"))["total"]
        inspection.total = round2(total)  # SQLite sums decimals as floats
        inspection.grade = grade_for(total, rule)
        inspection.rule_version = rule.version
        inspection.inspected_on = inspected_on
        inspection.inspectors = inspectors.strip()
        inspection.findings = findings.strip()
        inspection.scored_by = actor_row(user)
        audit.bump_version(
            inspection,
            expected_version,
            ["total", "grade", "rule_version", "inspected_on", "inspectors", "findings", "scored_by"],
        )
        after = audit.snapshot(inspection) | {"scores": {c: [str(p), n] for c, (p, n) in given.items()}}
        audit.log(inspection, "inspection.score", user=user, before=before, after=after)
        _outcomes(inspection, rule, user=user)
    return inspection


def _outcomes(inspection: Inspection, rule: Any, *, user: Any) -> None:
    """The credit record and 约谈 an inspection's grade calls for, replacing any from an earlier scoring."""
    for old in CreditRecord.objects.filter(inspection=inspection):
        audit.log(old, "credit_record.withdraw", user=user, before=audit.snapshot(old), after={})
        old.delete()
    for old_interview in Interview.objects.filter(inspection=inspection):
        audit.log(old_interview, "interview.withdraw", user=user, before=audit.snapshot(old_interview), after={})
        old_interview.delete()
    day = inspection.inspected_on
    assert day is not None
    until = _months_later(day, rule.credit_valid_months)
    project = inspection.project
    where = f"{inspection.round}督查考评“{project}”"
    # Only the two ends of the grade scale leave a credit record: 优秀 a commendation, 不合格 a serious bad one.
    if inspection.grade == InspectionGrade.EXCELLENT:
        kind, grade, points = CreditKind.GOOD, CreditGrade.COMMENDATION, rule.excellent_credit_points
        description = f"{where}获评优秀（{inspection.total}分），通报表扬"
    elif inspection.grade == InspectionGrade.FAIL:
        kind, grade, points = CreditKind.BAD, CreditGrade.SERIOUS, rule.fail_credit_points
        description = f"{where}不合格（{inspection.total}分）"
    else:
        return
    record = CreditRecord.objects.create(
        firm_id=inspection.firm_id,
        kind=kind,
        grade=grade,
        points=points,
        valid_from=day,
        valid_until=until,
        source=CreditSource.INSPECTION,
        inspection=inspection,
        project=project,
        description=description,
        rule_version=rule.version,
    )
    audit.log(record, "credit_record.create", user=user)
    if inspection.grade == InspectionGrade.FAIL:
        interview = Interview.objects.create(
            firm_id=inspection.firm_id,
            source=InterviewSource.INSPECTION,
            inspection=inspection,
            project=project,
            reason=description,
            due_by=day + INTERVIEW_WITHIN,
        )
        audit.log(interview, "interview.create", user=user)


def _months_later(day: dt.date, months: int) -> dt.date:
    """The day before the same date `months` later (a 12-month record from 2019-04-10 ends 2020-04-09)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d) - dt.timedelta(days=1)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def close_round(found: InspectionRound, *, user: Any, expected_version: int | None = None) -> InspectionRound:
    """Close a quarter once every drawn project is scored; its results then stand for the notice."""
    _office_only(user, "完成季度督查")
    problems: list[Reason] = []
    if found.status != RoundStatus.DRAWN:
        problems.append(Reason("状态", "只有已抽取的季度可以完成"))
    unscored = found.inspections.filter(total__isnull=True).count()
    if unscored:
        problems.append(Reason("评分", f"还有{unscored}个项目未评分"))
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        before = audit.snapshot(found)
        found.status = RoundStatus.CLOSED
        audit.bump_version(found, expected_version, ["status"])
        audit.log(found, "inspection_round.close", user=user, before=before)
    return found


def record_interview_held(
    interview: Interview, *, held_on: dt.date, user: Any, expected_version: int | None = None
) -> Interview:
    """Record that a 约谈 took place (the office)."""
    _office_only(user, "登记约谈")
    if interview.held_on is not None:
        raise Refused([Reason("约谈日期", f"已于{interview.held_on}约谈")])
    with transaction.atomic():
        before = audit.snapshot(interview)
        interview.held_on = held_on
        audit.bump_version(interview, expected_version, ["held_on"])
        audit.log(interview, "interview.held", user=user, before=before)
    return interview
