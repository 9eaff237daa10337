"""The rules of 代建管理 as pure functions over rule rows: status, scope rules, grades, the draw.

These read the database only to fetch the rows they judge by; they write nothing. Services
call them before writing; `project_check` is registered into the project register's checks
(`keyproj.projects.extensions`), so that no path can give a project to a firm against the rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from keyproj.agents.models import (
    ACTIVE_AFTER,
    AgentRule,
    CreditRecord,
    DirectoryEntry,
    EntryKind,
    Grade,
    InspectionGrade,
    Qualification,
    Specialty,
)
from keyproj.core import clock
from keyproj.core.errors import Reason
from keyproj.core.money import wan


def rule_check(values: dict[str, Any]) -> list[tuple[str, str]]:
    """What a new version of the 代建 rule must meet beyond each field's own limits (for publish_rule)."""
    problems: list[tuple[str, str]] = []
    if not values["excellent_min"] > values["good_min"] > values["pass_min"]:
        problems.append(("分数线", "须满足 优秀分数线 > 良好分数线 > 合格分数线"))
    weights = ("weight_inspection", "weight_behaviour", "weight_attendance", "weight_final_accounts")
    # The total is a weighted mean (credit.components), so only all-zero weights leave nothing to weigh.
    if not sum(values[name] for name in weights):
        problems.append(("权重", "督查考评、行为记录、考勤、竣工决算及时性四项权重不能全为0"))
    return problems


def grade_for(total: Decimal, rule: AgentRule) -> str:
    """优秀 ≥ excellent_min, 良好 ≥ good_min, 合格 ≥ pass_min, else 不合格 (the bands are rule data)."""
    if total >= rule.excellent_min:
        return InspectionGrade.EXCELLENT
    if total >= rule.good_min:
        return InspectionGrade.GOOD
    if total >= rule.pass_min:
        return InspectionGrade.PASS
    return InspectionGrade.FAIL


# --- the directory on a date -------------------------------------------------------------


class Status:
    """A firm's place in the directory on a date."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    REMOVED = "removed"
    NOT_ADMITTED = "not_admitted"


STATUS_LABELS = {
    Status.ACTIVE: "在库",
    Status.SUSPENDED: "暂停承接",
    Status.REMOVED: "已清出",
    Status.NOT_ADMITTED: "未入库",
}


def statuses(firm_ids: Iterable[int], on: dt.date) -> dict[int, str]:
    """Each firm's status on `on`: what its latest entry on or before that day made it.

    A firm that holds qualifications but has no entry at all was put in the directory before
    entries were kept (or by the admin): it counts as admitted.
    """
    ids = sorted(set(firm_ids))
    latest: dict[int, str] = {}
    for firm_id, entry_kind in (
        DirectoryEntry.objects.filter(firm_id__in=ids, on__lte=on).order_by("on", "id").values_list("firm_id", "kind")
    ):
        latest[firm_id] = entry_kind
    with_entries = set(DirectoryEntry.objects.filter(firm_id__in=ids).values_list("firm_id", flat=True))
    qualified = set(Qualification.objects.filter(firm_id__in=ids).values_list("firm_id", flat=True))
    result: dict[int, str] = {}
    for firm_id in ids:
        kind = latest.get(firm_id)
        if kind is None:
            admitted = firm_id in qualified and firm_id not in with_entries
            result[firm_id] = Status.ACTIVE if admitted else Status.NOT_ADMITTED
        elif ACTIVE_AFTER[EntryKind(kind)]:
            result[firm_id] = Status.ACTIVE
        else:
            result[firm_id] = Status.SUSPENDED if kind == EntryKind.SUSPENSION else Status.REMOVED
    return result


def blacklisted(firm_ids: Iterable[int], on: dt.date) -> set[int]:
    """Firms with a blacklist record valid on `on`."""
    return set(
        CreditRecord.objects.filter(
            firm_id__in=sorted(set(firm_ids)), blacklist=True, valid_from__lte=on, valid_until__gte=on
        ).values_list("firm_id", flat=True)
    )


def eligible_firm_ids(firm_ids: Iterable[int], on: dt.date) -> set[int]:
    """The firms that may take new projects (and be drawn) on `on`: in the directory, not blacklisted."""
    ids = set(firm_ids)
    active = {firm for firm, status in statuses(ids, on).items() if status == Status.ACTIVE}
    return active - blacklisted(ids, on)


# --- scope rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """A firm about to manage a project: what the scope rules judge."""

    label: str  # the project code, for the message
    firm: Any  # an Organisation
    specialty_id: int | None
    total_investment: Decimal


def assignment_problems(assignments: Sequence[Assignment], *, on: dt.date | None = None) -> list[Reason]:
    """Every breach of the scope rules among these assignments (a few queries for any number).

    * the firm must be in the directory and neither suspended, removed nor blacklisted;
    * it must hold the project's specialty (when the project has none recorded, any one);
    * a 乙类 firm may take projects up to the rule's total investment (乙类 in that specialty;
      with no specialty recorded, a firm with no 甲类 class at all).
    """
    if not assignments:
        return []
    on = on or clock.today()
    rule = AgentRule.in_force(on)
    firm_ids = {a.firm.pk for a in assignments if a.firm.pk is not None}
    status = statuses(firm_ids, on)
    black = blacklisted(firm_ids, on)
    held: dict[int, dict[int, str]] = defaultdict(dict)
    for firm_id, specialty_id, held_grade in Qualification.objects.filter(firm_id__in=sorted(firm_ids)).values_list(
        "firm_id", "specialty_id", "grade"
    ):
        held[firm_id][specialty_id] = held_grade
    names = dict(Specialty.objects.values_list("pk", "name"))
    problems: list[Reason] = []
    for a in assignments:
        firm_id = a.firm.pk
        label = f"{a.label}: " if a.label else ""

        def refuse(message: str, label: str = label) -> None:
            problems.append(Reason("代建单位", f"{label}{message}"))

        state = status.get(firm_id, Status.NOT_ADMITTED) if firm_id is not None else Status.NOT_ADMITTED
        if state != Status.ACTIVE:
            refuse(f"“{a.firm}”{STATUS_LABELS[state]}，不能承接新项目")
            continue
        if firm_id in black:
            refuse(f"“{a.firm}”已列入建筑市场黑名单，不能承接新项目")
            continue
        grades = held.get(firm_id, {})
        grade: str | None
        if a.specialty_id is not None:
            grade = grades.get(a.specialty_id)
            if grade is None:
                refuse(f"“{a.firm}”不具备项目专业“{names.get(a.specialty_id, a.specialty_id)}”的代建资格")
                continue
        elif not grades:
            refuse(f"“{a.firm}”在代建名录库中没有任何专业资格")
            continue
        else:
            grade = Grade.A if Grade.A in grades.values() else Grade.B
        if grade == Grade.B and a.total_investment > rule.class_b_cap:
            refuse(
                f"“{a.firm}”为乙类单位，只能承接总投资{wan(rule.class_b_cap)}万元及以下的项目"
                f"（本项目{wan(a.total_investment)}万元）"
            )
    return problems


def project_assignment(facts: dict[str, Any], project: Any) -> Assignment | None:
    """The assignment a save of one project's facts makes: a new project with a firm, or a firm or
    specialty changed. A firm already in place is not judged again, so a firm suspended later keeps
    the projects it has. `facts` are the facts being written (all of them for a new project)."""
    if project is None or "agent_builder" in facts:
        firm = facts.get("agent_builder")
        firm_id = firm.pk if firm is not None else None
    else:
        firm, firm_id = None, project.agent_builder_id
    if firm_id is None and firm is None:
        return None
    if project is None or "agent_specialty" in facts:
        specialty = facts.get("agent_specialty")
        specialty_id = specialty.pk if specialty is not None else None
    else:
        specialty_id = project.agent_specialty_id
    if project is not None and project.agent_builder_id == firm_id and project.agent_specialty_id == specialty_id:
        return None
    if project is None:
        return Assignment(facts["code"], firm, specialty_id, facts["total_investment"])
    investment = facts.get("total_investment", project.total_investment)
    return Assignment(facts["code"], firm or project.agent_builder, specialty_id, investment)


def project_check(pairs: list[tuple[dict[str, Any], Any]]) -> list[tuple[str, str]]:
    """The scope rules as a check of the project register (registered in AgentsConfig.ready), so
    that no path — page, admin, import, API — can give a project to a firm against the rules.

    The whole batch is judged at once: a 乙类 firm's cap counts every project the save gives it, and
    the rules cost a few queries for any number of projects."""
    assignments = [a for facts, project in pairs if (a := project_assignment(facts, project)) is not None]
    return list(assignment_problems(assignments)) if assignments else []


# --- the draw ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draw:
    """A draw's inputs and result: anyone with the same seed, pool and count gets the same projects."""

    quarter: str  # "2019Q3"
    seed: str
    pool: list[str]  # eligible project codes, sorted
    picks: list[str]  # named key picks (重点检查), in the order given
    drawn: list[str]  # the random sample, in draw order

    @property
    def projects(self) -> list[str]:
        return [*self.picks, *self.drawn]


def draw_problems(pool: Sequence[str], picks: Sequence[str], count: int) -> list[Reason]:
    """What is wrong with a draw request: picks outside the pool, repeated picks, too many to draw."""
    problems: list[Reason] = []
    members = set(pool)
    for code in picks:
        if code not in members:
            problems.append(Reason("重点检查", f"项目“{code}”不在本季度可抽查范围内"))
    if len(set(picks)) != len(picks):
        problems.append(Reason("重点检查", "重点检查项目有重复"))
    if count < 0:
        problems.append(Reason("随机抽查数", "不能为负数"))
    remaining = len(members - set(picks))
    if count > remaining:
        problems.append(Reason("随机抽查数", f"要抽取{count}个项目，但除重点检查外可抽查的项目只有{remaining}个"))
    return problems


def draw(quarter: str, seed: str, pool: Sequence[str], picks: Sequence[str], count: int) -> Draw:
    """Sample `count` projects from the pool (less the picks) with `random.Random("quarter:seed")`.

    The pool is sorted first, so the result depends only on the quarter, the seed, the pool's
    members and the count — not on the order anything was read in. Python's Mersenne Twister
    and `sample` are stable across versions for string seeds, so the draw can be rerun anywhere.
    """
    ordered = sorted(set(pool))
    rest = [code for code in ordered if code not in set(picks)]
    drawn = random.Random(f"{quarter}:{seed}").sample(rest, count)
    return Draw(quarter=quarter, seed=seed, pool=ordered, picks=list(picks), drawn=drawn)


def fingerprint(codes: Sequence[str]) -> str:
    """A short sha256 of a list of codes, printed with a draw so a pool can be compared at a glance."""
    return hashlib.sha256("\n".join(codes).encode()).hexdigest()[:16]


def draw_pool_q(rule: AgentRule) -> Q:
    """Projects a draw may choose from: agent-built, in one of the rule's stages."""
    return Q(agent_builder__isnull=False, stage__code__in=rule.stage_codes)
