"""State changes of 月度督办: closing and reopening a month, issuing its 通报, listings (挂牌督办).

Each service checks, writes and audits in one transaction; refusals raise `Refused` with
every problem in Chinese and write nothing. Only the key office may do any of this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction

from keyproj.accounts.models import OFFICE_ROLES, Membership, User
from keyproj.accounts.permissions import is_office
from keyproj.accounts.services import notify
from keyproj.core import audit, clock
from keyproj.core.audit import ConflictError
from keyproj.core.display import chinese_day
from keyproj.core.errors import Reason, Refused
from keyproj.core.period import Period, PeriodError
from keyproj.core.scoping import actor_row
from keyproj.notices.models import Notice, NoticeKind
from keyproj.notices.services import issue_notice, withdraw_notice
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.returns import timeliness
from keyproj.supervision import compute as computing
from keyproj.supervision import publication, rules
from keyproj.supervision.models import (
    Card,
    CardRule,
    CloseStatus,
    CompletenessRule,
    Listing,
    ListingProgress,
    ListingStatus,
    MonthClose,
    RankingEntry,
    RankingRule,
    Referral,
)
from keyproj.supervision.notice import build_notice


def _actor(user: Any) -> Any:
    """Who is stored as having done it (None for the console); a missing user is refused."""
    return actor_row(user)


def _office_only(user: Any, what: str) -> None:
    if not is_office(user):
        raise PermissionDenied(f"只有重点办可以{what}")


class CloseRaced(Refused):
    """Another closer of the same month got there first and has not finished (or it failed): nothing of
    this close was written. The API answers it 409; pages and the command say it like any refusal."""

    def __init__(self, period: Period) -> None:
        super().__init__([Reason("", f"{month_text(period)}正由他人关账，本次未保存，请稍后刷新页面查看")])


@dataclass(frozen=True)
class CloseOutcome:
    """What closing did: the close, whether it was written now, and the returns that were missing."""

    close: MonthClose
    created: bool
    missing_returns: list[str]


OVERRIDE_MAX = MonthClose._meta.get_field("override_reason").max_length or 300


def month_text(period: Period) -> str:
    """A month as the office writes it in a message, whatever the page's language: 2019年8月."""
    return f"{period.year}年{period.month}月"


def check_closable(period: Period, today: dt.date) -> list[Reason]:
    """A month can be closed once its returns' deadline has passed."""
    due = timeliness.deadline(period)
    if today <= due:
        return [
            Reason(
                "月份",
                f"{period.year}年{period.month}月的填报截止日为{chinese_day(due)}，截止日过后才能关账",
            )
        ]
    return []


def open_earlier_months(period: Period) -> list[tuple[Period, bool]]:
    """The earlier months of the year that are not closed: (month, reopened), oldest first.

    Months are published in order, so that each close sees the one before it (cards that
    repeat, moves in the rankings). A year without any approved plan has nothing to publish,
    and so nothing to wait for.
    """

    if period.month == 1 or not AnnualPlan.objects.filter(year=period.year, status=PlanStatus.APPROVED).exists():
        return []
    states = dict(
        MonthClose.objects.filter(year=period.year, month__lt=period.month).values_list("month", "status").order_by()
    )
    return [
        (Period(period.year, month), states.get(month) == CloseStatus.REOPENED)
        for month in range(1, period.month)
        if states.get(month) != CloseStatus.CLOSED
    ]


def check_order(period: Period) -> list[Reason]:
    """Refuse a month while an earlier month of its year is open, naming those months."""
    earlier = open_earlier_months(period)
    if not earlier:
        return []
    names = "、".join(month_text(month) + ("（已重新打开）" if reopened else "") for month, reopened in earlier)
    return [Reason("月份", f"须按月份顺序关账：{names}尚未关账，请先关账{month_text(earlier[0][0])}")]


def check_confirmation(period: Period, text: str | None) -> list[Reason]:
    """The month the user typed to confirm a close must be the month being closed.

    Accepted as 2019年8月, 2019年08月 or 2019-08 (spaces ignored).
    """
    typed = "".join((text or "").split())
    if not typed:
        return [Reason("确认月份", f"请输入要关账的月份“{month_text(period)}”以确认")]
    accepted = {month_text(period), f"{period.year}年{period.month:02d}月", str(period), period.label.replace(" ", "")}
    if typed not in accepted:
        try:
            if Period.parse(typed) == period:
                return []
        except PeriodError:
            pass
        return [Reason("确认月份", f"输入的“{typed[:20]}”与要关账的月份（{month_text(period)}）不一致，未关账")]
    return []


def completeness_problem(complete: dict[str, Any]) -> Reason:
    """The refusal of a month below the completeness rule, with its figures."""
    return Reason(
        "",
        f"已审核月报 {complete['approved']}/{complete['due']}（{complete['share']}%），"
        f"低于关账要求的{complete['required']}%。如确需关账，须填写低于要求关账的理由",
    )


def close_month(period: Period, *, user: Any, today: dt.date | None = None, override_reason: str = "") -> CloseOutcome:
    """Close a month: compute cards, rankings and listings, freeze the snapshot, propose listings.

    Closing a month that is already closed changes nothing (no rows, no audit entries).
    A reopened month is recomputed from the data as it now stands and closed again.
    Refused, writing nothing, before the returns' deadline, while an earlier month of the
    year is open, and below the completeness rule unless `override_reason` says why (the
    reason is kept in the snapshot and printed in the notice). Closing takes no 文号: the
    notice is issued afterwards by `issue_close_notice`.
    """
    _office_only(user, "关账")
    today = today or clock.today()
    existing = _current_close(period)
    if existing is not None and existing.is_closed:
        return _unchanged(existing)
    problems = check_closable(period, today) + check_order(period)
    if problems:
        raise Refused(problems)
    completeness_rule = CompletenessRule.current()
    complete = computing.completeness(period, completeness_rule)
    reason = " ".join((override_reason or "").split())
    if not complete["met"]:
        if not reason:
            raise Refused([completeness_problem(complete)])
        if len(reason) > OVERRIDE_MAX:
            raise Refused([Reason("关账理由", f"不能超过{OVERRIDE_MAX}个字")])
    else:
        reason = ""  # nothing to override: a reason given anyway is not the record of an exception
    complete = {**complete, "override_reason": reason}
    try:
        with transaction.atomic():
            close = _write_close(period, existing, user, today, completeness_rule, complete)
    except (IntegrityError, ConflictError, OperationalError):
        # Someone closed the same month at the same moment: the unique key or the version stopped this
        # one, or the database gave up waiting for their lock (a deadlock, a busy SQLite file). Theirs
        # stands and nothing of ours was written; whoever asks is told so calmly.
        winner = MonthClose.objects.filter(year=period.year, month=period.month).first()
        if winner is not None and winner.is_closed:
            return _unchanged(winner)
        raise CloseRaced(period) from None
    return CloseOutcome(close, True, list(close.snapshot["timeliness"]["missing_projects"]))


def _current_close(period: Period) -> MonthClose | None:
    """The month's close as it stands when the closing starts (another may write one meanwhile)."""
    return MonthClose.objects.filter(year=period.year, month=period.month).first()


def _unchanged(close: MonthClose) -> CloseOutcome:
    return CloseOutcome(close, False, list(close.snapshot.get("timeliness", {}).get("missing_projects", [])))


def _write_close(
    period: Period,
    existing: MonthClose | None,
    user: Any,
    today: dt.date,
    completeness_rule: Any,
    complete: dict[str, Any],
) -> MonthClose:
    """Compute and write one close (inside the caller's transaction); the unique constraint and
    the version check stop a second writer of the same month."""
    card_rule = CardRule.current()
    ranking_rule = RankingRule.current()
    snapshot = computing.compute(period, card_rule, ranking_rule, completeness_rule)
    # The completeness judged before closing is the one recorded, with its reason.
    snapshot["completeness"] = complete
    published = publication.public_projects(period, snapshot["projects"])
    snapshot["public"] = publication.marker(published)
    now = clock.now()
    if existing is None:
        close = MonthClose.objects.create(
            year=period.year,
            month=period.month,
            card_rule=card_rule,
            ranking_rule=ranking_rule,
            completeness_rule=completeness_rule,
            override_reason=complete["override_reason"],
            closed_at=now,
            closed_by=_actor(user),
            closed_on=today,
            snapshot=snapshot,
        )
        before = None
    else:
        close = existing
        before = audit.snapshot(close)
        # `before` keeps the snapshot that was published, so that it stays on record after the recompute.
        close.cards.all().delete()
        close.rankings.all().delete()
        close.published_projects.all().delete()
        close.status = CloseStatus.CLOSED
        close.card_rule, close.ranking_rule = card_rule, ranking_rule
        close.completeness_rule, close.override_reason = completeness_rule, complete["override_reason"]
        close.closed_at, close.closed_by, close.closed_on = now, _actor(user), today
        close.snapshot = snapshot
        audit.bump_version(
            close,
            existing.version,
            [
                "status",
                "card_rule",
                "ranking_rule",
                "completeness_rule",
                "override_reason",
                "closed_at",
                "closed_by",
                "closed_on",
                "snapshot",
            ],
        )
    _write_results(close, snapshot)
    publication.write(close, published)
    _propose_listings(close, snapshot, user)
    _mark_overdue(period, user)
    audit.log(close, "month.close", user=user, before=before, after=_close_summary(close))
    notify(
        _office_users(),
        f"{month_text(period)}已关账",
        body="红黄牌、红黑榜和挂牌督办建议已生成，可印发通报。",
        url=close.get_absolute_url(),
        kind="month.close",
        key=f"month.close:{period}:v{close.version}",
        organisations=_office_organisations(),
    )
    return close


def notice_source(close: MonthClose) -> str:
    """What the month's notice is issued from: this close, at this version (a re-close is a new source)."""
    return f"close:{close.period}:v{close.version}"


def close_notices(period: Period) -> list[Any]:
    """Every 通报 issued for a month, newest first, withdrawn ones included (each keeps its 文号)."""

    return list(
        Notice.objects.filter(kind=NoticeKind.MONTHLY, source__startswith=f"close:{period}:")
        .defer("docx", "pdf", "document")
        .order_by("-issued_at", "-pk")
    )


def issue_close_notice(close: MonthClose, *, user: Any, today: dt.date | None = None) -> Any:
    """Issue a closed month's 通报 through the notices app: it takes the 文号 and stores the files.

    The 文号 is taken only here, never by closing. The notice is dated on the business day
    of issue, and its year is that day's. Issued once per close: issuing again finds it; a
    reopened and re-closed month issues a new notice with the next number (the old one is
    withdrawn, keeping its own). The 文号 and date are written into the snapshot so that the
    notice re-renders with them.
    """

    _office_only(user, "印发通报")
    today = today or clock.today()
    with transaction.atomic():
        # Locked, so that two people issuing the same month wait for each other; the second finds the first's.
        current = MonthClose.objects.select_for_update().filter(pk=close.pk).first()
        if current is None or not current.is_closed:
            raise Refused([Reason("", f"{close.year}年{close.month}月未关账或已重新打开，关账后才能印发通报")])
        issued = current.snapshot.get("notice")
        if issued:
            close.snapshot = current.snapshot
            return Notice.objects.filter(pk=issued["id"]).first()
        document = build_notice(current.snapshot, date=today, number="")
        notice = issue_notice(
            NoticeKind.MONTHLY,
            document,
            period_label=month_text(current.period),
            user=user,
            source=notice_source(current),
        )
        current.snapshot = {
            **current.snapshot,
            "notice": {"id": notice.pk, "number": notice.number, "date": notice.date.isoformat()},
        }
        MonthClose.objects.filter(pk=current.pk).update(snapshot=current.snapshot)
        audit.log(current, "month.notice", user=user, before=None, after={"notice": notice.pk, "number": notice.number})
        # The ranked districts, units and SOEs read the 通报 about them (the office, when it ranks nobody).
        ranked = sorted(set(current.rankings.values_list("organisation_id", flat=True)))
        notify(
            _members(ranked) if ranked else _office_users(),
            f"通报已印发：{notice.title}",
            body=f"{notice.number} {month_text(current.period)}",
            url=notice.get_absolute_url(),
            kind="notice.issue",
            key=f"notice.issue:{notice.pk}",
            organisations=ranked if ranked else _office_organisations(),
        )
    close.snapshot = current.snapshot
    return notice


def _close_summary(close: MonthClose) -> dict[str, Any]:
    """What the audit log keeps of a close (the snapshot itself stays on the row)."""
    snap = close.snapshot
    return {
        "period": snap["period"],
        "status": close.status,
        "card_rule": snap["rules"]["card"]["version"],
        "ranking_rule": snap["rules"]["ranking"]["version"],
        "completeness_rule": snap["rules"].get("completeness", {}).get("version"),
        "approved_returns": snap.get("completeness", {}).get("approved"),
        "due_returns": snap.get("completeness", {}).get("due"),
        "override_reason": snap.get("completeness", {}).get("override_reason", ""),
        "cards": len(snap["cards"]),
        "red": sum(1 for c in snap["cards"] if c["colour"] == rules.RED),
        "proposals": len(snap["listings"]["proposals"]),
        "missing_returns": len(snap["timeliness"]["missing_projects"]),
    }


def _write_results(close: MonthClose, snapshot: dict[str, Any]) -> None:
    Card.objects.bulk_create(
        [
            Card(
                close=close,
                project_id=c["project_id"],
                colour=c["colour"],
                rules=c["rules"],
                reasons=c["reasons"],
                plan_to_date=Decimal(c["plan_to_date"]),
                actual_to_date=Decimal(c["actual_to_date"]),
                schedule_rate=None if c["schedule_rate"] is None else Decimal(c["schedule_rate"]),
                path_to_green=Decimal(c["path_to_green"]),
                deadline=dt.date.fromisoformat(c["deadline"]),
            )
            for c in snapshot["cards"]
        ],
        batch_size=2000,
    )
    RankingEntry.objects.bulk_create(
        [
            RankingEntry(
                close=close,
                list=key,
                organisation_id=row["organisation_id"],
                project_count=row["project_count"],
                plan_to_date=Decimal(row["plan_to_date"]),
                actual_to_date=Decimal(row["actual_to_date"]),
                score=Decimal(row["score"]),
                rank=row["rank"],
                board=row["board"],
                move=row["move"],
                met_plan=row["met_plan"],
            )
            for key, rows in snapshot["rankings"].items()
            for row in rows
        ]
    )


def _propose_listings(close: MonthClose, snapshot: dict[str, Any], user: Any) -> None:
    """The close's proposals become listings awaiting the office's decision."""
    proposals = [
        Listing(
            project_id=p["project_id"],
            problem_id=p["problem_id"],
            status=ListingStatus.PROPOSED,
            matter=p["matter"][:300],
            reason=p["reason"][:300],
            proposed_by=close,
        )
        for p in snapshot["listings"]["proposals"]
    ]
    if not proposals:
        return
    Listing.objects.bulk_create(proposals)
    if proposals[0].pk is None:
        proposals = list(Listing.objects.filter(proposed_by=close, status=ListingStatus.PROPOSED).order_by("pk"))
    audit.log_many(((item, None) for item in proposals), "listing.propose", user=user)


def _mark_overdue(period: Period, user: Any) -> None:
    """Listings past their deadline at the month's end are marked for referral (效能/纪检)."""
    overdue = list(
        Listing.objects.filter(status=ListingStatus.LISTED, due__lt=period.last_day, referral=Referral.NONE).order_by(
            "pk"
        )
    )
    for listing in overdue:
        before = audit.snapshot(listing)
        listing.referral = Referral.PENDING
        audit.bump_version(listing, None, ["referral"])
        audit.log(listing, "listing.overdue", user=user, before=before)


def reopen_month(close: MonthClose, *, user: Any, reason: str) -> MonthClose:
    """Open a closed month again so that it can be closed anew; the reason is kept in the audit log.

    Its snapshot stays as published until the month is closed again. A notice issued for it
    is withdrawn (撤回) with the same reason: it keeps its 文号, which is never used again.
    """
    _office_only(user, "重新打开已关账的月份")
    reason = (reason or "").strip()
    problems = []
    if not reason:
        problems.append(Reason("原因", "重新打开已关账的月份须写明原因"))
    if not close.is_closed:
        problems.append(Reason("", f"{close.year}年{close.month}月未关账，无需重新打开"))
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        before = audit.snapshot(close)
        before.pop("snapshot", None)
        close.status = CloseStatus.REOPENED
        audit.bump_version(close, None, ["status"])
        audit.log(close, "month.reopen", user=user, before=before, after={"status": close.status, "reason": reason})
        _withdraw_notice(close, user=user, reason=reason)
    return close


def _withdraw_notice(close: MonthClose, *, user: Any, reason: str) -> None:

    issued = close.snapshot.get("notice")
    notice = Notice.objects.filter(pk=issued["id"]).first() if issued else None
    if notice is not None and not notice.is_withdrawn:
        withdraw_notice(notice, user=user, reason=f"{month_text(close.period)}已重新打开：{reason}")


@dataclass
class ListingData:
    """What the office fills in to list a project or problem: who, what target, by when."""

    matter: str
    responsible: str
    target: str
    due: dt.date | None
    problem: Any = None


def _check_listing(data: ListingData) -> list[Reason]:
    problems = []
    if not data.matter.strip():
        problems.append(Reason("督办事项", "必填"))
    if not data.responsible.strip():
        problems.append(Reason("责任单位/责任人", "必填"))
    if not data.target.strip():
        problems.append(Reason("督办目标", "必填"))
    if data.due is None:
        problems.append(Reason("办结期限", "必填"))
    return problems


def create_listing(project: Any, data: ListingData, *, user: Any, today: dt.date | None = None) -> Listing:
    """List a project (or a problem on it) under named supervision."""
    _office_only(user, "挂牌督办")
    problems = _check_listing(data)
    if data.problem is not None and data.problem.project_id != project.pk:
        problems.append(Reason("问题", "该问题不属于此项目"))
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        listing = Listing.objects.create(
            project=project,
            problem=data.problem,
            status=ListingStatus.LISTED,
            matter=data.matter.strip(),
            responsible=data.responsible.strip(),
            target=data.target.strip(),
            due=data.due,
            listed_on=today or clock.today(),
        )
        audit.log(listing, "listing.create", user=user)
        _tell_listed(listing)
    return listing


def accept_proposal(
    listing: Listing, data: ListingData, *, user: Any, expected_version: int | None = None, today: dt.date | None = None
) -> Listing:
    """Turn a close's proposal into a listing, naming who, what target and by when."""
    _office_only(user, "挂牌督办")
    problems = _check_listing(data)
    if listing.status != ListingStatus.PROPOSED:
        problems.append(Reason("", f"该事项当前为“{listing.get_status_display()}”，不是待定的挂牌建议"))
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        before = audit.snapshot(listing)
        listing.status = ListingStatus.LISTED
        listing.matter, listing.responsible = data.matter.strip(), data.responsible.strip()
        listing.target, listing.due = data.target.strip(), data.due
        listing.listed_on = today or clock.today()
        audit.bump_version(listing, expected_version, ["status", "matter", "responsible", "target", "due", "listed_on"])
        audit.log(listing, "listing.accept", user=user, before=before)
        _tell_listed(listing)
    return listing


def _office_users() -> Any:
    return User.objects.filter(memberships__role__in=OFFICE_ROLES, is_active=True).distinct()


def _office_organisations() -> list[int]:
    """The organisations the office's people belong to in their office roles (whose groups hear the office's news)."""
    rows = Membership.objects.filter(role__in=OFFICE_ROLES, user__is_active=True)
    return sorted(set(rows.values_list("organisation_id", flat=True)))


def _members(organisation_ids: Any) -> Any:
    """The active users holding a role in any of the organisations."""
    return User.objects.filter(memberships__organisation_id__in=organisation_ids, is_active=True).distinct()


def _tell_listed(listing: Listing) -> None:
    """A listing is news for the project's responsible unit and owner: they answer for it by its deadline."""
    project = listing.project
    notify(
        _members([project.responsible_unit_id, project.owner_id]),
        f"挂牌督办：{project.name}",
        body=f"督办事项：{listing.matter}\n督办目标：{listing.target}\n办结期限：{chinese_day(listing.due)}",
        url=listing.get_absolute_url(),
        kind="listing.listed",
        key=f"listing.listed:{listing.pk}",
        organisations=(project.responsible_unit_id, project.owner_id),
    )


def _check_step(listing: Listing, status: str, wrong_status: str, required: tuple[str, str, str]) -> None:
    """Refuse a step on a listing, with every reason at once: the required text is blank, or the
    listing is not in `status` (said as "该事项当前为…，" + `wrong_status`)."""
    label, text, missing = required
    problems = []
    if not (text or "").strip():
        problems.append(Reason(label, missing))
    if listing.status != status:
        problems.append(Reason("", f"该事项当前为“{listing.get_status_display()}”，{wrong_status}"))
    if problems:
        raise Refused(problems)


def decline_proposal(listing: Listing, *, user: Any, reason: str, expected_version: int | None = None) -> Listing:
    """Decide not to list a proposed item, with the reason."""
    _office_only(user, "处理挂牌建议")
    _check_step(listing, ListingStatus.PROPOSED, "不是待定的挂牌建议", ("原因", reason, "不予挂牌须写明原因"))
    with transaction.atomic():
        before = audit.snapshot(listing)
        listing.status = ListingStatus.DECLINED
        listing.evidence = reason.strip()
        audit.bump_version(listing, expected_version, ["status", "evidence"])
        audit.log(listing, "listing.decline", user=user, before=before)
    return listing


def record_progress(listing: Listing, *, user: Any, note: str, on: dt.date | None = None) -> ListingProgress:
    """Add a progress note to a listing under supervision."""
    _office_only(user, "记录督办进展")
    _check_step(listing, ListingStatus.LISTED, "不能再记录进展", ("进展情况", note, "必填"))
    with transaction.atomic():
        entry = ListingProgress.objects.create(
            listing=listing, on=on or clock.today(), note=note.strip(), created_by=_actor(user)
        )
        audit.log(entry, "listing.progress", user=user)
    return entry


def close_listing(
    listing: Listing, *, user: Any, evidence: str, expected_version: int | None = None, on: dt.date | None = None
) -> Listing:
    """销号: close a listing with the evidence that its target was met."""
    _office_only(user, "销号")
    _check_step(listing, ListingStatus.LISTED, "不能销号", ("销号依据", evidence, "销号须写明依据"))
    with transaction.atomic():
        before = audit.snapshot(listing)
        listing.status = ListingStatus.CLOSED
        listing.evidence = evidence.strip()
        listing.closed_on = on or clock.today()
        audit.bump_version(listing, expected_version, ["status", "evidence", "closed_on"])
        audit.log(listing, "listing.close", user=user, before=before)
    return listing


def refer_listing(listing: Listing, *, user: Any, to: str, expected_version: int | None = None) -> Listing:
    """Record the referral of an overdue listing to the efficiency (效能) or discipline (纪检) body."""
    _office_only(user, "移送")
    problems = []
    if to not in (Referral.EFFICIENCY, Referral.DISCIPLINE):
        problems.append(Reason("移送", "应为效能或纪检"))
    if listing.status != ListingStatus.LISTED:
        problems.append(Reason("", f"该事项当前为“{listing.get_status_display()}”，不能移送"))
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        before = audit.snapshot(listing)
        listing.referral = to
        audit.bump_version(listing, expected_version, ["referral"])
        audit.log(listing, "listing.refer", user=user, before=before)
    return listing
