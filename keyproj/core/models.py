"""Shared model bases and the audit log. No domain models live here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from keyproj.core import actions


class AuditedModel(models.Model):
    """A record changed only through services, which audit every change.

    `version` grows by one on every save through a service, so that two people editing
    the same record cannot silently overwrite each other (the second save is refused).
    """

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True


class AmendmentStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class AmendmentRequest(AuditedModel):
    """A request to change something already approved, which the office decides.

    Plans and returns both keep their approved figures fixed and change them only through
    such a request; what is requested lives in the concrete model, the decision here.
    """

    status = models.CharField(
        _("状态"), max_length=16, choices=AmendmentStatus.choices, default=AmendmentStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申请人"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        abstract = True


class ListItem(models.Model):
    """A row of a configurable list (categories, stages, batches …): rules are data."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the page's language: the English name on English pages when the list has one."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Installation(models.Model):
    """Settings of this installation that live in the database: one row.

    `business_day` is the day a demo installation is set on (keyproj.core.clock); a real
    installation leaves it empty and runs on the real date.
    """

    SINGLETON = 1

    business_day = models.DateField(_("业务日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("安装设置")
        verbose_name_plural = _("安装设置")

    def __str__(self) -> str:
        return f"业务日期 {self.business_day}" if self.business_day else "业务日期：实际日期"


class AuditEntry(models.Model):
    """One change to one object: who, when, what it was before and after. Never edited."""

    action = models.CharField(_("操作"), max_length=60, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("对象类型"))
    object_id = models.CharField(_("对象ID"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    # The business date the change was made on (keyproj.core.clock), beside the real time
    # above: on an installation with a fixed business date the two differ.
    business_day = models.DateField(_("业务日期"), null=True, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    request_id = models.CharField(_("请求/命令ID"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("audit entries are never edited")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit entries are never deleted")

    @property
    def action_label(self) -> str:
        """The action as a reader calls it (keyproj.core.actions), in the page's language."""
        return actions.label(self.action, ContentType.objects.get_for_id(self.content_type_id))
