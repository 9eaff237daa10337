"""Month close: the rules, the frozen close of a month, its cards and ranking rows, and listings.

A month close (`MonthClose`) stores a JSON snapshot of every input and result it used, so
that a closed month's pages and notices re-render identically however the data moves on.
The rows it writes (`Card`, `RankingEntry`) exist for querying and linking; the snapshot
is the record. Rules are data (keyproj.core.rules.VersionedRule): publishing writes a new
`CardRule` / `RankingRule` / `CompletenessRule` version, and every close names the versions it applied.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyproj.core.models import AuditedModel
from keyproj.core.period import Period
from keyproj.core.rules import VersionedRule
from keyproj.supervision.querysets import (
    CardQuerySet,
    ListingQuerySet,
    MonthCloseQuerySet,
    RankingEntryQuerySet,
)

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class CardRule(VersionedRule):
    """One version of the 红黄牌 rules (rules `rate`, `start`, `repeat`). Never edited: an edit is a new version."""

    yellow_below = models.DecimalField(
        _("黄牌：完成序时进度低于(%)"), max_digits=5, decimal_places=2, default=Decimal("80"), validators=PERCENT
    )
    red_below = models.DecimalField(
        _("红牌：完成序时进度低于(%)"), max_digits=5, decimal_places=2, default=Decimal("60"), validators=PERCENT
    )
    start_yellow_months = models.PositiveSmallIntegerField(_("黄牌：逾期未开工月数"), default=1)
    start_red_months = models.PositiveSmallIntegerField(_("红牌：逾期未开工月数"), default=3)
    repeat_to_red = models.BooleanField(_("连续两月黄牌升为红牌"), default=True)
    rectify_months = models.PositiveSmallIntegerField(
        _("整改期限(月)"), default=1, help_text=_("整改截止日为所评月份之后第N个月的最后一天")
    )

    class Meta:
        verbose_name = _("红黄牌规则")
        verbose_name_plural = _("红黄牌规则")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(red_below__lte=models.F("yellow_below")),
                name="card_red_not_above_yellow",
                violation_error_message=_("红牌阈值不能高于黄牌阈值"),
            ),
        ]

    def __str__(self) -> str:
        return f"红黄牌规则第{self.version}版"


class RankingRule(VersionedRule):
    """One version of the 红黑榜 scoring rule: weights (adding to 100), the cap and the list length."""

    weight_investment = models.DecimalField(_("投资完成率权重"), max_digits=5, decimal_places=2, default=Decimal("60"))
    weight_start = models.DecimalField(_("开工率权重"), max_digits=5, decimal_places=2, default=Decimal("15"))
    weight_completion = models.DecimalField(_("竣工率权重"), max_digits=5, decimal_places=2, default=Decimal("15"))
    weight_timeliness = models.DecimalField(_("按时填报率权重"), max_digits=5, decimal_places=2, default=Decimal("10"))
    investment_cap = models.DecimalField(
        _("投资完成率封顶"), max_digits=4, decimal_places=2, default=Decimal("1.20"), help_text=_("实际÷序时计划的上限")
    )
    list_size = models.PositiveSmallIntegerField(_("红榜/黑榜各列前几名"), default=3)

    class Meta:
        verbose_name = _("红黑榜规则")
        verbose_name_plural = _("红黑榜规则")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"红黑榜规则第{self.version}版"


class CompletenessRule(VersionedRule):
    """One version of the rule a month must meet before it may be closed (published).

    At least `min_approved_share` % of the projects with an approved plan for the year must
    have an approved return for the month; below it the office may still close the month,
    but only by recording why (the reason is kept in the snapshot and printed in the notice).
    """

    min_approved_share = models.DecimalField(
        _("关账要求：已审核月报不低于(%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("95"),
        validators=PERCENT,
        help_text=_("有已批准年度计划的项目中，本月月报已审核的比例"),
    )

    class Meta:
        verbose_name = _("关账完整性规则")
        verbose_name_plural = _("关账完整性规则")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"关账完整性规则第{self.version}版"


class CloseStatus(models.TextChoices):
    CLOSED = "closed", _("已关账")
    REOPENED = "reopened", _("已重新打开")


class MonthClose(AuditedModel):
    """The close of one month: the rules applied, and the snapshot of inputs and results.

    While closed it is read-only; reopening (with a reason, audited) allows it to be closed
    again, which recomputes it from the data as it then stands. Closing takes no 文号: the
    month's 通报 is issued afterwards, on its own confirmation (`services.issue_close_notice`).
    """

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    status = models.CharField(_("状态"), max_length=16, choices=CloseStatus.choices, default=CloseStatus.CLOSED)
    card_rule = models.ForeignKey(
        CardRule, on_delete=models.PROTECT, related_name="closes", verbose_name=_("红黄牌规则")
    )
    ranking_rule = models.ForeignKey(
        RankingRule, on_delete=models.PROTECT, related_name="closes", verbose_name=_("红黑榜规则")
    )
    # Null only on closes made before the rule existed.
    completeness_rule = models.ForeignKey(
        CompletenessRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closes",
        verbose_name=_("关账完整性规则"),
    )
    override_reason = models.CharField(
        _("低于完整性要求关账的理由"), max_length=300, blank=True, help_text=_("同时记入快照并印在通报中")
    )
    closed_at = models.DateTimeField(_("关账时间"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(_("关账日期"))
    snapshot = models.JSONField(_("快照"), default=dict)

    objects = MonthCloseQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度关账")
        verbose_name_plural = _("月度关账")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_close_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="close_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月关账"

    @property
    def period(self) -> Period:
        return Period(self.year, self.month)

    @property
    def is_closed(self) -> bool:
        return self.status == CloseStatus.CLOSED

    def get_absolute_url(self) -> str:
        return reverse("supervision:close", args=[str(self.period)])


class Colour(models.TextChoices):
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


class Card(models.Model):
    """A yellow or red card issued to one project at one close, with its reasons and path to green.

    Written by the close only; the figures it saw and the rule version are on the row and in
    the close's snapshot.
    """

    close = models.ForeignKey(MonthClose, on_delete=models.CASCADE, related_name="cards", verbose_name=_("关账"))
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="cards", verbose_name=_("项目")
    )
    colour = models.CharField(_("颜色"), max_length=8, choices=Colour.choices)
    rules = models.JSONField(_("触发规则"), default=list)
    reasons = models.JSONField(_("原因"), default=list)
    plan_to_date = models.DecimalField(_("累计计划投资(万元)"), max_digits=14, decimal_places=2)
    actual_to_date = models.DecimalField(_("累计完成投资(万元)"), max_digits=14, decimal_places=2)
    schedule_rate = models.DecimalField(_("完成序时进度计划(%)"), max_digits=9, decimal_places=2, null=True)
    path_to_green = models.DecimalField(_("下月需完成投资(万元)"), max_digits=14, decimal_places=2)
    deadline = models.DateField(_("整改期限"))

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("红黄牌")
        verbose_name_plural = _("红黄牌")
        ordering = ["close", "-colour", "project__code"]
        constraints = [models.UniqueConstraint(fields=["close", "project"], name="one_card_per_close_project")]

    def __str__(self) -> str:
        return f"{self.project} {self.get_colour_display()}"


class PublishedProject(models.Model):
    """One project as a close published it: the register's public fields, the plan, the return, the figures.

    Written by the close beside its snapshot and, like the snapshot, never edited: a re-close
    replaces a month's rows. The public site and the OC4IDS export read a published month from
    these rows (keyproj.supervision.publication says what a row holds and what it never holds),
    a project's months by its code, so that no reader has to parse a whole month to show one
    project.
    """

    close = models.ForeignKey(
        MonthClose, on_delete=models.CASCADE, related_name="published_projects", verbose_name=_("关账")
    )
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+", verbose_name=_("项目"))
    code = models.CharField(_("项目代码"), max_length=40)
    name = models.CharField(_("项目名称"), max_length=200)
    data = models.JSONField(_("公开内容"))

    class Meta:
        verbose_name = _("公开项目")
        verbose_name_plural = _("公开项目")
        ordering = ["close", "code"]
        constraints = [models.UniqueConstraint(fields=["close", "project"], name="one_published_row_per_close")]
        indexes = [models.Index(fields=["code", "close"], name="published_project_by_code")]

    def __str__(self) -> str:
        return f"{self.close} {self.code}"


class RankingList(models.TextChoices):
    DISTRICTS = "districts", _("各区")
    UNITS = "units", _("责任单位")
    AREAS = "areas", _("片区指挥部")
    SOES = "soes", _("市属国企")


class Board(models.TextChoices):
    RED = "red", _("红榜")
    BLACK = "black", _("黑榜")


class RankingEntry(models.Model):
    """One organisation's row in one list of one close: its indicators, score, rank and board."""

    close = models.ForeignKey(MonthClose, on_delete=models.CASCADE, related_name="rankings", verbose_name=_("关账"))
    list = models.CharField(_("榜单"), max_length=16, choices=RankingList.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="rankings", verbose_name=_("单位")
    )
    project_count = models.PositiveIntegerField(_("项目数"))
    plan_to_date = models.DecimalField(_("累计计划投资(万元)"), max_digits=16, decimal_places=2)
    actual_to_date = models.DecimalField(_("累计完成投资(万元)"), max_digits=16, decimal_places=2)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("名次"))
    board = models.CharField(_("红黑榜"), max_length=8, choices=Board.choices, blank=True)
    move = models.IntegerField(_("名次变化"), null=True, help_text=_("与上月相比上升(+)或下降(−)的名次"))
    met_plan = models.BooleanField(_("完成序时计划"))

    objects = RankingEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("红黑榜排名")
        verbose_name_plural = _("红黑榜排名")
        ordering = ["close", "list", "rank", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["close", "list", "organisation"], name="one_rank_per_close_list_org")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} 第{self.rank}名"


class ListingStatus(models.TextChoices):
    PROPOSED = "proposed", _("建议挂牌")
    LISTED = "listed", _("挂牌督办中")
    CLOSED = "closed", _("已销号")
    DECLINED = "declined", _("不予挂牌")


class Referral(models.TextChoices):
    NONE = "", _("无")
    PENDING = "pending", _("逾期待移送")
    EFFICIENCY = "efficiency", _("已移送效能")
    DISCIPLINE = "discipline", _("已移送纪检")


class Listing(AuditedModel):
    """挂牌督办: a project, or a problem on it, under named, deadline-bound supervision.

    Who answers for it, what must be achieved and by when; progress is recorded as it comes,
    and it is closed (销号) with evidence. Past its deadline and still open, it is marked for
    referral to the efficiency or discipline bodies, and the monthly notice names it.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="listings", verbose_name=_("项目")
    )
    problem = models.ForeignKey(
        "problems.Problem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("问题"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.LISTED)
    matter = models.CharField(_("督办事项"), max_length=300)
    responsible = models.CharField(_("责任单位/责任人"), max_length=200, blank=True)
    target = models.TextField(_("督办目标"), blank=True)
    due = models.DateField(_("办结期限"), null=True, blank=True)
    reason = models.CharField(_("挂牌理由"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        MonthClose,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("提议关账"),
    )
    listed_on = models.DateField(_("挂牌日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    evidence = models.TextField(_("销号依据"), blank=True)
    referral = models.CharField(_("移送"), max_length=16, choices=Referral.choices, blank=True, default="")

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")
        ordering = ["status", "due", "pk"]

    def __str__(self) -> str:
        return f"挂牌督办：{self.matter}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:listing", args=[self.pk])

    def is_overdue(self, day) -> bool:
        """Still listed after its deadline."""
        return self.status == ListingStatus.LISTED and self.due is not None and self.due < day


class ListingProgress(models.Model):
    """One progress note on a listing (who, when, what happened). Never edited."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="progress", verbose_name=_("挂牌督办"))
    on = models.DateField(_("日期"))
    note = models.TextField(_("进展情况"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("督办进展")
        verbose_name_plural = _("督办进展")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.on}"
