"""Monthly progress returns: what an owner or agent builder reports for a month."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyproj.core.models import AuditedModel
from keyproj.returns.querysets import ProgressReturnQuerySet


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("已审核")


class ProgressReturn(AuditedModel):
    """One project's monthly progress return, submitted by its owner or agent builder.

    Only approved returns count in the published figures.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="returns", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    investment = models.DecimalField(_("本月完成投资(万元)"), max_digits=14, decimal_places=2)
    physical_progress = models.TextField(_("形象进度"), blank=True)
    started = models.BooleanField(_("是否开工"), default=False)
    completed = models.BooleanField(_("是否竣工"), default=False)
    problems = models.TextField(_("存在问题"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = ProgressReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度填报")
        verbose_name_plural = _("月度填报")
        ordering = ["-year", "-month", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="one_return_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="return_month_valid"),
            models.CheckConstraint(condition=Q(investment__gte=0), name="return_investment_not_negative"),
        ]
        indexes = [models.Index(fields=["year", "month", "status"], name="return_period_status")]

    def __str__(self) -> str:
        return f"{self.project} {self.year}年{self.month}月"
