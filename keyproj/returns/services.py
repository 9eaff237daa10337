"""Changes to monthly progress returns: saving, submitting and approving them."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from keyproj.accounts.permissions import can_report, can_review, is_office
from keyproj.accounts.services import notify, reporters
from keyproj.core import amendments, audit, bulk, clock
from keyproj.core.changes import ChangeCount
from keyproj.core.errors import Reason, Refused, created_alone
from keyproj.core.money import round2
from keyproj.core.period import Period
from keyproj.core.scoping import actor_row
from keyproj.projects.extensions import figures_changed
from keyproj.projects.models import Project
from keyproj.projects.services import lock_projects
from keyproj.returns.models import (
    EDITABLE,
    MonthLock,
    ProgressReturn,
    ReturnAmendment,
    ReturnStatus,
)

# The columns a return's author fills in; the rest is workflow.
REPORTED = (
    "investment",
    "physical_progress",
    "started",
    "completed",
    "problems",
    "completion",
    "completion_drop_reason",
)

# The label a completion percentage's problems are reported under (the workbook's column).
COMPLETION = "形象进度百分比(%)"
DROP_REASON = "进度回落原因"
# The statuses whose completion a later return is compared with: what was handed in.
_HANDED_IN = (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)


@dataclass
class ReturnData:
    """One project's return for one month, as the returns workbook (and the form) gives it."""

    project: Project
    year: int
    month: int
    investment: Decimal
    physical_progress: str = ""
    started: bool = False
    completed: bool = False
    problems: str = ""
    # 形象进度 %: a Decimal, None when not reported, or the text as given when it is not a
    # number (check_return reports it, so that a form, the API and a workbook say the same).
    completion: Decimal | str | None = None
    completion_drop_reason: str = ""
    # The version the author started from (a form or an API client); a return saved since is not overwritten.
    expected_version: int | None = None

    def __post_init__(self) -> None:
        self.investment = round2(self.investment)
        self.completion = parse_completion(self.completion)
        self.completion_drop_reason = (self.completion_drop_reason or "").strip()

    def reported(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in REPORTED}


def parse_completion(value: object) -> Decimal | str | None:
    """A completion percentage as given (68, "68", "68.5%", "６８") as a Decimal of two places.

    Blank is None (not reported); anything that is not a finite number comes back as its
    text, for check_return to refuse with the value quoted.
    """
    if value is None:
        return None
    if isinstance(value, Decimal) and value.is_finite():
        return round2(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        value = str(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    try:
        number = Decimal(text.removesuffix("%").strip())
    except InvalidOperation:
        return text
    return round2(number) if number.is_finite() else text


def completion_problems(completion: Decimal | str | None) -> list[Reason]:
    """What is wrong with a completion percentage by itself (not a number, outside 0-100)."""
    if completion is None:
        return []
    if isinstance(completion, str):
        return [Reason(COMPLETION, f"“{completion}”不是数字")]
    if completion > 100:
        return [Reason(COMPLETION, f"不能超过100，而不是{percent_text(completion)}")]
    if completion < 0:
        return [Reason(COMPLETION, f"不能为负数，而不是{percent_text(completion)}")]
    return []


def percent_text(value: Decimal) -> str:
    """A percentage as people write it: 68, 68.5 (no trailing zeros)."""
    text = format(value.quantize(Decimal("0.01")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def check_return(data: ReturnData, *, today: dt.date | None = None) -> list[Reason]:
    """Every problem with one return (the column label, what is wrong)."""
    today = today or clock.today()
    problems: list[Reason] = []
    if not 1 <= data.month <= 12:
        problems.append(Reason("月份", f"月份应为1-12，而不是{data.month}"))
    elif not Period(data.year, data.month).has_ended(today):
        problems.append(Reason("月份", f"{data.year}年{data.month}月尚未结束，不能填报"))
    if data.investment < 0:
        problems.append(Reason("本月完成投资(万元)", "不能为负数"))
    if data.completed and not data.started:
        problems.append(Reason("是否竣工", "项目未开工，不能填报竣工"))
    problems.extend(completion_problems(data.completion))
    return problems


def completion_drops(items: Iterable[ReturnData]) -> dict[int, Reason]:
    """The items whose completion falls below the project's latest earlier one without a reason, by index.

    Earlier means an earlier month handed in (submitted or approved) with a percentage, or an
    earlier month of the same batch (a workbook may carry several months of one project).
    One query for the batch.
    """
    items = list(items)
    # A percentage refused by itself (above 100, below 0) is no yardstick for the months after it.
    valid = {i for i, item in enumerate(items) if isinstance(item.completion, Decimal) and 0 <= item.completion <= 100}
    checked = [(i, items[i]) for i in sorted(valid) if not items[i].completion_drop_reason]
    if not checked:
        return {}
    # Per project, the percentage of each (year, month): a batch's own rows replace what is stored.
    known: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    rows = (
        ProgressReturn.objects.filter(
            project_id__in={item.project.pk for _, item in checked},
            status__in=_HANDED_IN,
            completion__isnull=False,
        )
        .order_by()
        .values_list("project_id", "year", "month", "completion")
    )
    for project_id, year, month, completion in rows:
        if completion is not None:  # filtered out above; says so to the type checker
            known[project_id][year, month] = completion
    for i in valid:
        item = items[i]
        assert isinstance(item.completion, Decimal)
        known[item.project.pk][item.year, item.month] = item.completion
    found: dict[int, Reason] = {}
    for i, item in checked:
        earlier = [key for key in known[item.project.pk] if key < (item.year, item.month)]
        if not earlier:
            continue
        year, month = max(earlier)
        before = known[item.project.pk][year, month]
        assert isinstance(item.completion, Decimal)
        if item.completion >= before:
            continue
        previous = Period(item.year, item.month).previous()
        when = "上月" if (previous.year, previous.month) == (year, month) else f"{year}年{month}月"
        found[i] = Reason(
            DROP_REASON,
            f"形象进度百分比低于{when}（{percent_text(before)}%→{percent_text(item.completion)}%），请说明原因",
        )
    return found


def save_returns(
    items: list[ReturnData],
    *,
    user: Any,
    submit: bool = False,
    approve: bool = False,
    today: dt.date | None = None,
) -> ChangeCount:
    """Create or update returns by (project, year, month), in one transaction; refused whole on any problem.

    submit: record them as submitted (an owner's upload is a submission).
    approve: record them as approved and counted at once (the office, the demo, the console).
    An approved return is never changed here: identical values count as unchanged, any
    difference is refused (corrections go through an amendment).
    """
    if approve and not is_office(user):
        raise PermissionDenied("只有重点办可以直接导入已审核的填报")
    for item in items:
        if not can_report(user, item.project):
            raise PermissionDenied(f"无权填报项目“{item.project}”")
    problems = [
        Reason(p.field, f"{item.project.code} {item.year}年{item.month}月: {p.message}")
        for item in items
        for p in check_return(item, today=today)
    ]
    problems += [
        Reason(p.field, f"{items[i].project.code} {items[i].year}年{items[i].month}月: {p.message}")
        for i, p in sorted(completion_drops(items).items())
    ]
    if problems:
        raise Refused(problems)
    refuse_locked({(item.year, item.month) for item in items})
    status = ReturnStatus.APPROVED if approve else ReturnStatus.SUBMITTED if submit else ReturnStatus.DRAFT
    now = clock.now()
    actor = actor_row(user)
    count = ChangeCount()
    counted: dict[int, set[int]] = defaultdict(set)  # year -> projects whose counted figures moved
    with transaction.atomic():
        existing = _existing(items)
        created: list[ProgressReturn] = []
        refused: list[Reason] = []
        for item in items:
            ret = existing.get((item.project.pk, item.year, item.month))
            if ret is None:
                ret = ProgressReturn(project=item.project, year=item.year, month=item.month, **item.reported())
                _stamp(ret, status, actor, now)
                created.append(ret)
                continue
            changes = {k: v for k, v in item.reported().items() if getattr(ret, k) != v}
            audit.check_version(ret, item.expected_version)
            if ret.status == ReturnStatus.APPROVED:
                if changes:
                    refused.append(
                        Reason(
                            "",
                            f"{item.project.code} {item.year}年{item.month}月的填报已审核，不能修改，请走更正程序",
                        )
                    )
                else:
                    count.unchanged += 1
                continue
            if not changes and ret.status == status:
                count.unchanged += 1
                continue
            before = audit.snapshot(ret)
            for name, value in changes.items():
                setattr(ret, name, value)
            _stamp(ret, status, actor, now)
            audit.bump_version(ret, item.expected_version, [*changes, *_WORKFLOW])
            audit.log(ret, "return.update", user=user, before=before)
            if status == ReturnStatus.APPROVED:
                counted[item.year].add(item.project.pk)
            count.updated += 1
        if refused:
            raise Refused(refused)
        with created_alone("填报"):
            bulk.insert(ProgressReturn, created)
        if created and created[0].pk is None:  # inserted without their ids coming back
            ids = {
                (project, year, month): pk
                for project, year, month, pk in ProgressReturn.objects.filter(
                    project_id__in={r.project_id for r in created},
                    year__in={r.year for r in created},
                    month__in={r.month for r in created},
                ).values_list("project_id", "year", "month", "pk")
            }
            for new in created:
                new.pk = ids[(new.project_id, new.year, new.month)]
        audit.log_many(((r, None) for r in created), "return.create", user=user)
        if status == ReturnStatus.APPROVED:
            for r in created:
                counted[r.year].add(r.project_id)
        count.created = len(created)
        if len(counted) > 1:
            lock_projects(set().union(*counted.values()))
        for year, project_ids in counted.items():
            figures_changed.send(
                sender=ProgressReturn, project_ids=sorted(project_ids), year=year, plans=False, actuals=True
            )
    return count


def _figures_changed(ret: ProgressReturn) -> None:
    """Tell whoever keeps the figures (metrics) that this return's counted amounts changed."""
    figures_changed.send(sender=ProgressReturn, project_ids=[ret.project_id], year=ret.year, plans=False, actuals=True)


_WORKFLOW = ("status", "submitted_by_id", "submitted_at", "approved_by_id", "approved_at", "review_comment")


def _existing(items: list[Any]) -> dict[tuple[int, int, int], ProgressReturn]:
    project_ids = {item.project.pk for item in items}
    years = {item.year for item in items}
    months = {item.month for item in items}
    return {
        (r.project_id, r.year, r.month): r
        for r in ProgressReturn.objects.filter(project_id__in=project_ids, year__in=years, month__in=months)
    }


def _stamp(ret: ProgressReturn, status: str, actor: Any, now: dt.datetime) -> None:
    ret.status = status
    # A return sent back and submitted again was submitted by whoever sent it the second time.
    if status == ReturnStatus.SUBMITTED or (status == ReturnStatus.APPROVED and ret.submitted_at is None):
        ret.submitted_by, ret.submitted_at = actor, now
    if status == ReturnStatus.APPROVED:
        ret.approved_by, ret.approved_at = actor, now


def save_return(data: ReturnData, *, user: Any, submit: bool = False, today: dt.date | None = None) -> ProgressReturn:
    """Create or update one return (the single-record form of save_returns)."""
    save_returns([data], user=user, submit=submit, today=today)
    return ProgressReturn.objects.get(project=data.project, year=data.year, month=data.month)


def refuse_locked(months: set[tuple[int, int]]) -> None:
    """Refuse any change to returns of a month the office has locked."""
    if not months:
        return
    years = {year for year, _ in months}
    locked = sorted(
        (year, month)
        for year, month in MonthLock.objects.filter(year__in=years).values_list("year", "month")
        if (year, month) in months
    )
    if locked:
        raise Refused([f"{year}年{month}月已由重点办锁定，不能再修改、提交或审核该月填报" for year, month in locked])


def submit_return(ret: ProgressReturn, *, user: Any, expected_version: int | None = None) -> ProgressReturn:
    """Hand a draft (or a return sent back and corrected) to the responsible unit for review.

    expected_version: the version the author saw; a return changed since is not submitted.
    """
    if not can_report(user, ret.project):
        raise PermissionDenied
    audit.check_version(ret, expected_version)
    if ret.status not in EDITABLE:
        raise Refused([f"该填报当前为“{ret.get_status_display()}”，不能再次提交"])
    refuse_locked({(ret.year, ret.month)})
    with transaction.atomic():
        before = audit.snapshot(ret)
        _stamp(ret, ReturnStatus.SUBMITTED, actor_row(user), clock.now())
        audit.bump_version(ret, expected_version, _WORKFLOW)
        audit.log(ret, "return.submit", user=user, before=before)
    return ret


def approve_return(ret: ProgressReturn, *, user: Any, expected_version: int | None = None) -> ProgressReturn:
    """Accept a submitted return: it is locked from then on and counts in the figures.

    expected_version: the version the reviewer saw; a return changed since is not approved.
    """
    if not can_review(user, ret.project):
        raise PermissionDenied
    audit.check_version(ret, expected_version)
    if ret.status != ReturnStatus.SUBMITTED:
        raise Refused([f"只有已提交的填报可以审核，该填报当前为“{ret.get_status_display()}”"])
    if getattr(user, "pk", None) is not None and ret.submitted_by_id == user.pk:
        raise Refused(["不能审核自己提交的填报"])
    refuse_locked({(ret.year, ret.month)})
    with transaction.atomic():
        before = audit.snapshot(ret)
        ret.review_comment = ""
        _stamp(ret, ReturnStatus.APPROVED, actor_row(user), clock.now())
        audit.bump_version(ret, expected_version, _WORKFLOW)
        audit.log(ret, "return.approve", user=user, before=before)
        _figures_changed(ret)
        notify(
            reporters(ret.project),
            f"填报已审核通过：{ret.project.name} {ret.year}年{ret.month}月",
            url=sent_back_url(ret).split("#", 1)[0],
            kind="return.approve",
            key=f"return.approve:{ret.pk}:v{ret.version}",
            organisations=(ret.project.owner_id, ret.project.agent_builder_id),
        )
    return ret


def send_back_return(
    ret: ProgressReturn, *, user: Any, comment: str, expected_version: int | None = None
) -> ProgressReturn:
    """Return a submitted return to its author with the reviewer's reasons; the author corrects and resubmits.

    expected_version: the version the reviewer saw; a return changed since is not sent back.
    """
    if not can_review(user, ret.project):
        raise PermissionDenied
    audit.check_version(ret, expected_version)
    if ret.status != ReturnStatus.SUBMITTED:
        raise Refused([f"只有已提交的填报可以退回，该填报当前为“{ret.get_status_display()}”"])
    comment = (comment or "").strip()
    if not comment:
        raise Refused([Reason("审核意见", "退回时须写明原因")])
    refuse_locked({(ret.year, ret.month)})
    with transaction.atomic():
        before = audit.snapshot(ret)
        ret.status = ReturnStatus.SENT_BACK
        ret.review_comment = comment
        audit.bump_version(ret, expected_version, _WORKFLOW)
        audit.log(ret, "return.send_back", user=user, before=before)
        # A return sent back silently waits forever: its reporters are told, with the reasons and
        # a link to the return's own month (the page they would otherwise open offers the next one).
        notify(
            reporters(ret.project),
            f"填报被退回：{ret.project.name} {ret.year}年{ret.month}月",
            body=f"退回意见：{comment}",
            url=sent_back_url(ret),
            kind="return.send_back",
            # Each sending back is its own event (the version moves on every step of the workflow).
            key=f"return.send_back:{ret.pk}:v{ret.version}",
            organisations=(ret.project.owner_id, ret.project.agent_builder_id),
        )
    return ret


def sent_back_url(ret: ProgressReturn) -> str:
    """Where a sent-back return is corrected: the returns page of its month, at the return."""
    return f"{reverse('returns:index')}?{urlencode({'period': str(Period(ret.year, ret.month))})}#sent-back-{ret.pk}"


def lock_month(year: int, month: int, *, user: Any, reason: str = "") -> MonthLock:
    """Lock a month: its returns can no longer be changed, submitted or reviewed (the office only).

    reason: why, for the audit trail (the page asks for it; the API and console may leave it out).
    """
    if not is_office(user):
        raise PermissionDenied("只有重点办可以锁定月份")
    if MonthLock.objects.filter(year=year, month=month).exists():
        raise Refused([f"{year}年{month}月已经锁定"])
    with transaction.atomic():
        lock = MonthLock.objects.create(year=year, month=month, locked_by=actor_row(user))
        after = audit.snapshot(lock)
        if reason.strip():
            after["reason"] = reason.strip()
        audit.log(lock, "month.lock", user=user, after=after)
    return lock


def unlock_month(year: int, month: int, *, user: Any, reason: str) -> None:
    """Open a locked month again, with the reason on record (the office only)."""
    if not is_office(user):
        raise PermissionDenied("只有重点办可以解锁月份")
    reason = (reason or "").strip()
    if not reason:
        raise Refused([Reason("原因", "解锁须写明原因")])
    lock = MonthLock.objects.filter(year=year, month=month).first()
    if lock is None:
        raise Refused([f"{year}年{month}月没有锁定"])
    with transaction.atomic():
        audit.log(lock, "month.unlock", user=user, before=audit.snapshot(lock), after={"reason": reason})
        lock.delete()


def request_amendment(ret: ProgressReturn, data: ReturnData, *, user: Any, reason: str) -> ReturnAmendment:
    """Ask to correct an approved return (its owner, agent builder or the office), with the reason."""
    if not can_report(user, ret.project):
        raise PermissionDenied
    if ret.status != ReturnStatus.APPROVED:
        raise Refused([f"只有已审核的填报需要申请更正，该填报当前为“{ret.get_status_display()}”，可直接修改"])
    problems = [Reason(p.field, p.message) for p in check_return(data, today=clock.today())]
    reason = (reason or "").strip()
    if not reason:
        problems.append(Reason("更正原因", "须写明原因"))
    problems += list(completion_drops([data]).values())
    if all(getattr(ret, name) == getattr(data, name) for name in _AMENDED):
        problems.append(Reason("", "更正内容与已审核的填报相同"))
    if problems:
        raise Refused(problems)
    amendment = ReturnAmendment(
        progress_return=ret,
        reason=reason,
        requested_by=actor_row(user),
        **{name: getattr(data, name) for name in _AMENDED},
    )
    with created_alone("该填报的更正申请"), transaction.atomic():
        amendment.save()
        audit.log(amendment, "return.amendment.request", user=user)
    return amendment


def decide_amendment(
    amendment: ReturnAmendment, *, user: Any, approve: bool, note: str = "", expected_version: int | None = None
) -> ReturnAmendment:
    """The office approves a correction (the return takes its figures) or rejects it with a note."""
    if not is_office(user):
        raise PermissionDenied("只有重点办可以审批填报更正")
    return amendments.decide(
        amendment,
        user=user,
        approve=approve,
        note=note,
        expected_version=expected_version,
        noun="更正申请",
        action="return.amendment.decide",
        apply=lambda approved: _apply_amendment(approved, user=user),
    )


def _apply_amendment(amendment: ReturnAmendment, *, user: Any) -> None:
    # The published month keeps what it published (its close is frozen); the figures
    # from here on, and the next close, carry the corrected amount.
    ret = amendment.progress_return
    before = audit.snapshot(ret)
    for name in _AMENDED:
        setattr(ret, name, getattr(amendment, name))
    audit.bump_version(ret, None, list(_AMENDED))
    audit.log(ret, "return.amend", user=user, before=before)
    _figures_changed(ret)


# What an amendment may correct.
_AMENDED = ("investment", "physical_progress", "started", "completed", "completion", "completion_drop_reason")
