"""Monthly progress returns: what an owner or agent builder reports for a month."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyproj.core.models import AmendmentRequest, AuditedModel
from keyproj.core.rules import VersionedRule
from keyproj.returns.querysets import ProgressReturnQuerySet


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    SENT_BACK = "sent_back", _("已退回")
    APPROVED = "approved", _("已审核")


# The states in which the return's author may still change it.
EDITABLE = frozenset({ReturnStatus.DRAFT, ReturnStatus.SENT_BACK})


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
    # The share of the whole project physically done, as the owner reports it (not measured):
    # earned value is this share of the total investment (keyproj.metrics.earned_value).
    completion = models.DecimalField(
        _("形象进度(%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    completion_drop_reason = models.TextField(_("进度回落原因"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)
    review_comment = models.TextField(_("审核意见"), blank=True)
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
            models.CheckConstraint(
                condition=Q(completion__isnull=True) | Q(completion__gte=0, completion__lte=100),
                name="return_completion_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "month", "status"], name="return_period_status"),
            # The review list: the waiting returns in its order, and its months by one probe each.
            models.Index(fields=["year", "month", "id"], condition=Q(status="submitted"), name="return_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}年{self.month}月"


class MonthLock(models.Model):
    """A month the key office has locked: its returns can no longer be changed, submitted or reviewed.

    Unlocking deletes the row; both are audited with the reason.
    """

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("锁定人"),
    )
    locked_at = models.DateTimeField(_("锁定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("锁定月份")
        verbose_name_plural = _("锁定月份")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_lock_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="lock_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


class ReturnAmendment(AmendmentRequest):
    """A request to correct an approved return, with its reason; the office decides.

    An approved return is never edited in place: its figures change only when an
    amendment is approved, and both the request and the return's versions stay on record.
    """

    # No constraint in the database: returns are partitioned by year on PostgreSQL, and a
    # partitioned table's unique keys must include the year, so nothing can reference its id
    # alone (keyproj.core.partitions). PROTECT still holds in the ORM, where every deletion runs.
    progress_return = models.ForeignKey(
        ProgressReturn,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="amendments",
        verbose_name=_("月度填报"),
    )
    investment = models.DecimalField(_("更正后本月完成投资(万元)"), max_digits=14, decimal_places=2)
    physical_progress = models.TextField(_("更正后形象进度"), blank=True)
    started = models.BooleanField(_("是否开工"), default=False)
    completed = models.BooleanField(_("是否竣工"), default=False)
    completion = models.DecimalField(
        _("更正后形象进度(%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    completion_drop_reason = models.TextField(_("进度回落原因"), blank=True)
    reason = models.TextField(_("更正原因"))

    class Meta:
        verbose_name = _("填报更正")
        verbose_name_plural = _("填报更正")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(investment__gte=0), name="amendment_investment_not_negative"),
            # One open request per return at a time: the office decides them in order.
            models.UniqueConstraint(
                fields=["progress_return"], condition=Q(status="requested"), name="one_open_amendment_per_return"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.progress_return}更正"


class ReportingRule(VersionedRule):
    """When a month's returns are due: the Nth day of the following month (rules are data).

    A month is judged by the version in force on its first day: a version taking effect on
    1 June 2019 sets the deadline of June's returns (due in July) and of every month after,
    and leaves earlier months judged as they were.
    """

    deadline_day = models.PositiveSmallIntegerField(
        _("截止日"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("次月的第几天为填报截止日"),
    )

    class Meta:
        verbose_name = _("填报时限规则")
        verbose_name_plural = _("填报时限规则")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline_day__gte=1, deadline_day__lte=28), name="deadline_day_valid"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.effective_from.isoformat()}起 次月{self.deadline_day}日"


class DataQualityRule(VersionedRule):
    """The thresholds of the checks that flag a return for its reviewer (keyproj.returns.checks)."""

    # A month is a spike above this multiple of the project's earlier monthly average that year:
    # owners bunch payments into a month now and then (2× happens), a slipped decimal point or a
    # cumulative figure typed as the month's gives 10× and more.
    spike_factor = models.DecimalField(
        _("异常倍数"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(Decimal(1))],
        help_text=_("本月完成投资超过此前月均的多少倍时提示"),
    )
    # ...and only when the month itself is above this many 万元: small projects swing by large
    # multiples over small sums, which is noise to a reviewer.
    spike_floor = models.DecimalField(
        _("异常金额下限(万元)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("本月完成投资不超过此金额时不作倍数提示"),
    )
    spike_min_months = models.PositiveSmallIntegerField(
        _("月均所需月数"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
        help_text=_("当年此前有投资的月份少于此数时不计算月均"),
    )
    stale_months = models.PositiveSmallIntegerField(
        _("形象进度未变月数"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(12)],
        help_text=_("形象进度连续多少个月（含本月）相同时提示"),
    )
    # Investment running ahead of the work: the cost performance index (earned value over actual
    # cumulative investment) below this flags the return (keyproj.metrics.earned_value).
    min_cpi = models.DecimalField(
        _("CPI下限"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("按形象进度折算的已完成投资与实际累计完成投资之比低于此值时提示"),
    )

    class Meta:
        verbose_name = _("填报数据质量规则")
        verbose_name_plural = _("填报数据质量规则")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(condition=Q(spike_factor__gte=1), name="spike_factor_at_least_one"),
            models.CheckConstraint(condition=Q(stale_months__gte=2), name="stale_months_at_least_two"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.effective_from.isoformat()}起"
