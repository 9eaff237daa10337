"""What reaches people beyond the app: each user's channels, the organisations' group robots, and the
deliveries the worker sends (one row per message, channel and recipient, kept with its attempts)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyproj.core.models import AuditedModel
from keyproj.outbox.querysets import DeliveryQuerySet, PreferenceQuerySet, RobotQuerySet


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", _("即时发送")
    DIGEST = "digest", _("每日汇总")


class Preference(AuditedModel):
    """One user's channels beyond the app: e-mail to their own address, at once or as a daily digest.

    A user without a row has the defaults: e-mail on (when they have an address), sent at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_preference", verbose_name=_("用户")
    )
    email_enabled = models.BooleanField(_("邮件通知"), default=True)
    mode = models.CharField(_("发送方式"), max_length=16, choices=Mode.choices, default=Mode.IMMEDIATE)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)


class RobotKind(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


def _mask(text: str) -> str:
    # Enough to tell two keys apart, not enough to use one.
    return f"{text[:4]}…" if len(text) > 4 else "…"


def masked_url(url: str) -> str:
    """The webhook address with its key (key=, access_token=) cut short: the key is what lets anyone post."""
    parts = urlsplit(url)
    # For reading, not for use: the parameters are shown as they were typed, each value cut short.
    query = "&".join(f"{name}={_mask(value)}" for name, value in parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


# A web address in free text (an error message, a traceback), up to the first blank or quote.
_URL_IN_TEXT = re.compile(r"""[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'"<>]+""")
# A key or signature written as a parameter outside any address (``key=…``, ``access_token=…``, ``sign=…``).
_SECRET_PARAMETER = re.compile(r"(?i)\b(key|access_token|token|sign|secret|password)=([^\s&'\"<>]+)")


def scrub(text: str) -> str:
    """`text` with every address's parameters and every key-like parameter cut short: what may be logged
    and shown (an error from a webhook call can quote the address, and its key lets anyone post)."""
    text = _URL_IN_TEXT.sub(lambda found: masked_url(found.group(0)), text)
    return _SECRET_PARAMETER.sub(lambda found: f"{found.group(1)}={_mask(found.group(2))}", text)


class Robot(AuditedModel):
    """A group robot (企业微信 or 钉钉) of one organisation: its members' messages are posted to the group.

    Managed by the office. The address's key and the signing secret are never shown back in full.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="robots", verbose_name=_("单位")
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=16, choices=RobotKind.choices)
    url = models.CharField(_("Webhook地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    mode = models.CharField(_("发送方式"), max_length=16, choices=Mode.choices, default=Mode.IMMEDIATE)
    enabled = models.BooleanField(_("启用"), default=True)

    objects = RobotQuerySet.as_manager()

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["organisation__kind", "organisation__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="robot_name_unique_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.name}"

    @property
    def masked_url(self) -> str:
        return masked_url(self.url)

    @property
    def masked_secret(self) -> str:
        return _mask(self.secret) if self.secret else ""

    def described(self) -> dict[str, Any]:
        """The robot for the audit log: its columns with the key and the secret cut short."""
        return {
            "organisation_id": self.organisation_id,
            "name": self.name,
            "kind": self.kind,
            "url": self.masked_url,
            "secret": self.masked_secret,
            "mode": self.mode,
            "enabled": self.enabled,
        }


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")


class Status(models.TextChoices):
    PENDING = "pending", _("待发送")
    HELD = "held", _("待汇总")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    RETRYING = "retrying", _("重试中")
    FAILED = "failed", _("已放弃")
    BUNDLED = "bundled", _("已并入汇总")


# The worker's work: what is sent when its time comes (a "sending" row whose claim ran out was
# left by a worker that stopped mid-way, and is due again).
DUE_STATUSES = (Status.PENDING, Status.RETRYING, Status.SENDING)


class Delivery(models.Model):
    """One message on its way to one recipient through one channel: a user's e-mail or a robot's group.

    `event` names what is announced (the message's key, or the first message's id when it has none), so
    that a robot hears of an event once however many of its members are told, and nothing is sent twice.
    The text is copied in when the row is written: what was announced is what is sent. A daily digest is
    a delivery too (event ``digest:<day>``), and the held deliveries it bundles point to it.
    """

    event = models.CharField(_("事件"), max_length=170)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("接收人"),
    )
    robot = models.ForeignKey(
        Robot, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries", verbose_name=_("群机器人")
    )
    notification = models.ForeignKey(
        "accounts.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("站内通知"),
    )
    kind = models.CharField(_("类别"), max_length=40, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="bundled", verbose_name=_("所属汇总")
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # When the office last sent a given-up delivery again: the time allowed for retrying counts from
    # then (from `created_at` when it never was).
    resent_at = models.DateTimeField(_("重新发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, robot__isnull=True) | Q(user__isnull=True, robot__isnull=False),
                name="delivery_one_target",
            ),
            # Two constraints, not one over (event, channel, user, robot): NULLs never clash in a unique key.
            models.UniqueConstraint(
                fields=["event", "channel", "user"], condition=Q(user__isnull=False), name="delivery_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["event", "channel", "robot"], condition=Q(robot__isnull=False), name="delivery_once_per_robot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.target_label} · {self.title}"

    @property
    def target_label(self) -> str:
        if self.robot_id:
            return str(self.robot)
        return str(self.user)

    @property
    def error_shown(self) -> str:
        """The last error as the office may read it (an address's key cut short, even in older rows)."""
        return scrub(self.last_error)

    @property
    def is_digest(self) -> bool:
        return self.event.startswith("digest:")
