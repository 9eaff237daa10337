"""The monthly rollup the published figures are read from."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, FloatField, Value
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext_lazy as _

from keyproj.core.scoping import project_q


def rate(numerator: str, denominator: str) -> models.Expression:
    """numerator / denominator × 100 in floating point, NULL where the denominator is zero.

    For ordering and filtering lists; a rate shown to a user is `percent()` of the row's
    exact money columns, rounded half-up. Cast to float first: SQLite keeps whole amounts as
    integers and would make 350 × 100 / 1200 an integer division (29).
    """
    real = FloatField()
    return Cast(F(numerator), real) * Value(100.0) / NullIf(Cast(F(denominator), real), Value(0.0))


class ProjectMonthQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ProjectMonthQuerySet:
        return self.filter(project_q(user, "project__"))


class ProjectMonth(models.Model):
    """One project's figures for one month, cumulative from January of the same year.

    Derived data: plans and approved returns are the source, and `keyproj.metrics.rollup`
    rewrites these rows from them whenever either changes. It exists so that a city-wide
    summary reads one row per project instead of every plan line and return (see bench/).
    A project has these rows for a year exactly when it has an approved annual plan for it:
    like returns, a plan counts in the published figures once the office has approved it.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="months", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    annual_plan = models.DecimalField(_("年度计划投资(万元)"), max_digits=14, decimal_places=2, default=0)
    plan_month = models.DecimalField(_("本月计划投资(万元)"), max_digits=14, decimal_places=2, default=0)
    plan_to_date = models.DecimalField(_("累计计划投资(万元)"), max_digits=14, decimal_places=2, default=0)
    actual_month = models.DecimalField(_("本月完成投资(万元)"), max_digits=14, decimal_places=2, default=0)
    actual_to_date = models.DecimalField(_("累计完成投资(万元)"), max_digits=14, decimal_places=2, default=0)
    # Stored, not computed per query: a list sorted by rate (the register, the projects furthest
    # behind) then walks the (year, month, rate) index instead of sorting every project's row.
    schedule_rate = models.GeneratedField(
        expression=rate("actual_to_date", "plan_to_date"),
        output_field=FloatField(null=True),
        db_persist=True,
        verbose_name=_("完成序时进度计划(%)"),
    )
    annual_rate = models.GeneratedField(
        expression=rate("actual_to_date", "annual_plan"),
        output_field=FloatField(null=True),
        db_persist=True,
        verbose_name=_("完成年度计划(%)"),
    )

    objects = ProjectMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目月度汇总")
        verbose_name_plural = _("项目月度汇总")
        constraints = [models.UniqueConstraint(fields=["project", "year", "month"], name="one_rollup_per_month")]
        # The figures of a month read only these columns: with all of them in the index, a
        # city-wide sum is an index-only scan instead of a walk through every row (bench/).
        indexes = [
            models.Index(
                fields=["year", "month", "project", "annual_plan", "plan_to_date", "actual_to_date"],
                name="rollup_period_figures",
            ),
            models.Index(fields=["year", "month", "schedule_rate", "project"], name="rollup_schedule_rate"),
            models.Index(fields=["year", "month", "annual_rate", "project"], name="rollup_annual_rate"),
            # The projects furthest behind, in the order dashboard.furthest_behind asks for them
            # (rate, then shortfall as figures.project_figures' `over`, then project): many projects
            # tie at rate 0, and without the shortfall in the index the whole tie was sorted.
            models.Index(
                F("year"),
                F("month"),
                F("schedule_rate"),
                F("actual_to_date") - F("plan_to_date"),
                F("project"),
                name="rollup_furthest_behind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}-{self.month:02d}"


class Family(models.TextChoices):
    """Which projects a scope covers (the project columns of each: keyproj.metrics.scopes.FAMILIES)."""

    CITY = "city", _("全市")
    CATEGORY = "category", _("项目类别")
    DISTRICT = "district", _("所属区")
    OFFICE = "office", _("区及片区指挥部")
    UNIT = "unit", _("责任单位")
    LINKED = "linked", _("关联单位")


class Dimension(models.TextChoices):
    """How a scope's figures split (the project column of each: keyproj.metrics.scopes.DIMENSIONS)."""

    TOTAL = "total", _("合计")
    CATEGORY = "category", _("按类别")
    DISTRICT = "district", _("按区")
    UNIT = "unit", _("按责任单位")


class ScopeMonth(models.Model):
    """The figures of one scope for one month, split by one dimension: the sum of its ProjectMonth rows.

    A scope is an organisation in one capacity (a family, keyproj.metrics.scopes.FAMILIES) or the
    whole city; the row with dimension "total" is its summary, the others its breakdowns. Derived
    data like ProjectMonth, kept in step by delta in the same transaction (keyproj.metrics.rollup),
    so that a published figure reads one row per organisation instead of one per project.
    """

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    family = models.CharField(_("范围类型"), max_length=16, choices=Family.choices)
    scope_id = models.BigIntegerField(_("范围"))  # the organisation's or category's id; 0 for the city
    dimension = models.CharField(_("分组"), max_length=16, choices=Dimension.choices)
    key_id = models.BigIntegerField(_("分组项"))  # the district's, category's or unit's id; 0 for the total
    project_count = models.IntegerField(_("项目数"), default=0)
    annual_plan = models.DecimalField(_("年度计划投资(万元)"), max_digits=14, decimal_places=2, default=0)
    plan_to_date = models.DecimalField(_("累计计划投资(万元)"), max_digits=14, decimal_places=2, default=0)
    actual_to_date = models.DecimalField(_("累计完成投资(万元)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("范围月度汇总")
        verbose_name_plural = _("范围月度汇总")
        # The key is also the index a figure reads through: one scope's rows of a month share its
        # first four columns. It starts with the year, so it survives partitioning by year.
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "family", "scope_id", "dimension", "key_id"], name="one_scope_row_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.family}:{self.scope_id} {self.dimension}:{self.key_id} {self.year}-{self.month:02d}"
