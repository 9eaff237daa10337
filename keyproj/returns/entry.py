"""The owner's entry page: which projects a user reports for, which month is open, and the rows of the form.

The page lists every project the user may report for (its owner's or agent builder's
staff; the office sees all) with the chosen month's return, or what last month's return
says to start from. Posted rows are read here into ReturnData, each problem tied to its
row and field, so that the page can show every error in place and write nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext

from keyproj.accounts.models import Role
from keyproj.accounts.permissions import is_office
from keyproj.core.money import MoneyError, parse_money
from keyproj.core.period import Period
from keyproj.plans.models import AnnualPlan, MonthlyPlan, PlanStatus
from keyproj.projects.models import Project
from keyproj.returns import checks
from keyproj.returns.models import EDITABLE, MonthLock, ProgressReturn, ReturnStatus
from keyproj.returns.services import ReturnData, check_return

# The services name fields by their Chinese column labels; the form by these names.
FIELD_NAMES = {
    "本月完成投资(万元)": "investment",
    "形象进度": "physical_progress",
    "是否开工": "started",
    "是否竣工": "completed",
    "存在问题": "problems",
    "形象进度百分比(%)": "completion",
    "进度回落原因": "completion_drop_reason",
    "月份": "",
    "年度": "",
}
MAX_PROGRESS = 2000  # characters: a paragraph, not a report
# How many sent-back returns the top of the entry page lists (oldest month first); an owner has a few.
SENT_BACK_LIMIT = 50


def reportable_projects(user: Any) -> QuerySet[Project]:
    """The projects whose returns the user fills in: the office all it sees, owners and agent builders their own."""
    projects = Project.objects.visible_to(user)
    if is_office(user):
        return projects
    memberships = list(user.memberships.values_list("role", "organisation_id")) if user.is_authenticated else []
    owners = [org for role, org in memberships if role == Role.OWNER]
    builders = [org for role, org in memberships if role == Role.AGENT_BUILDER]
    return projects.filter(Q(owner_id__in=owners) | Q(agent_builder_id__in=builders))


def last_ended(today: dt.date) -> Period:
    """The newest month that is over: the one whose reporting window is open."""
    return Period.of(today).previous()


def open_period(user: Any, today: dt.date) -> Period:
    """The month the user is asked to report: their newest month while some return of it is still missing,
    else the month after it; never a month not yet over.

    In steady use this is last month; a user whose newest returns are older (a demo, a backlog)
    is shown the month they have to finish or do next.
    """
    ended = last_ended(today)
    projects = reportable_projects(user)
    newest = (
        ProgressReturn.objects.filter(project__in=projects)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    if newest is None:
        return ended
    month = Period(*newest)
    # Due: the projects with an approved plan for the year (as timeliness counts them).
    unfinished = (
        projects.filter(annual_plans__year=month.year, annual_plans__status=PlanStatus.APPROVED)
        .exclude(returns__year=month.year, returns__month=month.month)
        .exists()
    )
    return min(month if unfinished else month.next(), ended)


def offered_periods(user: Any, today: dt.date, chosen: Period) -> list[Period]:
    """The months the selector offers, newest first: the planned years' months that are over, and the chosen one."""
    ended = last_ended(today)
    years = set(AnnualPlan.objects.visible_to(user).order_by().values_list("year", flat=True).distinct()) | {ended.year}
    periods = {Period(year, month) for year in years for month in range(1, 13)}
    periods = {p for p in periods if p <= ended}
    periods.add(chosen)
    return sorted(periods, reverse=True)[:36]


@dataclass
class EntryRow:
    """One project's line on the entry page: the stored return (if any) and the values the inputs show."""

    project: Project
    ret: ProgressReturn | None
    locked: bool
    values: dict[str, Any]
    flags: list[checks.Flag] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    prefilled: bool = False
    plan_month: Decimal | None = None
    period: Period | None = None
    # Sent back and corrected in the page's own list of sent-back returns, not in the month's table.
    elsewhere: bool = False

    @property
    def editable(self) -> bool:
        return not self.locked and not self.elsewhere and (self.ret is None or self.ret.status in EDITABLE)

    @property
    def status(self) -> str:
        """The code the page styles the status by."""
        if self.locked:
            return "locked"
        return self.ret.status if self.ret else "none"

    @property
    def status_label(self) -> str:
        if self.locked:
            return gettext("已锁定")
        if self.ret is None:
            return gettext("未填报")
        return str(self.ret.get_status_display())

    @property
    def version(self) -> int | None:
        return self.ret.version if self.ret else None

    @property
    def prefix(self) -> str:
        return f"r{self.project.pk}"

    def row_errors(self) -> list[str]:
        return [message for name, message in self.errors.items() if name == ""]


def is_locked(period: Period) -> bool:
    return MonthLock.objects.filter(year=period.year, month=period.month).exists()


def build_rows(projects: list[Project], period: Period, *, sent_back_apart: bool = False) -> list[EntryRow]:
    """The rows of the page for these projects: this month's return, or last month's progress to start from.

    sent_back_apart: a sent-back return is corrected in the page's list of sent-back returns
    (sent_back_rows), so its row in the month's table is read-only.
    """
    locked = is_locked(period)
    current = {
        r.project_id: r
        for r in ProgressReturn.objects.filter(project__in=projects, year=period.year, month=period.month)
    }
    before = period.previous()
    previous = {
        r.project_id: r
        for r in ProgressReturn.objects.filter(project__in=projects, year=before.year, month=before.month)
    }
    found = checks.flags_for(current.values())
    plan_months = dict(
        MonthlyPlan.objects.filter(plan__project__in=projects, plan__year=period.year, month=period.month).values_list(
            "plan__project_id", "investment"
        )
    )
    rows = []
    for project in projects:
        ret = current.get(project.pk)
        if ret is not None:
            values = {
                "investment": str(ret.investment),
                "physical_progress": ret.physical_progress,
                "started": ret.started,
                "completed": ret.completed,
                "problems": ret.problems,
                "completion": ret.completion,
                "completion_drop_reason": ret.completion_drop_reason,
            }
            prefilled = False
        else:
            last = previous.get(project.pk)
            values = {
                "investment": "",
                "physical_progress": last.physical_progress if last else "",
                "started": bool(last and last.started),
                "completed": bool(last and last.completed),
                "problems": "",
                # Last month's percentage to start from: the work done rarely goes backwards.
                "completion": last.completion if last else None,
                "completion_drop_reason": "",
            }
            prefilled = last is not None
        rows.append(
            EntryRow(
                project=project,
                ret=ret,
                locked=locked,
                values=values,
                flags=found.get(ret.pk, []) if ret else [],
                prefilled=prefilled,
                plan_month=plan_months.get(project.pk),
                period=period,
                elsewhere=sent_back_apart and ret is not None and ret.status == ReturnStatus.SENT_BACK,
            )
        )
    return rows


def sent_back_returns(user: Any) -> QuerySet[ProgressReturn]:
    """The returns sent back to the user for correction, of any month, oldest month first."""
    return (
        ProgressReturn.objects.filter(project__in=reportable_projects(user), status=ReturnStatus.SENT_BACK)
        .select_related("project__district", "project__responsible_unit")
        .order_by("year", "month", "project__code")
    )


def sent_back_rows(user: Any) -> list[EntryRow]:
    """The rows of the page's list of sent-back returns: each corrected and resubmitted in its own month.

    A handful at most, so one build per month they fall in is cheap.
    """
    returns = list(sent_back_returns(user)[:SENT_BACK_LIMIT])
    by_period: dict[Period, list[Project]] = {}
    for ret in returns:
        by_period.setdefault(Period(ret.year, ret.month), []).append(ret.project)
    built = {
        (row.period, row.project.pk): row
        for period, projects in by_period.items()
        for row in build_rows(projects, period)
    }
    return [built[(Period(ret.year, ret.month), ret.project_id)] for ret in returns]


@dataclass
class Posted:
    """What the entry form asked for: the rows to save as drafts, those to submit, and every problem by row."""

    drafts: list[ReturnData] = field(default_factory=list)
    submits: list[ReturnData] = field(default_factory=list)
    problems: int = 0


def read_rows(rows: list[EntryRow], data: QueryDict, period: Period, *, submit: str, today: dt.date) -> Posted:
    """Read each editable row from the posted form into ReturnData; every problem goes onto its row and field.

    submit: "" (save all as drafts), "selected" (submit the ticked rows) or "all" (submit every filled row).
    A new row left empty is not a return and is skipped; a row that is to be submitted must be filled.
    """
    posted = Posted()
    for row in rows:
        if not row.editable:
            continue
        p = row.prefix
        raw = (data.get(f"{p}-investment") or "").strip()
        progress = (data.get(f"{p}-physical_progress") or "").strip()
        problems_text = (data.get(f"{p}-problems") or "").strip()
        started = data.get(f"{p}-started") == "on"
        completed = data.get(f"{p}-completed") == "on"
        completion = (data.get(f"{p}-completion") or "").strip()
        drop_reason = (data.get(f"{p}-completion_drop_reason") or "").strip()
        ticked = data.get(f"{p}-submit") == "on"
        # The tick is kept too: a page shown again with its errors still has the rows ticked for submission.
        row.values = {
            "investment": raw,
            "physical_progress": progress,
            "started": started,
            "completed": completed,
            "problems": problems_text,
            "completion": completion,
            "completion_drop_reason": drop_reason,
            "submit": ticked,
        }
        wants_submit = submit == "all" or (submit == "selected" and ticked)
        if row.ret is None and not raw and not (submit == "selected" and ticked):
            continue  # an untouched new row: nothing to report for this project
        if len(progress) > MAX_PROGRESS:
            row.errors["physical_progress"] = gettext("不能超过%(n)s字") % {"n": MAX_PROGRESS}
        try:
            investment = parse_money(raw)
        except MoneyError as error:
            row.errors["investment"] = str(error)
            investment = None
        # The version the row was read at; the service refuses the save when the return moved on since.
        version_text = (data.get(f"{p}-version") or "").strip()
        expected = None if row.ret is None else int(version_text) if version_text.isdigit() else 0
        if investment is None:
            continue
        item = ReturnData(
            project=row.project,
            year=period.year,
            month=period.month,
            investment=investment,
            physical_progress=progress,
            started=started,
            completed=completed,
            problems=problems_text,
            completion=completion,
            completion_drop_reason=drop_reason,
            expected_version=expected,
        )
        for problem in check_return(item, today=today):
            name = FIELD_NAMES.get(problem.field, "")
            row.errors.setdefault(name, problem.message)
        (posted.submits if wants_submit else posted.drafts).append(item)
    posted.problems = sum(len(row.errors) for row in rows)
    return posted


def apply_service_problems(rows: list[EntryRow], problems: list[Any]) -> list[str]:
    """Put the service's refusals onto the rows they name (by project code); the rest are the page's."""
    by_code = {row.project.code: row for row in rows}
    left = []
    for problem in problems:
        message = problem.message
        code = message.split(" ", 1)[0]
        row = by_code.get(code)
        if row is None:
            left.append(str(problem))
            continue
        text = message.split(": ", 1)[-1] if ": " in message else message
        row.errors.setdefault(FIELD_NAMES.get(problem.field, ""), text)
    return left
