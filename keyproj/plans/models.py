"""Annual plans and their twelve monthly lines: the baseline every figure is measured against."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyproj.core.models import AmendmentRequest, AuditedModel
from keyproj.plans.querysets import AnnualPlanQuerySet, MonthlyPlanQuerySet

MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已批准")


class AnnualPlan(AuditedModel):
    """One project's plan for one year: investment, milestone months and land."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="annual_plans", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    investment = models.DecimalField(_("年度计划投资(万元)"), max_digits=14, decimal_places=2)
    start_month = models.PositiveSmallIntegerField(
        _("计划开工月份"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    completion_month = models.PositiveSmallIntegerField(
        _("计划竣工月份"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    land_acquisition = models.DecimalField(_("计划征收(亩)"), max_digits=10, decimal_places=2, null=True, blank=True)
    land_handover = models.DecimalField(_("计划交地(亩)"), max_digits=10, decimal_places=2, null=True, blank=True)
    # The opening balance of the year's cumulative figures: planned and actual cumulative
    # investment for earned value start from it (keyproj.metrics.earned_value).
    invested_before = models.DecimalField(
        _("截至上年末累计完成投资(万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["-year", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_plan_per_project_year"),
            models.CheckConstraint(condition=Q(investment__gte=0), name="plan_investment_not_negative"),
            models.CheckConstraint(
                condition=Q(invested_before__isnull=True) | Q(invested_before__gte=0),
                name="plan_invested_before_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(start_month__isnull=True) | Q(start_month__gte=1, start_month__lte=12),
                name="plan_start_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(completion_month__isnull=True) | Q(completion_month__gte=1, completion_month__lte=12),
                name="plan_completion_month_valid",
            ),
        ]
        # The home page's planned starts and completions read only the plans of a few months:
        # by these indexes, not by a scan of every plan of the year (bench/).
        indexes = [
            models.Index(fields=["year", "start_month", "status"], name="plan_year_start_month"),
            models.Index(fields=["year", "completion_month", "status"], name="plan_year_completion_month"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}年度计划"


class MonthlyPlan(models.Model):
    """One month's planned investment; a plan's twelve lines add up to its annual figure."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("年度计划"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=MONTH_VALIDATORS)
    investment = models.DecimalField(_("计划投资(万元)"), max_digits=14, decimal_places=2)

    objects = MonthlyPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度计划")
        verbose_name_plural = _("月度计划")
        ordering = ["plan", "month"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="one_line_per_plan_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="plan_line_month_valid"),
            models.CheckConstraint(condition=Q(investment__gte=0), name="plan_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.month}月"


class PlanBaseline(models.Model):
    """The plan as the office first approved it, kept unchanged beside the current plan.

    Like a Primavera baseline: later amendments change the plan, never its baseline, so the
    page can show how far the plan has moved from what was first committed to.
    """

    plan = models.OneToOneField(
        AnnualPlan, on_delete=models.CASCADE, related_name="baseline", verbose_name=_("年度计划")
    )
    investment = models.DecimalField(_("基线年度计划投资(万元)"), max_digits=14, decimal_places=2)
    start_month = models.PositiveSmallIntegerField(
        _("基线计划开工月份"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    completion_month = models.PositiveSmallIntegerField(
        _("基线计划竣工月份"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    land_acquisition = models.DecimalField(
        _("基线计划征收(亩)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    land_handover = models.DecimalField(_("基线计划交地(亩)"), max_digits=10, decimal_places=2, null=True, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("计划基线")
        verbose_name_plural = _("计划基线")

    def __str__(self) -> str:
        return f"{self.plan}基线"


class BaselineLine(models.Model):
    """One month of a baseline: the amount first approved for that month."""

    baseline = models.ForeignKey(
        PlanBaseline, on_delete=models.CASCADE, related_name="lines", verbose_name=_("计划基线")
    )
    month = models.PositiveSmallIntegerField(_("月份"), validators=MONTH_VALIDATORS)
    investment = models.DecimalField(_("基线计划投资(万元)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("基线月度计划")
        verbose_name_plural = _("基线月度计划")
        ordering = ["baseline", "month"]
        constraints = [
            models.UniqueConstraint(fields=["baseline", "month"], name="one_line_per_baseline_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="baseline_line_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.baseline} {self.month}月"


class PlanAmendment(AmendmentRequest):
    """A request to change an approved plan, with the reason and the whole proposed plan; the office decides.

    The twelve proposed amounts are kept as the request gave them (strings with two places);
    they become plan lines only when the office approves.
    """

    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("年度计划")
    )
    investment = models.DecimalField(_("调整后年度计划投资(万元)"), max_digits=14, decimal_places=2)
    monthly = models.JSONField(_("调整后分月计划(万元)"), default=list)
    start_month = models.PositiveSmallIntegerField(
        _("计划开工月份"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    completion_month = models.PositiveSmallIntegerField(
        _("计划竣工月份"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    land_acquisition = models.DecimalField(_("计划征收(亩)"), max_digits=10, decimal_places=2, null=True, blank=True)
    land_handover = models.DecimalField(_("计划交地(亩)"), max_digits=10, decimal_places=2, null=True, blank=True)
    invested_before = models.DecimalField(
        _("截至上年末累计完成投资(万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("调整原因"))

    class Meta:
        verbose_name = _("计划调整")
        verbose_name_plural = _("计划调整")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(investment__gte=0), name="plan_amendment_not_negative"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="requested"), name="one_open_amendment_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}调整"
