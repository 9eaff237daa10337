"""Sending what waits in the outbox: the due deliveries, and each day's digests.

The job scheduler calls `deliver_due()` every minute or so and `send_digests(day)` once a day; both
take the moment from the caller, so a test moves time instead of waiting. Each delivery is claimed in
its own short transaction (on PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED`, so two workers never take
the same one), sent outside any transaction (a slow endpoint holds no lock), and its outcome committed
on its own: a failure is retried later, backing off to once an hour, for KEYPROJ_OUTBOX_GIVE_UP_HOURS
(72 by default: a mail server or a group chat down over a weekend loses nothing) after the delivery
was written or last sent again; only then is it given up on, visibly, for the office to send again.
Sending is record keeping, so it follows the real clock, never the business day.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext

from keyproj.core import clock
from keyproj.core.health import Part
from keyproj.outbox.channels import Message, SendError, dingtalk, email, wecom
from keyproj.outbox.models import Channel, Delivery, Preference, Status, scrub

log = logging.getLogger(__name__)

# How long a worker's claim on a delivery lasts: past it, a delivery left "sending" by a worker that
# stopped is due again (sent at least once rather than lost).
CLAIM = dt.timedelta(minutes=10)
# Deliveries looked at per query; a run goes on until nothing is due.
BATCH = 100
BACKOFF_CAP = dt.timedelta(hours=1)


class GiveUp(SendError):
    """A failure that waiting will not mend (no address, robot stopped): given up on at once."""


def give_up_after() -> dt.timedelta:
    """How long a failing delivery is retried before it is given up on."""
    return dt.timedelta(hours=max(1, int(getattr(settings, "KEYPROJ_OUTBOX_GIVE_UP_HOURS", 72))))


def gives_up_at(row: Delivery) -> dt.datetime:
    """The moment past which a failure of `row` is final: counted from its writing or its last resending."""
    return (row.resent_at or row.created_at) + give_up_after()


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4, 8 … minutes, at most an hour."""
    return min(dt.timedelta(minutes=2 ** max(0, attempts - 1)), BACKOFF_CAP)


def message_of(delivery: Delivery) -> Message:
    return Message(delivery.title, delivery.body, delivery.url)


def _send(delivery: Delivery) -> None:
    """Hand one delivery to its channel; raise SendError (GiveUp) when it was not taken."""
    message = message_of(delivery)
    if delivery.channel == Channel.EMAIL:
        user = delivery.user
        if user is None or not user.is_active:
            raise GiveUp(gettext("接收人已停用"))
        if not user.email:
            raise GiveUp(gettext("接收人没有邮箱地址"))
        preference = Preference.objects.filter(user_id=user.pk).first()
        if preference is not None and not preference.email_enabled:
            raise GiveUp(gettext("接收人已关闭邮件通知"))
        email.send(user.email, message)
        return
    robot = delivery.robot
    if robot is None:
        raise GiveUp(gettext("群机器人已删除"))
    if not robot.enabled:
        raise GiveUp(gettext("群机器人已停用"))
    sender = {Channel.WECOM: wecom.send, Channel.DINGTALK: dingtalk.send}.get(Channel(delivery.channel))
    if sender is None or robot.kind != delivery.channel:
        raise GiveUp(gettext("群机器人的类型已改变"))
    sender(robot, message)


def _claim(pk: int, now: dt.datetime) -> Delivery | None:
    """Take one due delivery for this worker (None when another worker has it or it is no longer due)."""
    with transaction.atomic():
        row = Delivery.objects.due(now).select_for_update(skip_locked=True).filter(pk=pk).first()
        if row is None:
            return None
        row.status = Status.SENDING
        row.next_attempt_at = now + CLAIM
        row.save(update_fields=["status", "next_attempt_at"])
    return Delivery.objects.select_related("user", "robot").get(pk=pk)


def _record(row: Delivery, now: dt.datetime, error: SendError | None) -> str:
    with transaction.atomic():
        row.attempts += 1
        if error is None:
            row.status, row.sent_at, row.next_attempt_at, row.last_error = Status.SENT, now, None, ""
        else:
            row.last_error = scrub(str(error))[:2000]
            if isinstance(error, GiveUp) or now >= gives_up_at(row):
                row.status, row.next_attempt_at = Status.FAILED, None
            else:
                row.status, row.next_attempt_at = Status.RETRYING, now + backoff(row.attempts)
        row.save(update_fields=["status", "attempts", "sent_at", "next_attempt_at", "last_error"])
    return str(row.status)


def deliver_one(pk: int, now: dt.datetime) -> str | None:
    """Claim, send and record one delivery; its new status, or None when it was not this worker's to send."""
    row = _claim(pk, now)
    if row is None:
        return None
    error: SendError | None = None
    try:
        _send(row)
    except SendError as failure:
        error = failure
    except Exception as failure:  # one broken message must not stop the others
        # No traceback: its text may quote the webhook's address, and the key in it lets anyone post.
        log.error(
            "outbox: delivery %s (%s) failed unexpectedly: %s: %s",
            pk,
            row.channel,
            failure.__class__.__name__,
            scrub(str(failure))[:500],
        )
        error = SendError(gettext("内部错误：%(error)s") % {"error": failure.__class__.__name__})
    return _record(row, now, error)


def deliver_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every delivery whose time has come; returns how many were sent, are to be retried, were given up."""
    now = now or clock.real_now()
    counts = {Status.SENT.value: 0, Status.RETRYING.value: 0, Status.FAILED.value: 0}
    seen: set[int] = set()
    while True:
        ids = list(
            Delivery.objects.due(now)
            .exclude(pk__in=seen)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return counts
        for pk in ids:
            seen.add(pk)
            outcome = deliver_one(pk, now)
            if outcome is not None:
                counts[outcome] = counts.get(outcome, 0) + 1


def _digest_text(rows: list[Delivery], day: dt.date) -> tuple[str, str]:
    title = gettext("每日汇总 %(day)s：%(n)s条消息") % {"day": day.isoformat(), "n": len(rows)}
    items = []
    for number, row in enumerate(rows, 1):
        message = message_of(row)
        lines = [f"{number}. {row.title}"]
        if row.body.strip():
            lines.append(row.body.strip())
        if message.link:
            lines.append(message.link)
        items.append("\n".join(lines))
    return title, "\n\n".join(items)


def send_digests(day: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Bundle each recipient's held deliveries written before `now` into one digest and send it.

    Once per recipient and REAL day (the date of `now`): a second run that day writes and sends
    nothing, and what was held since waits for the next day's digest. The real day, not the business
    day: the business day may be fixed (KEYPROJ_TODAY), and a digest keyed on it would never come
    again. `day` only names the digest in its title (the real date when not given). A digest that fails
    is retried by `deliver_due` like any delivery. Returns the digests written, the deliveries bundled,
    and how the sending went."""
    now = now or clock.real_now()
    real_day = timezone.localtime(now).date()
    day = day or real_day
    event = f"digest:{real_day.isoformat()}"
    counts = {"digests": 0, "bundled": 0, Status.SENT.value: 0, Status.RETRYING.value: 0, Status.FAILED.value: 0}
    targets = (
        Delivery.objects.filter(status=Status.HELD, created_at__lte=now)
        .values("channel", "user_id", "robot_id")
        .annotate(first=Min("pk"))
        .order_by("first")
    )
    written: list[int] = []
    for target in targets:
        where = {"channel": target["channel"], "user_id": target["user_id"], "robot_id": target["robot_id"]}
        try:
            with transaction.atomic():
                if Delivery.objects.filter(event=event, **where).exists():
                    continue
                rows = list(
                    Delivery.objects.select_for_update()
                    .filter(status=Status.HELD, created_at__lte=now, **where)
                    .order_by("created_at", "pk")
                )
                if not rows:
                    continue
                title, body = _digest_text(rows, day)
                digest = Delivery.objects.create(
                    event=event,
                    kind="digest",
                    title=title,
                    body=body,
                    status=Status.PENDING,
                    next_attempt_at=now,
                    **where,
                )
                Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(status=Status.BUNDLED, digest=digest)
        except IntegrityError:
            # Another run wrote this recipient's digest for the day at the same moment; theirs stands.
            continue
        written.append(digest.pk)
        counts["digests"] += 1
        counts["bundled"] += len(rows)
    for pk in written:
        outcome = deliver_one(pk, now)
        if outcome is not None:
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def status_counts() -> dict[str, int]:
    return dict(Delivery.objects.values_list("status").annotate(n=Count("pk")).order_by())


# A delivery due for longer than this means no worker is sending.
OVERDUE = dt.timedelta(minutes=30)


def health() -> Part:
    """For /healthz, which anyone may call: not healthy when deliveries have waited past their time for
    long (no worker running), never critical (the site works without the worker). Only how many are
    overdue: the breakdown by status is the office's, on /outbox/."""
    overdue = Delivery.objects.due(clock.real_now() - OVERDUE).count()
    return Part(ok=overdue == 0, critical=False, detail={"overdue": overdue})
