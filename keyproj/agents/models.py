"""Agent construction (代建): the firm directory, its rules, quarterly inspections and credit.

A firm is an `orgs.Organisation` of kind agent_builder (its unified social credit code in
`code`); everything here hangs off it. Numbers the office may change (class cap, grade
bands, weights, reward share …) are rule rows, and every result records the rule version
that produced it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyproj.agents.querysets import DirectoryQuerySet, FirmRecordQuerySet, InspectionQuerySet, RoundQuerySet
from keyproj.core.display import quarter as quarter_label
from keyproj.core.models import AuditedModel, ListItem
from keyproj.core.rules import VersionedRule

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _firm(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=_("代建单位"),
        limit_choices_to={"kind": "agent_builder"},
    )


def _points(label: StrOrPromise, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=7, decimal_places=2, **kwargs)


class Specialty(ListItem):
    """One of the directory's specialties (房屋建筑 and six more by default)."""

    class Meta(ListItem.Meta):
        verbose_name = _("代建专业")
        verbose_name_plural = _("代建专业")


class Grade(models.TextChoices):
    A = "A", _("甲类")
    B = "B", _("乙类")


class Qualification(AuditedModel):
    """A firm's class (甲/乙) in one specialty of the directory."""

    firm = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("代建单位"),
        limit_choices_to={"kind": "agent_builder"},
    )
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("专业"))
    grade = models.CharField(_("类别"), max_length=1, choices=Grade.choices)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("代建资格")
        verbose_name_plural = _("代建资格")
        constraints = [models.UniqueConstraint(fields=["firm", "specialty"], name="one_grade_per_specialty")]

    def __str__(self) -> str:
        return f"{self.firm} {self.specialty} {self.get_grade_display()}"


# --- rules --------------------------------------------------------------------------------


class AgentRule(VersionedRule):
    """The numbers of 代建管理, versioned: a new version is a new row, old results keep theirs.

    The rule for a day is `AgentRule.in_force(day)`; inspections, credit records and evaluations
    store the version they were made under. A new version is published with
    `keyproj.core.rules.publish_rule`.
    """

    class_b_cap = models.DecimalField(
        _("乙类单位可承接项目总投资上限(万元)"), max_digits=14, decimal_places=2, default=Decimal("30000.00")
    )
    excellent_min = _points(_("优秀分数线"), default=Decimal("90"))
    good_min = _points(_("良好分数线"), default=Decimal("80"))
    pass_min = _points(_("合格分数线"), default=Decimal("60"))
    excellent_credit_points = _points(_("优秀对应良好行为记录分值"), default=Decimal("3"))
    fail_credit_points = _points(_("不合格对应不良行为记录分值"), default=Decimal("5"))
    credit_valid_months = models.PositiveSmallIntegerField(_("信用记录有效期(月)"), default=12)
    weight_inspection = _points(_("权重：督查考评"), default=Decimal("50"))
    weight_behaviour = _points(_("权重：行为记录"), default=Decimal("25"))
    weight_attendance = _points(_("权重：考勤"), default=Decimal("15"))
    weight_final_accounts = _points(_("权重：竣工决算及时性"), default=Decimal("10"))
    behaviour_base = _points(_("行为记录基准分"), default=Decimal("80"))
    neutral_score = _points(_("无记录时的分项得分"), default=Decimal("80"))
    interview_bottom = models.PositiveSmallIntegerField(_("末位约谈家数"), default=3)
    savings_share = models.DecimalField(
        _("投资节余奖励比例"), max_digits=5, decimal_places=4, default=Decimal("0.1000")
    )
    savings_cap = models.DecimalField(
        _("投资节余奖励上限(万元)"), max_digits=14, decimal_places=2, default=Decimal("50")
    )
    draw_stages = models.CharField(_("可抽查的项目阶段(代码，逗号分隔)"), max_length=200, default="construction")

    class Meta:
        verbose_name = _("代建管理规则")
        verbose_name_plural = _("代建管理规则")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_min__gt=models.F("good_min"), good_min__gt=models.F("pass_min")),
                name="agent_grade_bands_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}（{self.effective_from}起）"

    @property
    def stage_codes(self) -> list[str]:
        return [code.strip() for code in self.draw_stages.split(",") if code.strip()]


class ScoringItem(ListItem):
    """One line of the inspection scoring sheet (评分表), with its maximum points."""

    max_points = _points(_("满分"), validators=[MinValueValidator(0)])
    guidance = models.CharField(_("扣分标准"), max_length=300, blank=True)

    class Meta(ListItem.Meta):
        verbose_name = _("考评评分项")
        verbose_name_plural = _("考评评分项")


# --- the directory ------------------------------------------------------------------------


class EntryKind(models.TextChoices):
    ADMISSION = "admission", _("准入")
    SUSPENSION = "suspension", _("暂停")
    REMOVAL = "removal", _("清出")
    REINSTATEMENT = "reinstatement", _("恢复")


# The status a firm has after each kind of entry.
ACTIVE_AFTER = {
    EntryKind.ADMISSION: True,
    EntryKind.REINSTATEMENT: True,
    EntryKind.SUSPENSION: False,
    EntryKind.REMOVAL: False,
}


class DirectoryEntry(models.Model):
    """A dated change of a firm's place in the directory: admission, suspension, removal, reinstatement.

    Entries are never edited; the status on any date is the latest entry on or before it.
    """

    firm = _firm("directory_entries")
    kind = models.CharField(_("事项"), max_length=16, choices=EntryKind.choices)
    on = models.DateField(_("日期"))
    reason = models.CharField(_("原因/依据"), max_length=300)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("名录库变更")
        verbose_name_plural = _("名录库变更")
        ordering = ["firm", "on", "id"]
        indexes = [models.Index(fields=["firm", "on"], name="directory_entry_firm_on")]

    def __str__(self) -> str:
        return f"{self.firm} {self.on} {self.get_kind_display()}"


class KeyStaff(AuditedModel):
    """A firm's contact or key site person (项目负责人, 技术负责人 …)."""

    firm = _firm("key_staff")
    name = models.CharField(_("姓名"), max_length=60)
    post = models.CharField(_("岗位"), max_length=60)
    certificate = models.CharField(_("证书/职称"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    is_contact = models.BooleanField(_("联系人"), default=False)
    active = models.BooleanField(_("在岗"), default=True)

    objects = FirmRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("关键人员")
        verbose_name_plural = _("关键人员")
        ordering = ["firm", "-is_contact", "name"]
        constraints = [models.UniqueConstraint(fields=["firm", "name", "post"], name="one_staff_post_per_firm")]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"


# --- quarterly inspection -----------------------------------------------------------------


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    DRAWN = "drawn", _("已抽取")
    CLOSED = "closed", _("已完成")


class InspectionRound(AuditedModel):
    """One quarter's 督查考评: the plan, the recorded draw (seed, pool, result) and its notice."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.PLANNED)
    planned_random = models.PositiveSmallIntegerField(_("随机抽查数"), default=0)
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    pool = models.JSONField(_("抽取范围(项目代码)"), default=list, blank=True)
    picks = models.JSONField(_("重点检查(项目代码)"), default=list, blank=True)
    drawn = models.JSONField(_("随机抽中(项目代码)"), default=list, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    rule_version = models.PositiveIntegerField(_("规则版本"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("季度督查考评")
        verbose_name_plural = _("季度督查考评")
        ordering = ["-year", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["year", "quarter"], name="one_round_per_quarter")]

    def __str__(self) -> str:
        return quarter_label(self.year, self.quarter)  # 2019年第三季度, as the notices write it

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    def get_absolute_url(self) -> str:
        return reverse("agents:round", args=[self.year, self.quarter])


class Selection(models.TextChoices):
    RANDOM = "random", _("随机抽查")
    PICK = "pick", _("重点检查")


class InspectionGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class Inspection(AuditedModel):
    """One project inspected in a round: how it was chosen, its score sheet total and grade."""

    round = models.ForeignKey(
        InspectionRound, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("季度")
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("项目")
    )
    firm = _firm("inspections")
    selection = models.CharField(_("抽取方式"), max_length=10, choices=Selection.choices)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    inspectors = models.CharField(_("检查人员"), max_length=200, blank=True)
    total = _points(_("得分"), null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=10, choices=InspectionGrade.choices, blank=True)
    rule_version = models.PositiveIntegerField(_("规则版本"), null=True, blank=True)
    findings = models.TextField(_("主要问题"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("评分人"),
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("督查考评")
        verbose_name_plural = _("督查考评")
        ordering = ["round", "project__code"]
        constraints = [models.UniqueConstraint(fields=["round", "project"], name="one_inspection_per_round")]

    def __str__(self) -> str:
        return f"{self.round} {self.project}"

    def get_absolute_url(self) -> str:
        return reverse("agents:inspection", args=[self.pk])


class InspectionScore(models.Model):
    """One line of an inspection's scoring sheet: points given, the item's maximum then, and why."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoringItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("评分项"))
    max_points = _points(_("满分"))
    points = _points(_("得分"), validators=[MinValueValidator(0)])
    note = models.CharField(_("扣分说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["inspection", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="one_score_per_item"),
            models.CheckConstraint(
                condition=Q(points__gte=0, points__lte=models.F("max_points")), name="score_within_maximum"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.points}/{self.max_points}"

    @property
    def deduction(self) -> Decimal:
        return self.max_points - self.points


# --- outcomes and credit ------------------------------------------------------------------


class CreditKind(models.TextChoices):
    GOOD = "good", _("良好行为")
    BAD = "bad", _("不良行为")


class CreditGrade(models.TextChoices):
    # 良好行为: 表扬 / 嘉奖; 不良行为: 一般 / 较重 / 严重 (严重 may blacklist).
    COMMENDATION = "commendation", _("通报表扬")
    AWARD = "award", _("嘉奖")
    MINOR = "minor", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class CreditSource(models.TextChoices):
    INSPECTION = "inspection", _("季度督查考评")
    EVALUATION = "evaluation", _("信用综合评价")
    MANUAL = "manual", _("重点办登记")


class CreditRecord(AuditedModel):
    """A good or bad behaviour record in a firm's credit file, valid for a period.

    A record with `blacklist` set puts the firm on the market blacklist while it is valid:
    the firm takes no new projects and drops out of the draw pool.
    """

    firm = _firm("credit_records")
    kind = models.CharField(_("类型"), max_length=4, choices=CreditKind.choices)
    grade = models.CharField(_("等级"), max_length=12, choices=CreditGrade.choices)
    points = _points(_("分值"), validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"))
    source = models.CharField(_("来源"), max_length=12, choices=CreditSource.choices)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="credit_records"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("项目")
    )
    description = models.CharField(_("事由"), max_length=300)
    blacklist = models.BooleanField(_("列入黑名单"), default=False)
    rule_version = models.PositiveIntegerField(_("规则版本"), null=True, blank=True)

    objects = FirmRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="credit_valid_period"),
            models.CheckConstraint(condition=Q(blacklist=False) | Q(kind="bad"), name="blacklist_is_bad"),
        ]

    def __str__(self) -> str:
        return f"{self.firm} {self.get_kind_display()} {self.description}"


class InterviewSource(models.TextChoices):
    INSPECTION = "inspection", _("季度考评不合格")
    EVALUATION = "evaluation", _("信用综合评价末位")


class Interview(AuditedModel):
    """A 约谈 of a firm: after a failed inspection or a bottom place in the credit evaluation."""

    firm = _firm("interviews")
    source = models.CharField(_("来源"), max_length=12, choices=InterviewSource.choices)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    evaluation = models.ForeignKey(
        "agents.CreditEvaluation", on_delete=models.CASCADE, null=True, blank=True, related_name="interviews"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("项目")
    )
    reason = models.CharField(_("约谈事由"), max_length=300)
    due_by = models.DateField(_("约谈期限"))
    held_on = models.DateField(_("约谈日期"), null=True, blank=True)

    objects = FirmRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering = ["-due_by", "-id"]

    def __str__(self) -> str:
        return f"{self.firm} {self.reason}"


class CreditEvaluation(AuditedModel):
    """An annual 信用综合评价: one row per firm in `scores`, ranked, under one rule version."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    as_of = models.DateField(_("评价截止日"))
    rule_version = models.PositiveIntegerField(_("规则版本"))

    class Meta:
        verbose_name = _("信用综合评价")
        verbose_name_plural = _("信用综合评价")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度信用综合评价"


class CreditScore(models.Model):
    """One firm's place in an annual evaluation, with the component scores it was made of."""

    evaluation = models.ForeignKey(CreditEvaluation, on_delete=models.CASCADE, related_name="scores")
    firm = _firm("credit_scores")
    inspection_score = _points(_("督查考评得分"))
    inspection_count = models.PositiveSmallIntegerField(_("考评次数"))
    behaviour_score = _points(_("行为记录得分"))
    attendance_score = _points(_("考勤得分"))
    final_accounts_score = _points(_("决算及时性得分"))
    total = _points(_("综合得分"))
    rank = models.PositiveSmallIntegerField(_("排名"))
    flagged = models.BooleanField(_("末位约谈"), default=False)

    objects = FirmRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用评价得分")
        verbose_name_plural = _("信用评价得分")
        ordering = ["evaluation", "rank"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "firm"], name="one_score_per_firm")]

    def __str__(self) -> str:
        return f"{self.firm} {self.total}"


# --- attendance and final accounts --------------------------------------------------------


class Attendance(AuditedModel):
    """A key person's attendance on a project's site in one month (考勤): days due and days present."""

    staff = models.ForeignKey(KeyStaff, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("人员"))
    firm = _firm("attendance")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="attendance", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    required_days = models.PositiveSmallIntegerField(_("应出勤天数"), validators=[MaxValueValidator(31)])
    present_days = models.PositiveSmallIntegerField(_("实际出勤天数"), validators=[MaxValueValidator(31)])

    objects = FirmRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        ordering = ["-year", "-month", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "project", "year", "month"], name="one_attendance_per_month"),
            models.CheckConstraint(
                condition=Q(present_days__lte=models.F("required_days")), name="attendance_within_required"
            ),
        ]


class FinalAccounts(AuditedModel):
    """竣工决算 of a completed agent-built project: due and actual dates, 概算 and 决算, the savings reward."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="final_accounts", verbose_name=_("项目")
    )
    firm = _firm("final_accounts")
    completed_on = models.DateField(_("竣工日期"))
    budget_estimate = models.DecimalField(_("概算(万元)"), max_digits=14, decimal_places=2)
    final_amount = models.DecimalField(_("决算(万元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    submission_due = models.DateField(_("应报送日期"))
    submitted_on = models.DateField(_("实际报送日期"), null=True, blank=True)
    approval_due = models.DateField(_("应审批日期"))
    approved_on = models.DateField(_("实际审批日期"), null=True, blank=True)

    objects = FirmRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("竣工决算")
        verbose_name_plural = _("竣工决算")
        ordering = ["submission_due", "project__code"]
        constraints = [
            models.CheckConstraint(condition=Q(budget_estimate__gte=0), name="estimate_not_negative"),
            models.CheckConstraint(
                condition=Q(final_amount__isnull=True) | Q(final_amount__gte=0), name="final_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} 竣工决算"
