"""Users and what they are: a membership is a role held in an organisation."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("重点办管理员")
    OFFICE_STAFF = "office_staff", _("重点办工作人员")
    LEADER = "leader", _("市领导")
    DISTRICT_OFFICER = "district_officer", _("区级联络员")
    UNIT_OFFICER = "unit_officer", _("责任单位联络员")
    OWNER = "owner", _("业主单位填报员")
    AGENT_BUILDER = "agent_builder", _("代建单位填报员")
    INSPECTOR = "inspector", _("督查人员")


# Roles that see the whole programme, and those that may also change anything in it.
CITY_WIDE_ROLES = frozenset({Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER})
OFFICE_ROLES = frozenset({Role.OFFICE_ADMIN, Role.OFFICE_STAFF})

# Which kinds of organisation each role may be held in.
ROLE_ORG_KINDS: dict[str, frozenset[str]] = {
    Role.OFFICE_ADMIN: frozenset({"key_office"}),
    Role.OFFICE_STAFF: frozenset({"key_office"}),
    Role.LEADER: frozenset({"key_office", "leading_group"}),
    Role.INSPECTOR: frozenset({"key_office"}),
    Role.DISTRICT_OFFICER: frozenset({"district", "area_command"}),
    Role.UNIT_OFFICER: frozenset({"responsible_unit", "soe"}),
    Role.OWNER: frozenset({"owner", "soe", "responsible_unit", "district", "area_command"}),
    Role.AGENT_BUILDER: frozenset({"agent_builder"}),
}


# Through which of a project's columns a role's organisation sees the project: an owner
# sees what it owns, even when the owner is a department that also answers for others.
ROLE_PROJECT_FIELDS: dict[str, tuple[str, ...]] = {
    Role.DISTRICT_OFFICER: ("district", "area_command"),
    Role.UNIT_OFFICER: ("responsible_unit",),
    Role.OWNER: ("owner",),
    Role.AGENT_BUILDER: ("agent_builder",),
}


class KeyprojUserManager(UserManager["User"]):
    """Django's manager; a superuser's password meets the password rules however it is created.

    `createsuperuser --noinput` takes DJANGO_SUPERUSER_PASSWORD without checking it; the admin, the
    password-change page and `changepassword` check through their forms. A superuser created with no
    password (unusable) is left as it is.
    """

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> Any:
        if password is not None:
            validate_password(password, self.model(username=username, email=email or "", **extra))
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person who signs in. What they may see and do comes from their memberships."""

    objects: ClassVar[KeyprojUserManager] = KeyprojUserManager()

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """A user's role in one organisation; a user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户"))
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("单位")
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_membership_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    def clean(self) -> None:
        kinds = ROLE_ORG_KINDS.get(self.role, frozenset())
        if self.organisation_id and self.organisation.kind not in kinds:
            raise ValidationError(
                {
                    "organisation": gettext("“%(role)s”不能设在%(kind)s")
                    % {"role": self.get_role_display(), "kind": self.organisation.get_kind_display()}
                }
            )


class Notification(models.Model):
    """A message to one user (a problem escalated to them, a return sent back, a reminder …); read or not.

    It is the outbox: stored first, in the transaction of the change it announces, and shown in the
    app at once; the channels outside the app (e-mail, group robots) deliver it afterwards from the
    rows registered with `keyproj.accounts.services.register_channel`. `kind` says what it announces;
    `key`, when given, names the event so that announcing it again tells nobody twice.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人"))
    kind = models.CharField(_("类别"), max_length=40, blank=True)
    key = models.CharField(_("事件标识"), max_length=160, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        # The bell counts a user's unread messages on every page: one index answers it.
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="notification_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ApiToken(models.Model):
    """A key an API client sends as `Authorization: Token <key>`, valid until it expires or is revoked.

    Only a digest of the key is stored: the key is shown once, when it is issued, and a copy of the
    database cannot be used to call the API. The first characters stay readable so that an owner can
    tell their tokens apart.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌开头"), max_length=8)
    name = models.CharField(_("用途"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("签发时间"))
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("撤销人")
    )

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… · {self.user}"

    def is_valid_at(self, moment: Any) -> bool:
        return self.revoked_at is None and self.expires_at > moment
