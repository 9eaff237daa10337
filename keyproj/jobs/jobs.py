"""The work the scheduler runs: each job a small function of the business day and moment, returning counts.

Every job tells people only through `keyproj.accounts.services.notify` with a key naming the event and
its period (``returns-remind:2019-08:d-3``): a user already told of that event is not told again, so a
job run twice for its period — a retry, a 立即运行, two workers — sends nothing twice. A job with nothing
to do on the day raises `Skipped` with the reason, which its run records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from keyproj.accounts.models import OFFICE_ROLES, Membership, User
from keyproj.accounts.services import notify, reporters
from keyproj.core import clock, partitions
from keyproj.core.display import chinese_day
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.opendata import files
from keyproj.opendata.published import NotPublished, published_closes
from keyproj.orgs.models import OrgKind
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.problems.services import escalate_overdue
from keyproj.projects.models import Project
from keyproj.returns import timeliness
from keyproj.returns.entry import last_ended
from keyproj.supervision.models import CloseStatus, Listing, ListingStatus, MonthClose
from keyproj.supervision.services import check_closable, check_order

Counts = dict[str, Any]

# A listing this many days or fewer from its deadline is announced as due soon.
LISTING_WARNING_DAYS = 3
# The reminders before the returns' deadline: (the event, the first day of its window, in days before the
# deadline). A reminder whose day was missed (the worker was down) still goes on the next day of its window.
REMINDERS = (("d-3", 3), ("d-1", 1))
# How many projects a message lists before it says how many more there are.
LISTED_IN_A_MESSAGE = 30


class Skipped(Exception):
    """The job has nothing to do on this day (not a reminder day, the deadline not yet passed …)."""


@dataclass(frozen=True)
class JobKind:
    """The code a Job row names, its Chinese label and the function that does the work."""

    code: str
    label: str
    run: Callable[[dt.date, dt.datetime], Counts]
    # Whether the run is one transaction (all or nothing). The outbox's jobs are not: each delivery is
    # claimed, sent (seconds, over SMTP or a webhook) and recorded in its own short transaction, so what
    # was sent stays recorded when a later one fails or the worker is killed, and no write lock is held
    # while sending. Nor is the open-data job: it writes files, which no transaction takes back, and one
    # transaction over every month's build would hold a database snapshot open for minutes.
    transactional: bool = True


def office_users() -> QuerySet[User]:
    return User.objects.filter(memberships__role__in=OFFICE_ROLES, is_active=True).distinct().order_by("pk")


def members(organisation_ids: Iterable[int]) -> QuerySet[User]:
    """The active users holding any post in the given organisations."""
    return (
        User.objects.filter(memberships__organisation_id__in=list(organisation_ids), is_active=True)
        .distinct()
        .order_by("pk")
    )


def project_lines(projects: list[Project]) -> str:
    lines = [f"{p.code} {p.name}" for p in projects[:LISTED_IN_A_MESSAGE]]
    if len(projects) > LISTED_IN_A_MESSAGE:
        lines.append(f"……等共{len(projects)}个项目")
    return "\n".join(lines)


def month_text(period: Period) -> str:
    return f"{period.year}年{period.month}月"


# ------------------------------------------------------------------------------ escalate


def escalate(day: dt.date, now: dt.datetime) -> Counts:
    """Raise overdue problems a level (as `keyproj problems escalate-overdue`), and warn of listings near
    or past their deadline: the project's responsible unit and the office, once per listing and event."""
    steps = escalate_overdue(today=day, user=CONSOLE)
    counts: Counts = {"escalated": len(steps), "listings_overdue": 0, "listings_due_soon": 0, "messages": 0}
    horizon = day + dt.timedelta(days=LISTING_WARNING_DAYS)
    listings = (
        Listing.objects.filter(status=ListingStatus.LISTED, due__isnull=False, due__lte=horizon)
        .select_related("project")
        .order_by("due", "pk")
    )
    office = list(office_users())
    for listing in listings:
        assert listing.due is not None  # filtered above
        unit = list(members([listing.project.responsible_unit_id]))
        if listing.due < day:
            counts["listings_overdue"] += 1
            event = "overdue"
            title = f"挂牌督办已逾期：{listing.matter}"
            body = f"{listing.project.code} {listing.project.name}，办结期限{chinese_day(listing.due)}，至今未销号"
        else:
            counts["listings_due_soon"] += 1
            event = "due-soon"
            title = f"挂牌督办即将到期：{listing.matter}"
            body = f"{listing.project.code} {listing.project.name}，办结期限{chinese_day(listing.due)}"
        counts["messages"] += notify(
            [*unit, *office],
            title,
            body=body,
            url=listing.get_absolute_url(),
            kind="listing",
            key=f"listing:{listing.pk}:{event}:{listing.due.isoformat()}",
            # The unit's group hears of its own listing; the office's people are told in person.
            organisations=[listing.project.responsible_unit_id],
        )
    return counts


# ------------------------------------------------------------------------------ returns


def reporting_month(day: dt.date) -> tuple[Period, dt.date]:
    """The month being reported on `day` (the last month that is over) and its returns' deadline."""
    period = last_ended(day)
    return period, timeliness.deadline(period)


def remind_returns(day: dt.date, now: dt.datetime) -> Counts:
    """Three days and one day before the deadline: each reporter of a project whose return is still missing
    gets one message listing their missing projects."""
    period, deadline = reporting_month(day)
    left = (deadline - day).days
    event = next((name for name, before in REMINDERS if 0 <= left <= before and left > _next_window(before)), None)
    if event is None:
        raise Skipped(f"{month_text(period)}月报截止日为{chinese_day(deadline)}，今天不是提醒日")
    missing = list(timeliness.missing(CONSOLE, period))
    by_user: dict[int, list[Project]] = defaultdict(list)
    users: dict[int, User] = {}
    for project in missing:
        for user in reporters(project):
            users[user.pk] = user
            by_user[user.pk].append(project)
    url = reverse("returns:index")
    sent = 0
    for pk, projects in by_user.items():
        sent += notify(
            [users[pk]],
            f"请于{chinese_day(deadline)}前报送{month_text(period)}月报（尚有{len(projects)}个项目未报）",
            body=project_lines(projects),
            url=url,
            kind="returns-remind",
            # Each message lists one user's projects: no organisation's group is to read it.
            organisations=(),
            key=f"returns-remind:{period}:{event}",
        )
    return {"event": event, "missing": len(missing), "users": len(by_user), "messages": sent}


def _next_window(before: int) -> int:
    """The days-before of the reminder after the one that starts `before` days ahead (-1 after the last)."""
    later = [b for _, b in REMINDERS if b < before]
    return max(later) if later else -1


def chase_returns(day: dt.date, now: dt.datetime) -> Counts:
    """催报: once the deadline has passed, each district, responsible unit and SOE with missing returns is told
    which, with a link to the 催报 list (once a month per organisation)."""
    period, deadline = reporting_month(day)
    if day <= deadline:
        raise Skipped(f"{month_text(period)}月报截止日{chinese_day(deadline)}未过")
    missing = list(timeliness.missing(CONSOLE, period))
    groups: dict[tuple[str, int], list[Project]] = defaultdict(list)
    for project in missing:
        groups[("district", project.district_id)].append(project)
        groups[("responsible_unit", project.responsible_unit_id)].append(project)
        if project.owner.kind == OrgKind.SOE:
            groups[("owner", project.owner_id)].append(project)
    base = reverse("returns:timeliness")
    sent = 0
    for (by, org_id), projects in groups.items():
        sent += notify(
            members([org_id]),
            f"催报：{month_text(period)}尚有{len(projects)}个项目未报送月报（截止日{chinese_day(deadline)}）",
            body=project_lines(projects),
            url=f"{base}?period={period}&by={by}",
            kind="returns-chase",
            organisations=[org_id],
            # `by` too: an SOE that is both a project's owner and another's responsible unit gets both lists.
            key=f"returns-chase:{period}:{by}:org-{org_id}",
        )
    return {"missing": len(missing), "organisations": len(groups), "messages": sent}


# ------------------------------------------------------------------------------ the month close


def ready_to_close(day: dt.date, now: dt.datetime) -> Counts:
    """After the deadline, while the month is not closed and may be: one note to the office per month."""
    period, deadline = reporting_month(day)
    reasons = check_closable(period, day)
    if reasons:
        raise Skipped("；".join(r.message for r in reasons))
    if MonthClose.objects.filter(year=period.year, month=period.month, status=CloseStatus.CLOSED).exists():
        raise Skipped(f"{month_text(period)}已关账")
    if not AnnualPlan.objects.filter(year=period.year, status=PlanStatus.APPROVED).exists():
        raise Skipped(f"{period.year}年没有已批准的年度计划，无需关账")
    missing = timeliness.missing(CONSOLE, period).count()
    lines = [f"{month_text(period)}月报截止日{chinese_day(deadline)}已过，可以关账。"]
    if missing:
        lines.append(f"尚有{missing}个项目未报送月报。")
    lines.extend(r.message for r in check_order(period))
    sent = notify(
        office_users(),
        f"{month_text(period)}可以关账",
        body="\n".join(lines),
        url=reverse("supervision:close", args=[str(period)]),
        kind="month-ready",
        key=f"month-ready:{period}",
        organisations=Membership.objects.filter(role__in=OFFICE_ROLES).values_list("organisation_id", flat=True),
    )
    return {"missing": missing, "messages": sent}


# ------------------------------------------------------------------------------ the outbox


def _counted(result: Any, name: str) -> Counts:
    """What an outbox call answered, as counts: a number under `name`, a mapping as it is."""
    if isinstance(result, dict):
        return dict(result)
    if isinstance(result, int):
        return {name: result}
    if isinstance(result, Iterable) and not isinstance(result, str):
        return {name: len(list(result))}
    return {name: str(result)}


def deliver_outbox(day: dt.date, now: dt.datetime) -> Counts:
    """Send the messages whose delivery is due (e-mail and the other channels of keyproj.outbox)."""
    from keyproj.outbox.delivery import deliver_due  # only when run: the outbox loads its channels with it

    # The outbox's attempts and retries are record keeping: they follow the real clock.
    return _counted(deliver_due(now=clock.real_now()), "delivered")


def outbox_digest(day: dt.date, now: dt.datetime) -> Counts:
    """Send the day's digest to those who asked for one instead of a message each."""
    from keyproj.outbox.delivery import send_digests  # as in deliver_outbox

    return _counted(send_digests(day, now=clock.real_now()), "digests")


# ------------------------------------------------------------------------------ partitions


def ensure_partitions(day: dt.date, now: dt.datetime) -> Counts:
    """Give every table partitioned by year (PostgreSQL) its partitions of this business year and the next,
    ahead of their first rows, and a partition of their own to the rows of any other year that were
    written before theirs existed and wait in the default partition (keyproj.core.partitions)."""
    tables = partitions.partitioned_tables()
    if not tables:
        raise Skipped("数据库没有按年分区的表（SQLite 不分区）")
    created = partitions.ensure_years([day.year, day.year + 1]) + partitions.settle_default()
    return {"tables": len(tables), "created": len(created), "partitions": created}


# ------------------------------------------------------------------------------ open data


def build_open_data(day: dt.date, now: dt.datetime) -> Counts:
    """Build the stored OC4IDS downloads of every published month that lacks them (keyproj.opendata.files),
    so that no visitor of the public site waits while a month's package is built.

    A month another process is building right now is counted busy, not failed: that build stores it.
    A month that is closed with a 通报 but no longer public (the 通报 withdrawn, a snapshot from before
    open data) is counted and left alone; a request for it is refused the same way.
    """
    if not settings.KEYPROJ_PUBLIC:
        # The API's package for everyone reads the same files, but then only the office asks for it,
        # and building it on its first request is good enough.
        raise Skipped("未开启公开网站（KEYPROJ_PUBLIC）")
    counts: Counts = {"months": 0, "built": 0, "present": 0, "busy": 0, "not_public": 0}
    for close in published_closes():
        counts["months"] += 1
        try:
            counts["built" if files.build(close) else "present"] += 1
        except files.Building:
            counts["busy"] += 1
        except NotPublished:
            counts["not_public"] += 1
    return counts


KINDS: dict[str, JobKind] = {
    kind.code: kind
    for kind in (
        JobKind("escalate", "问题超时上报与督办到期提醒", escalate),
        JobKind("remind_returns", "月报截止前提醒", remind_returns),
        JobKind("chase_returns", "月报催报", chase_returns),
        JobKind("ready_to_close", "关账提醒", ready_to_close),
        JobKind("deliver_outbox", "消息投递", deliver_outbox, transactional=False),
        JobKind("outbox_digest", "每日消息汇总", outbox_digest, transactional=False),
        JobKind("partitions", "按年分区", ensure_partitions),
        JobKind("opendata", "公开数据包生成", build_open_data, transactional=False),
    )
}
