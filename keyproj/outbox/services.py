"""Changes in the outbox: the deliveries a message gives rise to, each user's channels, the office's
robots, and sending a delivery that was given up on once more. Sending itself is keyproj.outbox.delivery."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from keyproj.accounts.models import Notification, User
from keyproj.accounts.permissions import is_office
from keyproj.core import audit, clock
from keyproj.core.errors import Reason, Refused, created_alone
from keyproj.outbox.channels.http import url_problems
from keyproj.outbox.models import Channel, Delivery, Mode, Preference, Robot, RobotKind, Status

NAME_MAX = 60
SECRET_MAX = 200
URL_MAX = 500
# The parameter that carries each robot's key in its address.
KEY_PARAMETER: dict[str, str] = {RobotKind.WECOM.value: "key", RobotKind.DINGTALK.value: "access_token"}


def preference_for(user: Any) -> Preference:
    """The user's settings, or the defaults (e-mail on, at once) when they never saved any; not saved."""
    found = Preference.objects.filter(user_id=user.pk).first()
    return found if found is not None else Preference(user=user)


def event_of(rows: list[Notification]) -> str:
    """What the messages written together announce: their key, or the first message's id (one call of
    notify() is one event, however many people it told)."""
    key = rows[0].key
    return key if key else f"message:{min(r.pk for r in rows)}"


def enqueue(rows: list[Notification], organisations: list[int] | tuple[int, ...] = ()) -> int:
    """The channel notify() hands its rows to: write the deliveries (nothing is sent here; the worker sends).

    Each recipient's e-mail when they have an address and have it on; each enabled robot of the
    `organisations` the caller named as those the event concerns, once per event and robot, with this
    call's own text. A robot never hears of an event because one of the recipients happens to belong
    to its organisation too: a user of two organisations must not carry one's business into the
    other's group. In digest mode a delivery is held for the next digest. A delivery already written
    for the same event, channel and recipient is not written again. Returns how many were written.
    """
    rows = [row for row in rows if row.pk is not None]
    if not rows:
        return 0
    event = event_of(rows)
    now = clock.real_now()
    user_ids = sorted({row.user_id for row in rows})
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids).only("pk", "email")}
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}
    first = rows[0]
    text = {"kind": first.kind, "title": first.title, "body": first.body, "url": first.url}
    deliveries: list[Delivery] = []

    def add(status_mode: str, **target: Any) -> None:
        held = status_mode == Mode.DIGEST
        deliveries.append(
            Delivery(
                event=event,
                status=Status.HELD if held else Status.PENDING,
                next_attempt_at=None if held else now,
                **text,
                **target,
            )
        )

    for row in rows:
        user = users.get(row.user_id)
        preference = preferences.get(row.user_id) or Preference(user_id=row.user_id)
        if user is not None and user.email and preference.email_enabled:
            add(preference.mode, channel=Channel.EMAIL, user_id=row.user_id, notification=row)
    if organisations:
        for robot in Robot.objects.filter(organisation_id__in=list(organisations), enabled=True).order_by("pk"):
            add(robot.mode, channel=robot.kind, robot=robot, notification=first)
    # A robot that heard of this event from an earlier call (the same key, other people) is not told again.
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(deliveries)


def _own(user: Any, actor: Any) -> None:
    if getattr(actor, "pk", None) is None or actor.pk != getattr(user, "pk", None):
        raise PermissionDenied(gettext("只能修改自己的通知设置"))


def save_preference(user: Any, *, email_enabled: bool, mode: str, actor: Any) -> Preference:
    """Save a user's own channels. Turning the digest off sends what was held for it at the next round."""
    _own(user, actor)
    if mode not in Mode.values:
        raise Refused([Reason(gettext("发送方式"), gettext("应为“即时发送”或“每日汇总”"))])
    with transaction.atomic():
        preference = Preference.objects.select_for_update().filter(user_id=user.pk).first()
        before = audit.snapshot(preference) if preference is not None else None
        if preference is None:
            preference = Preference(user=user)
        preference.email_enabled = bool(email_enabled)
        preference.mode = mode
        if before is not None:
            preference.version += 1
        preference.save()
        if mode == Mode.IMMEDIATE:
            Delivery.objects.filter(user_id=user.pk, channel=Channel.EMAIL, status=Status.HELD).update(
                status=Status.PENDING, next_attempt_at=clock.real_now()
            )
        audit.log(preference, "outbox.preference", user=actor, before=before)
    return preference


@dataclass
class RobotData:
    """What the office enters for a robot. An empty `secret` keeps the stored one unless `clear_secret`."""

    organisation: Any
    name: str
    kind: str
    url: str
    secret: str = ""
    mode: str = Mode.IMMEDIATE
    enabled: bool = True
    clear_secret: bool = False


def _office(user: Any) -> None:
    if not is_office(user):
        raise PermissionDenied(gettext("只有市重点办可以管理群机器人"))


def check_robot(data: RobotData, robot: Robot | None = None) -> list[Reason]:
    """Every problem with the robot as entered (empty when it may be saved)."""
    problems: list[Reason] = []
    name = data.name.strip()
    if data.organisation is None:
        problems.append(Reason(gettext("单位"), gettext("必填")))
    elif not getattr(data.organisation, "active", True) and (
        robot is None or robot.organisation_id != data.organisation.pk
    ):
        problems.append(Reason(gettext("单位"), gettext("“%(org)s”已停用") % {"org": data.organisation}))
    if not name:
        problems.append(Reason(gettext("名称"), gettext("必填")))
    elif len(name) > NAME_MAX:
        problems.append(Reason(gettext("名称"), gettext("不能超过%(n)s个字") % {"n": NAME_MAX}))
    elif data.organisation is not None:
        clash = Robot.objects.filter(organisation=data.organisation, name=name)
        if robot is not None:
            clash = clash.exclude(pk=robot.pk)
        if clash.exists():
            problems.append(Reason(gettext("名称"), gettext("该单位已有名为“%(name)s”的机器人") % {"name": name}))
    if data.kind not in RobotKind.values:
        problems.append(Reason(gettext("类型"), gettext("应为企业微信或钉钉群机器人")))
    if data.mode not in Mode.values:
        problems.append(Reason(gettext("发送方式"), gettext("应为“即时发送”或“每日汇总”")))
    url = data.url.strip()
    if not url:
        problems.append(Reason(gettext("Webhook地址"), gettext("必填")))
    elif len(url) > URL_MAX:
        problems.append(Reason(gettext("Webhook地址"), gettext("不能超过%(n)s个字符") % {"n": URL_MAX}))
    else:
        problems += [Reason(gettext("Webhook地址"), text) for text in url_problems(url)]
        parameter = KEY_PARAMETER.get(data.kind)
        if parameter and not parse_qs(urlsplit(url).query).get(parameter, [""])[0].strip():
            problems.append(
                Reason(
                    gettext("Webhook地址"),
                    gettext("%(kind)s的地址应带有 %(parameter)s= 参数（在群机器人的设置里复制完整地址）")
                    % {"kind": RobotKind(data.kind).label, "parameter": parameter},
                )
            )
    secret = data.secret.strip()
    if len(secret) > SECRET_MAX:
        problems.append(Reason(gettext("加签密钥"), gettext("不能超过%(n)s个字符") % {"n": SECRET_MAX}))
    if secret and data.kind == RobotKind.WECOM:
        problems.append(Reason(gettext("加签密钥"), gettext("企业微信群机器人不使用加签密钥，请留空")))
    return problems


def save_robot(data: RobotData, *, user: Any, robot: Robot | None = None) -> Robot:
    """Add a robot (robot None) or change one; checked whole, audited without its key or secret."""
    _office(user)
    problems = check_robot(data, robot)
    if problems:
        raise Refused(problems)
    with created_alone(gettext("同名的机器人")), transaction.atomic():
        if robot is None:
            target = Robot(organisation=data.organisation)
            before = None
        else:
            target = Robot.objects.select_for_update().get(pk=robot.pk)
            before = target.described()
            target.version += 1
        target.organisation = data.organisation
        target.name = data.name.strip()
        target.kind = data.kind
        target.url = data.url.strip()
        if data.kind != RobotKind.DINGTALK or data.clear_secret:
            target.secret = ""
        elif data.secret.strip():
            target.secret = data.secret.strip()
        target.mode = data.mode
        target.enabled = data.enabled
        target.save()
        audit.log(
            target,
            "robot.create" if before is None else "robot.update",
            user=user,
            before=before,
            after=target.described(),
        )
    return target


def set_robot_enabled(robot: Robot, *, enabled: bool, user: Any) -> Robot:
    """Stop (or resume) posting to a robot's group. What was waiting for a stopped robot is given up on,
    visibly, so that the office can send it once the robot is back."""
    _office(user)
    with transaction.atomic():
        target = Robot.objects.select_for_update().get(pk=robot.pk)
        if target.enabled == enabled:
            return target
        before = target.described()
        target.enabled = enabled
        target.version += 1
        target.save(update_fields=["enabled", "version", "updated_at"])
        audit.log(
            target, "robot.enable" if enabled else "robot.disable", user=user, before=before, after=target.described()
        )
    return target


def retry_delivery(delivery: Delivery, *, user: Any) -> Delivery:
    """Send a given-up delivery again at the next round, with its attempts and the time allowed for
    retrying counted afresh (the office only)."""
    _office(user)
    with transaction.atomic():
        target = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if target.status != Status.FAILED:
            raise Refused(
                [
                    Reason(
                        gettext("状态"),
                        gettext("只有已放弃的消息可以重新发送，该消息当前为“%(status)s”")
                        % {"status": target.get_status_display()},
                    )
                ]
            )
        before = {"status": target.status, "attempts": target.attempts, "last_error": target.last_error}
        target.status = Status.PENDING
        target.attempts = 0
        target.next_attempt_at = target.resent_at = clock.real_now()
        target.save(update_fields=["status", "attempts", "next_attempt_at", "resent_at"])
        audit.log(target, "delivery.retry", user=user, before=before, after={"status": target.status, "attempts": 0})
    return target


def retry_all_failed(*, user: Any, channel: str = "") -> int:
    """Send every given-up delivery (of `channel` only, when named) again at the next round, as
    `retry_delivery` does one: after an outage outlasted the retrying, one action for all. The office
    only; each delivery's audit entry says so. Returns how many."""
    _office(user)
    if channel and channel not in Channel.values:
        raise Refused([Reason(gettext("渠道"), gettext("应为邮件、企业微信或钉钉"))])
    with transaction.atomic():
        rows = Delivery.objects.select_for_update().filter(status=Status.FAILED)
        if channel:
            rows = rows.filter(channel=channel)
        targets = list(rows.order_by("pk"))
        if not targets:
            return 0
        now = clock.real_now()
        changes = []
        for target in targets:
            before = {"status": target.status, "attempts": target.attempts, "last_error": target.last_error}
            target.status, target.attempts, target.next_attempt_at, target.resent_at = Status.PENDING, 0, now, now
            changes.append((target, before))
        Delivery.objects.bulk_update(targets, ["status", "attempts", "next_attempt_at", "resent_at"])
        audit.log_many(
            changes,
            "delivery.retry_all",
            user=user,
            describe=lambda row: {"status": row.status, "attempts": 0, "channel": row.channel},
        )
    return len(targets)
